"""The GUI entry point (``vaglio gui``, ``vaglio-gui``).

The main window is shown first; unlocking (keyring, or the secret given by the
demo or ``VAGLIO_PASSPHRASE``, or the unlock dialog) and loading follow on the
database worker.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def run_gui(home: Path | None = None, secret: str | None = None) -> int:
    """Open the application on the workspace in ``home`` (default: the user's)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from app.i18n import _
    from app.store.home import WorkspacePaths, default_home
    from app.ui.application import create_application
    from app.ui.backend import Backend
    from app.ui.main_window import MainWindow
    from app.ui.worker import DbWorker

    app = create_application()
    home = home or default_home()
    if not WorkspacePaths(home).exists():
        QMessageBox.information(
            None,
            "Vaglio",
            _(
                "There is no workspace in {folder}.\n\n"
                "Create one with 'vaglio init', or try the demo with 'vaglio demo'."
            ).format(folder=home),
        )
        return 1
    worker = DbWorker()
    window = MainWindow(Backend(home), worker)
    # Start-up probe for `make bench`: print the wall-clock moment the window
    # is on screen ("shown") or holds the proposal list ("loaded"), then quit.
    probe = os.environ.get("VAGLIO_STARTUP_PROBE")

    def report(*_args: object) -> None:
        print(f"vaglio-ready {time.time():.6f}", flush=True)
        app.quit()

    if probe == "loaded":
        window.proposals_loaded.connect(report)
    window.show()
    if probe == "shown":
        QTimer.singleShot(0, report)
    window.start(secret)
    code = app.exec()
    worker.submit(window.backend.lock)
    worker.shutdown()
    return code


def main() -> int:
    """Console entry for ``vaglio-gui``."""
    from app.i18n import language_from_environment, set_language

    set_language(language_from_environment())
    home = os.environ.get("VAGLIO_HOME")
    return run_gui(Path(home) if home else None, os.environ.get("VAGLIO_PASSPHRASE"))


if __name__ == "__main__":
    sys.exit(main())
