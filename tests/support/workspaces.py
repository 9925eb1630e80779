"""The workspaces the tests use: where the fixtures are, the secrets, the
session templates (each kind of workspace built once, copied per test, as
Anki copies a template collection), and opening a copy with its raw key."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.services.unlocking import OpenWorkspace
from app.store.workspace import load_slots, open_with_key

ROOT = Path(__file__).resolve().parent.parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
ARTIFACTS = TESTS / "artifacts"
PASSPHRASE = "passphrase di prova 2020"
CALL_ID = "MI-CC-2020"
# The suite's moment (tests/conftest.py sets the clock to it): half past
# midnight in Rome while it is still the previous day in UTC, so that a day
# taken from the wrong zone shows at once.
FROZEN_AT = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Template:
    """A closed workspace folder to copy, with its secrets."""

    home: Path
    raw_key: bytes
    recovery_code: str


def make_template(home: Path, role: str, name: str) -> tuple[OpenWorkspace, str]:
    """A new workspace (no keyring slot) and its recovery code."""
    from app.services.workspace import create_workspace

    created = create_workspace(home, role=role, name=name, passphrase=PASSPHRASE, use_keyring=False)
    return created.workspace, created.recovery_code


def close_template(ws: OpenWorkspace, recovery: str) -> Template:
    """Close ``ws`` and keep what opens its copies."""
    raw_key = ws.store.slots.key_from_recovery_code(recovery)
    home = ws.home
    ws.close()
    return Template(home, raw_key, recovery)


def copy_template(template: Template, target: Path) -> Path:
    shutil.copytree(template.home, target)
    return target


@contextlib.contextmanager
def opened(template: Template, home: Path) -> Iterator[OpenWorkspace]:
    """The workspace in ``home`` (a copy of ``template``), opened with its raw key."""
    with OpenWorkspace(open_with_key(home, load_slots(home), template.raw_key)) as ws:
        yield ws


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove nothing was written)."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
