"""The GUI entry point (``vaglio gui``, ``vaglio-gui``).

The main window is shown first; unlocking (keyring, or the secret given by the
demo or ``VAGLIO_PASSPHRASE``, or the unlock dialog) and loading follow on the
database worker. Without ``--home`` and ``VAGLIO_HOME``, the workspaces this
user opened before are offered (a chooser when there are several).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any


def _choose_home() -> Path | None:
    """The workspace to open when none was named, or None if the user cancelled."""
    from app.services.preferences import (
        default_home,
        known_workspaces,
        load_preferences,
        remember_last_workspace,
    )
    from app.ui.shell.workspace_chooser import WorkspaceChooser

    known = known_workspaces()
    if not known:
        return default_home()
    if len(known) == 1:
        return Path(known[0].path)
    chooser = WorkspaceChooser(known, load_preferences().last_workspace)
    if not chooser.exec() or chooser.chosen is None:
        return None
    remember_last_workspace(chooser.chosen)
    return chooser.chosen


def run_gui(home: Path | None = None, secret: str | None = None) -> int:
    """Open the application on the workspace in ``home``."""
    from PySide6.QtCore import QTimer

    from app.services.preferences import workspace_exists

    worker: Any = None
    head_start: Any = None
    if home is not None and secret is None and workspace_exists(home):
        worker, head_start = _head_start(home)  # while Qt and the window load
    from app.ui.common.application import create_application
    from app.ui.common.failure import install_excepthook
    from app.ui.shell.system_libraries import check_xcb_libraries

    problem = check_xcb_libraries()
    if problem is not None:
        # Qt would abort naming one library at most; name them all instead.
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_excepthook()  # the log file is opened when there is something to write
    if home is None:
        home = _choose_home()
        if home is None:
            return 1
    new_call = None
    if not workspace_exists(home):
        outcome, worker = first_run(home)
        if outcome is None:
            worker.shutdown()
            return 1
        home, secret, new_call = outcome.home, outcome.secret, outcome.new_call
    elif secret is None and head_start is None:
        worker, head_start = _head_start(home)
    from app.ui.shell.session import AppSession

    session = AppSession(app, home, worker)
    # Start-up probe for `make bench`: print the wall-clock moment the window
    # is on screen ("shown"), lists the proposals ("loaded": the first rows or
    # the unlock's own list, whichever comes first) or holds the unlock's own
    # list ("ready"), then quit.
    probe = os.environ.get("VAGLIO_STARTUP_PROBE")
    reported: list[float] = []

    def report(what: str, rows: int = 0) -> None:
        if not reported:
            reported.append(time.time())
            print(f"vaglio-ready {reported[0]:.6f} {what} {rows}", flush=True)
            app.quit()

    window = session.make_window()
    if probe == "loaded":
        window.first_rows_listed.connect(lambda rows: report("first-rows", rows))
    if probe in ("loaded", "ready"):
        window.proposals_loaded.connect(lambda rows: report("list", rows))
    window.show()
    if probe == "shown":
        QTimer.singleShot(0, lambda: report("shown"))
    if new_call is not None:
        from app.ui.welcome.new_call_guide import open_when_unlocked

        open_when_unlocked(window, new_call)
    window.start(secret, head_start)
    code = app.exec()
    session.close()
    return code


def _head_start(home: Path) -> tuple[Any, Any]:
    """The database worker, already reading the proposals a cold start from
    the keyring lists first (:mod:`app.ui.shell.head_start`)."""
    from app.ui.common.worker import DbWorker
    from app.ui.shell.head_start import HeadStart

    worker = DbWorker()  # Qt delivers its results once the application runs
    return worker, HeadStart(worker, home)


def first_run(home: Path) -> tuple[Any, Any]:
    """The first-run wizard on ``home`` (no workspace there): what to open, or
    None if the person gave up; and the database worker it started."""
    from app.ui.common.worker import DbWorker
    from app.ui.welcome.first_run_wizard import FirstRunWizard

    worker = DbWorker()
    wizard = FirstRunWizard(worker, home)
    wizard.exec()
    return wizard.outcome, worker


def startup_language() -> str:
    """``VAGLIO_LANG``, else the language chosen in the settings, else Italian."""
    from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
    from app.services.preferences import load_preferences

    wanted = os.environ.get("VAGLIO_LANG", "").strip().lower()[:2]
    if wanted in LANGUAGES:
        return wanted
    chosen = load_preferences().language
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def main() -> int:
    """Console entry for ``vaglio-gui``."""
    from app.i18n import set_language

    set_language(startup_language())
    home = os.environ.get("VAGLIO_HOME")
    return run_gui(Path(home) if home else None, os.environ.get("VAGLIO_PASSPHRASE"))


if __name__ == "__main__":
    sys.exit(main())
