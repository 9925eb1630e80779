"""Creating and opening the encrypted workspace: two separate paths.

Creating makes a fresh raw key, the database file (0600) and the key slots.
Opening finds the raw key through one slot, runs the cheap integrity checks
of the file (:func:`app.store.integrity.check_file`), opens the database with
the key, checks the cipher profile and migrates if needed. Opening a folder
without a workspace raises; it never creates one. Key slots without their
database are a damaged workspace, not a missing one.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config.files import create_private_empty, ensure_private_dir
from app.config.paths import WorkspacePaths
from app.store import database, integrity, schema
from app.store.errors import DatabaseFileMissingError, WorkspaceExistsError, WorkspaceMissingError
from app.store.keyslots import KEY_BYTES, KeySlots


@dataclass(frozen=True)
class Passphrase:
    """Unlock with the passphrase slot."""

    text: str


@dataclass(frozen=True)
class RecoveryCode:
    """Unlock with the recovery-code slot."""

    text: str


@dataclass(frozen=True)
class FromKeyring:
    """Unlock with the key kept in the OS keyring."""


Unlocker = Passphrase | RecoveryCode | FromKeyring


@dataclass
class Workspace:
    """An unlocked workspace: its paths, key slots and database engine."""

    paths: WorkspacePaths
    slots: KeySlots
    engine: Engine
    migration: schema.MigrationResult | None = None
    raw_key: bytes = field(default=b"", repr=False)
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Close every connection: the workspace is locked again."""
        self.engine.dispose()


@dataclass(frozen=True)
class CreatedWorkspace:
    """A new workspace and what must be shown to its owner once."""

    workspace: Workspace
    recovery_code: str
    keyring_error: str | None


def create(home: Path, passphrase: str, *, use_keyring: bool) -> CreatedWorkspace:
    """Create the workspace in ``home``; refuses if one is there already.

    The keyring slot is best effort: if the keyring is unavailable, or not a
    safe one (``keyring_access.ALLOWED``), the workspace is still created with
    the passphrase and recovery slots only, and ``keyring_error`` says why.
    """
    paths = WorkspacePaths(home)
    if paths.database.exists() or paths.keyslots.exists():
        raise WorkspaceExistsError(home)
    slots = KeySlots.new()
    raw_key = secrets.token_bytes(KEY_BYTES)
    # Derive the passphrase slot first: a refused passphrase writes nothing.
    slots.set_passphrase(raw_key, passphrase)
    recovery_code = slots.set_recovery(raw_key)
    ensure_private_dir(home)
    created: list[Path] = []
    try:
        create_private_empty(paths.database)
        created.append(paths.database)
        created.extend(paths.sidecars())
        database.initialise(paths.database, raw_key)
        engine = database.make_engine(paths.database, raw_key)
        schema.upgrade_to(paths.database, raw_key)
        keyring_error = None
        if use_keyring:
            try:
                slots.set_keyring(raw_key)
            except Exception as exc:  # the keyring is optional at creation
                keyring_error = str(exc)
        slots.path = paths.keyslots
        slots.save(paths.keyslots)
    except BaseException:
        for path in created:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise
    workspace = Workspace(paths, slots, engine, raw_key=raw_key)
    return CreatedWorkspace(workspace, recovery_code, keyring_error)


def load_slots(home: Path, *, database: bool = True) -> KeySlots:
    """The key slots of the workspace in ``home``; raises if there is none
    (or, unless ``database`` is False, if its database file is gone)."""
    paths = WorkspacePaths(home)
    if not database and paths.keyslots.is_file():
        return KeySlots.load(paths.keyslots)
    if paths.keyslots.is_file() and not paths.database.exists():
        raise DatabaseFileMissingError(paths.database, integrity.latest_backup(paths.database))
    if not paths.exists():
        raise WorkspaceMissingError(home)
    return KeySlots.load(paths.keyslots)


def raw_key_for(slots: KeySlots, unlocker: Unlocker) -> bytes:
    """The database key, through the slot ``unlocker`` names."""
    if isinstance(unlocker, Passphrase):
        return slots.key_from_passphrase(unlocker.text)
    if isinstance(unlocker, RecoveryCode):
        return slots.key_from_recovery_code(unlocker.text)
    return slots.key_from_keyring()


def open_with_key(
    home: Path, slots: KeySlots, raw_key: bytes, *, migrate: bool = True
) -> Workspace:
    """Open the database with ``raw_key``, proving the key and migrating."""
    paths = WorkspacePaths(home)
    if paths.keyslots.is_file() and not paths.database.exists():
        raise DatabaseFileMissingError(paths.database, integrity.latest_backup(paths.database))
    if not paths.exists():
        raise WorkspaceMissingError(home)
    # The file's shape, header and last page, then one connection: a damaged
    # file, a wrong key or a bad profile fails here, at unlock.
    integrity.check_file(paths.database, raw_key)
    database.connect(paths.database, raw_key).close()
    engine = database.make_engine(paths.database, raw_key)
    result = None
    if migrate:
        result = schema.migrate(engine, paths.database, raw_key, paths.backups)
        if result.upgraded:
            engine = database.make_engine(paths.database, raw_key)
    return Workspace(paths, slots, engine, result, raw_key=raw_key)


def open_workspace(home: Path, unlocker: Unlocker) -> Workspace:
    """Unlock and open the workspace in ``home``."""
    slots = load_slots(home)
    return open_with_key(home, slots, raw_key_for(slots, unlocker))
