"""The ``vaglio`` command line: a stable interface over the same services as the GUI.

Exit codes: 0 success; 1 a refused operation or bad input (one ``error:`` line
on stderr, no traceback); 2 bad usage. Without a terminal no command waits for
input. One module per command group; see docs/cli.md for every command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from app.build_info import VersionAction
from app.cli import (
    application,
    calls,
    college,
    collegial,
    documents,
    evaluation,
    exchange,
    invitations,
    minutes,
    purge,
    ranking,
    sittings,
    statistics,
    workspace,
)
from app.cli.support import CommandTree, OpenTheApplication
from app.errors import ProblemsError, VaglioError
from app.i18n import _, language_from_environment, set_language

Handler = Callable[[argparse.Namespace], "int | OpenTheApplication"]
GROUPS = (
    application, workspace, calls, college, evaluation, exchange, ranking, statistics, minutes,
    purge, collegial, sittings, documents, invitations,
)  # fmt: skip


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--home", metavar="DIR", default=default, help=_("workspace folder (or VAGLIO_HOME)")
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="F",
        default=default,
        help=_("file holding the passphrase (or VAGLIO_PASSPHRASE)"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree (the CLI contract of docs/cli.md)."""
    parser = argparse.ArgumentParser(
        prog="vaglio",
        description=_("Evaluation of a civic crowdfunding call by its commission."),
    )
    parser.add_argument(
        "--version", action=VersionAction, help=_("show the version and build, then exit")
    )
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    tree = CommandTree(parser, common)
    for group in GROUPS:
        group.register(tree)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command that stays on the command line; returns the exit code."""
    outcome = run(argv)
    if isinstance(outcome, OpenTheApplication):
        print("error: " + _("this command opens the application: run it as vaglio"))
        return 2
    return outcome


def run(argv: Sequence[str] | None = None) -> int | OpenTheApplication:
    """Run one command: its exit code, or the request to open the application."""
    set_language(language_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    evaluation.check_declare(args)
    handler: Handler = getattr(args, "handler", application.cmd_gui)
    try:
        return handler(args)
    except ProblemsError as exc:
        # The first line keeps the contract (`error:`); each problem follows on
        # its own line, indented, so a long file's problems can be read.
        print(f"error: {exc.summary}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except VaglioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`vaglio proposals list | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {detail}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: " + _("interrupted"), file=sys.stderr)
        return 1
