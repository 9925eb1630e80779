"""What every command shares: finding the workspace, unlocking it without
ever waiting when there is no terminal, and printing tables and JSON."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.i18n import _

# -- secrets and the workspace ----------------------------------------------


def home_of(args: argparse.Namespace) -> Path:
    from app.store.home import default_home

    return Path(args.home).expanduser() if getattr(args, "home", None) else default_home()


def given_secret(args: argparse.Namespace) -> str | None:
    """The passphrase (or recovery code) from --passphrase-file or VAGLIO_PASSPHRASE."""
    from app.services.errors import InputFileError

    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputFileError(path, exc.strerror or type(exc).__name__) from None
        except UnicodeDecodeError:
            raise InputFileError(path, _("the file is not UTF-8 text")) from None
        # One trailing newline is the file's, not the passphrase's.
        return text.removesuffix("\n").removesuffix("\r")
    return os.environ.get("VAGLIO_PASSPHRASE")


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def open_workspace(args: argparse.Namespace) -> Any:
    """Unlock the workspace: given secret, else keyring, else a prompt on a terminal."""
    from app.services.workspace import unlock
    from app.store.errors import NoSecretError, StoreError
    from app.store.workspace import load_slots

    home = home_of(args)
    secret = given_secret(args)
    if secret is not None:
        return unlock(home, secret)
    slots = load_slots(home)  # a missing workspace is reported before anything else
    keyring_error: StoreError | None = None
    if slots.has("keyring"):
        try:
            return unlock(home, None)
        except StoreError as exc:
            keyring_error = exc
    if interactive():
        return unlock(home, getpass.getpass(_("Passphrase: ")))
    raise keyring_error or NoSecretError()


def new_passphrase(args: argparse.Namespace) -> str:
    from app.store.errors import NoSecretError

    secret = given_secret(args)
    if secret is not None:
        return secret
    if not interactive():
        raise NoSecretError()
    first = getpass.getpass(_("New passphrase: "))
    if getpass.getpass(_("Repeat the passphrase: ")) != first:
        from app.errors import VaglioError as Refusal

        raise Refusal(_("The two passphrases differ: nothing was created."))
    return first


# -- output helpers ------------------------------------------------------------


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
