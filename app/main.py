"""The ``vaglio`` program: the command line, which may hand over to the GUI.

``vaglio``, ``vaglio gui`` and ``vaglio demo`` open the application; every
other command stays on the command line (:mod:`app.cli`), which never imports
the GUI. This module is the only one that knows both.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vaglio``; returns the exit code."""
    from app.cli import run
    from app.cli.support import OpenTheApplication

    outcome = run(argv)
    if not isinstance(outcome, OpenTheApplication):
        return outcome
    from app.gui import run_gui, startup_language
    from app.i18n import set_language

    set_language(startup_language())
    return run_gui(home=outcome.home, secret=outcome.secret)
