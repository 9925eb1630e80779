"""The ``vaglio`` program: the command line, which may hand over to the GUI.

``vaglio``, ``vaglio gui`` and ``vaglio demo`` open the application; every
other command stays on the command line (:mod:`app.cli`), which never imports
the GUI. This module is the only one that knows both.

``vaglio`` and ``vaglio gui`` with at most ``--home DIR`` are read here
without building the command tree (importing every command group costs a
good part of a bare window at a cold start); anything else goes through
:func:`app.cli.run`, which reads those forms the same way (a test checks it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def plain_gui(argv: Sequence[str]) -> tuple[Path | None, str | None] | None:
    """The workspace and secret ``vaglio gui`` opens for ``argv``, if it is one
    of its plain forms (``[gui] [--home DIR]``, either order); else None."""
    words = list(argv)
    if words[:1] == ["gui"]:
        words = words[1:]
    elif words[-1:] == ["gui"]:
        words = words[:-1]
    if not words:
        home = None
    elif len(words) == 2 and words[0] == "--home" and words[1] and words[1][0] != "-":
        home = Path(words[1]).expanduser()
    else:
        return None
    return home, os.environ.get("VAGLIO_PASSPHRASE")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vaglio``; returns the exit code."""
    import sys

    plain = plain_gui(sys.argv[1:] if argv is None else argv)
    if plain is None:
        from app.cli import run
        from app.cli.support import OpenTheApplication

        outcome = run(argv)
        if not isinstance(outcome, OpenTheApplication):
            return outcome
        plain = outcome.home, outcome.secret
    from app.gui import run_gui, startup_language
    from app.i18n import set_language

    set_language(startup_language())
    return run_gui(home=plain[0], secret=plain[1])
