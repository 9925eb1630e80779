"""Checking the workspace: every layer that can be damaged, one report.

:func:`check_workspace` (an open workspace, for the GUI) and
:func:`check_workspace_at` (a folder, for ``vaglio check``, which must work on
a workspace too damaged to open) run, in order:

``file``
    the open-time checks: the file is there, whole pages, its header and its
    first and last pages authentic;
``pages``
    SQLCipher's HMAC of every page (``PRAGMA cipher_integrity_check``);
``integrity``
    SQLite's ``PRAGMA integrity_check``;
``foreign_keys``
    ``PRAGMA foreign_key_check``;
``audit``
    the hash chain of the audit log, every entry;
``anchors``
    the audit log against the heads of it that the other side keeps (the
    office: those members' bundles return from its receipts; a member: those
    its bundles carried, and the office's heads in its receipts going
    forward), which show a log cut or rewritten and hashed again;
``keyslots``
    each key slot parses and its parameters are sane (a slot is unwrapped
    only by the secret that unlocked, never demanded);
``backups``
    each file in ``backups/`` opens with the same key and passes the page,
    integrity and reference checks.

Each check carries one sentence per problem, naming the page, the audit
entry, the slot or the file. Nothing is written. :func:`require_intact` runs
the data checks (the first five) before the steps that sign or freeze data —
a submission, the office's intake, the approval — and refuses them when
anything is wrong. ``anchors`` is not among them: a log cut behind the
triggers is evidence, not damage to the data these steps read, and refusing
them would not bring the log back (docs/formats.md, section 8.4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.config.paths import WorkspacePaths
from app.i18n import _
from app.services.anchors import anchor_problems
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace, SecretSource, unlock_key
from app.store import integrity
from app.store.errors import (
    DatabaseEmptyError,
    DatabaseFileMissingError,
    KeySlotsCorruptError,
    StoreError,
    WorkspaceDamagedError,
    WorkspaceMissingError,
    WrongKeyError,
    backup_hint,
)
from app.store.keyslots import KeySlots

CHECKS = ("file", "pages", "integrity", "foreign_keys", "audit", "anchors", "keyslots", "backups")
DATA_CHECKS = CHECKS[:5]


def check_title(name: str) -> str:
    """What a check looks at, as people say it."""
    titles = {
        "file": _("Database file: size, header, first and last page"),
        "pages": _("Every page's authentication code (SQLCipher)"),
        "integrity": _("Database structure (SQLite's integrity check)"),
        "foreign_keys": _("References between records"),
        "audit": _("Audit log chain"),
        "anchors": _("Audit log against the heads the other side keeps"),
        "keyslots": _("Key slots"),
        "backups": _("Backups"),
    }
    return titles.get(name, name)


@dataclass(frozen=True)
class CheckResult:
    """One check: its name (stable, for ``--json``) and its problems, as sentences."""

    name: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def title(self) -> str:
        return check_title(self.name)


@dataclass(frozen=True)
class IntegrityReport:
    """Every check of one workspace."""

    workspace: Path
    checks: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def problems(self) -> list[str]:
        return [problem for check in self.checks for problem in check.problems]

    def check(self, name: str) -> CheckResult:
        return next(check for check in self.checks if check.name == name)


class WorkspaceNotIntactError(ServiceError):
    """A step that signs or freezes data, refused because the workspace is damaged."""

    def __init__(self, report: IntegrityReport, backup: Path | None) -> None:
        self.report = report
        super().__init__(
            _("Nothing was written: the workspace failed its integrity check. {problems}").format(
                problems=" ".join(report.problems)
            )
            + " "
            + backup_hint(backup)
        )


def check_workspace(ws: OpenWorkspace, names: tuple[str, ...] = CHECKS) -> IntegrityReport:
    """Check the open workspace ``ws`` (the checks in ``names``)."""
    store = ws.store
    return _run(store.paths, _load_slots(store.paths), store.raw_key, names)


def check_workspace_at(home: Path, source: SecretSource) -> IntegrityReport:
    """Check the workspace in ``home``, unlocked by the usual policy (given
    secret, keyring, prompt) but never opened: a damaged one is checked too."""
    paths = WorkspacePaths(home)
    if not paths.keyslots.is_file():
        raise WorkspaceMissingError(home)
    slots = _load_slots(paths)
    if isinstance(slots, str):
        return _not_run(paths, [slots], _("Not run: without the key slots there is no key."))
    try:
        _slots, raw_key = unlock_key(home, source)
    except KeySlotsCorruptError as error:
        found = integrity.keyslot_problems(slots) or [str(error)]
        return _not_run(paths, found, _("Not run: the key slot did not give the key."))
    return _run(paths, slots, raw_key, CHECKS)


def require_intact(ws: OpenWorkspace) -> None:
    """Refuse, writing nothing, unless the data checks all pass."""
    report = check_workspace(ws, DATA_CHECKS)
    if not report.ok:
        database_path = ws.store.paths.database
        raise WorkspaceNotIntactError(report, integrity.latest_backup(database_path))


# -- running the checks ------------------------------------------------------------


def _load_slots(paths: WorkspacePaths) -> KeySlots | str:
    """The key slots as stored, or the sentence saying why they do not load."""
    try:
        return KeySlots.load(paths.keyslots)
    except StoreError as error:
        return str(error)


def _not_run(paths: WorkspacePaths, slot_problems: list[str], reason: str) -> IntegrityReport:
    checks = tuple(
        CheckResult(name, tuple(slot_problems) if name == "keyslots" else (reason,))
        for name in CHECKS
    )
    return IntegrityReport(paths.home, checks)


def _run(
    paths: WorkspacePaths, slots: KeySlots | str, raw_key: bytes, names: tuple[str, ...]
) -> IntegrityReport:
    path = paths.database
    results: dict[str, tuple[str, ...]] = {}
    results["file"], blocked = _file(path, raw_key)
    data_checks: dict[str, Callable[[], list[str]]] = {
        "pages": lambda: _with_connection(path, raw_key, integrity.page_problems),
        "integrity": lambda: _with_connection(path, raw_key, integrity.integrity_problems),
        "foreign_keys": lambda: _with_connection(path, raw_key, integrity.foreign_key_problems),
        "audit": lambda: _with_connection(path, raw_key, integrity.audit_problems),
        "anchors": lambda: _with_connection(path, raw_key, anchor_problems),
    }
    for name, run in data_checks.items():
        if name in names:
            results[name] = (blocked,) if blocked else tuple(run())
    if "keyslots" in names:
        if isinstance(slots, str):
            results["keyslots"] = (slots,)
        else:
            results["keyslots"] = tuple(integrity.keyslot_problems(slots))
    if "backups" in names:
        results["backups"] = tuple(
            problem
            for backup in integrity.backups(paths.home)
            for problem in integrity.backup_problems(backup, raw_key)
        )
    checks = tuple(CheckResult(name, results[name]) for name in names if name in results)
    return IntegrityReport(paths.home, checks)


def _file(path: Path, raw_key: bytes) -> tuple[tuple[str, ...], str]:
    """The open-time checks' problems, and why the other database checks cannot
    run at all ('' when they can: a damaged file is checked page by page)."""
    try:
        integrity.check_file(path, raw_key)
    except (DatabaseFileMissingError, DatabaseEmptyError) as error:
        return (error.sentence,), _("Not run: there is no database to read.")
    except WrongKeyError as error:
        return (str(error),), _("Not run: the key does not read this database.")
    except WorkspaceDamagedError as error:
        return (error.sentence,), ""
    except StoreError as error:
        return (str(error),), ""
    return (), ""


def _with_connection(path: Path, raw_key: bytes, check: Callable[..., list[str]]) -> list[str]:
    try:
        with integrity.keyed(path, raw_key) as conn:
            return check(conn, path.name)
    except Exception as error:  # the driver's errors on a damaged file are many kinds
        return [
            _("The check could not run on {file}: {detail}.").format(file=path.name, detail=error)
        ]
