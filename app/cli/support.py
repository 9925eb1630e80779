"""What every command shares: the workspace (one ``with open_workspace(args)
as ws:``), secrets taken from options, the environment or a terminal (never
waiting when there is none), input files, and tables and JSON on stdout."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _
from app.services.errors import InputFileError, ServiceError
from app.services.preferences import default_home
from app.services.unlocking import NoSecretError, OpenWorkspace
from app.services.unlocking import open_workspace as unlock


@dataclass(frozen=True)
class OpenTheApplication:
    """What ``vaglio``, ``vaglio gui`` and ``vaglio demo`` ask of the program:
    open the GUI on ``home`` (None: let the user choose), unlocked with
    ``secret`` if there is one. The command line never imports the GUI;
    :mod:`app.main` does this."""

    home: Path | None
    secret: str | None


class SecretNeededError(ServiceError):
    def __init__(self, option: str) -> None:
        super().__init__(
            _("{option} is needed: there is no terminal to ask on.").format(option=option)
        )


def interactive() -> bool:
    """Whether a person can be asked at a terminal (standard input is one)."""
    return sys.stdin is not None and sys.stdin.isatty()


def home_of(args: argparse.Namespace) -> Path:
    """The workspace folder: ``--home``, else ``VAGLIO_HOME``, else the per-OS default."""
    return Path(args.home).expanduser() if getattr(args, "home", None) else default_home()


def secret_file(path: str) -> str:
    """A passphrase or PIN kept in a file (one trailing newline is the file's)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(path, exc.strerror or type(exc).__name__) from None
    except UnicodeDecodeError:
        raise InputFileError(path, _("the file is not UTF-8 text")) from None
    return text.removesuffix("\n").removesuffix("\r")


def given_secret(args: argparse.Namespace) -> str | None:
    """The passphrase (or recovery code) from --passphrase-file or VAGLIO_PASSPHRASE."""
    path = getattr(args, "passphrase_file", None)
    if path:
        return secret_file(path)
    return os.environ.get("VAGLIO_PASSPHRASE")


class CommandLineSecrets:
    """The command line's :class:`~app.services.unlocking.SecretSource`:
    options and environment first, then the terminal if there is one."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def given(self) -> str | None:
        return given_secret(self.args)

    def ask(self) -> str | None:
        return getpass.getpass(_("Passphrase: ")) if interactive() else None


def open_workspace(args: argparse.Namespace) -> OpenWorkspace:
    """The workspace of ``args``, unlocked: use it as ``with open_workspace(args) as ws:``."""
    return unlock(home_of(args), CommandLineSecrets(args))


def secret_or_prompt(path: str | None, option: str, prompt: str) -> str:
    """A secret from the file named by ``option``, else the terminal, else a refusal."""
    if path:
        return secret_file(path)
    if not interactive():
        raise SecretNeededError(option)
    return getpass.getpass(prompt)


def new_passphrase(args: argparse.Namespace) -> str:
    """The passphrase of a new workspace: given, or typed twice at the terminal."""
    secret = given_secret(args)
    if secret is not None:
        return secret
    if not interactive():
        raise NoSecretError()
    first = getpass.getpass(_("New passphrase: "))
    if getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise ServiceError(_("The two passphrases differ: nothing was created."))
    return first


# -- output --------------------------------------------------------------------


def print_json(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


class CommandTree:
    """The ``vaglio`` sub-commands, grouped (``call create``, ``call enroll``…)."""

    def __init__(self, parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
        self.common = common
        self.commands = parser.add_subparsers(dest="command", metavar="COMMAND")
        self._groups: dict[str, Any] = {}

    def group(self, name: str, help_text: str = "") -> Any:
        """The sub-command group ``name`` (created on first use)."""
        if name not in self._groups:
            sub = self.commands.add_parser(name, help=help_text)
            self._groups[name] = sub.add_subparsers(
                dest=f"{name}_command", metavar="SUBCOMMAND", required=True
            )
        return self._groups[name]

    def command(
        self, parent: Any, name: str, handler: Any, help_text: str
    ) -> argparse.ArgumentParser:
        """Add ``name`` under ``parent`` (a group, or ``self.commands``)."""
        sub: argparse.ArgumentParser = parent.add_parser(
            name, parents=[self.common], help=help_text
        )
        sub.set_defaults(handler=handler, parser=sub)
        return sub
