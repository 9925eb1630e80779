"""The SQLCipher database: connections, their protection, and the engine.

Every connection runs ``PRAGMA key`` with the raw 256-bit key as its first
statement, then proves the key right by reading the schema (a wrong key shows
up here, at unlock time, not at the first query of some later screen), then
checks the cipher profile and sets the pragmas the design requires. When that
first read fails, :mod:`app.store.integrity` tells a wrong key from a damaged
file.

**Damage met later.** SQLCipher hands a page whose HMAC fails back to SQLite
as zeros and flags the connection, so a read can return zero bytes as data
before any error (the first statement that needs another page from disk then
fails as "malformed"). Two guards turn both into
:class:`~app.store.errors.DatabaseReadDamagedError`, a sentence instead of a
traceback or a zero date: every text value goes through
:func:`~app.store.integrity.text_reader`,
which refuses NUL characters (Vaglio never stores them: its texts come from
forms, CSV, XLSX and JSON, none of which can carry one), and the engine's
``handle_error`` turns SQLite's "malformed" and "not a database" into the
refusal. A blob or an integer read as zeros is not caught here; ``vaglio
check`` and the checks before a submission, an intake or an approval are.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from app.store.errors import CipherProfileError, DatabaseDamagedError
from app.store.integrity import read_error, text_reader, unreadable

SQLITE_PLAINTEXT_MAGIC = b"SQLite format 3\x00"
REQUIRED_PAGE_SIZE = "4096"
REQUIRED_HMAC = "HMAC_SHA512"
BUSY_TIMEOUT_MS = 10_000


def _key_pragma(raw_key: bytes) -> str:
    return f"PRAGMA key = \"x'{raw_key.hex()}'\""


def _check_profile(conn: Any, path: Path) -> None:
    """Refuse a database that is not protected the way the design says."""
    version = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    major = int(version.split(".", 1)[0])
    if major < 4:
        raise CipherProfileError(f"SQLCipher {version} < 4")
    hmac = conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0]
    if hmac != REQUIRED_HMAC:
        raise CipherProfileError(f"HMAC {hmac}")
    page_size = str(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
    if page_size != REQUIRED_PAGE_SIZE:
        raise CipherProfileError(f"cipher_page_size {page_size}")
    header = str(conn.execute("PRAGMA cipher_plaintext_header_size").fetchone()[0])
    if header != "0":
        raise CipherProfileError(f"plaintext header {header}")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_PLAINTEXT_MAGIC)) == SQLITE_PLAINTEXT_MAGIC:
            raise CipherProfileError("plaintext SQLite header")


def connect(path: Path, raw_key: bytes, *, create: bool = False, foreign_keys: bool = True) -> Any:
    """An open, keyed, checked DB-API connection to ``path``.

    ``create`` allows an empty file (made beforehand, 0600) to be initialised;
    otherwise the file must already be a Vaglio database: opening never creates.
    """
    mode = "rwc" if create else "rw"
    uri = f"file:{quote(str(path))}?mode={mode}"
    try:
        conn = sqlcipher.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlcipher.Error as exc:
        raise DatabaseDamagedError(str(exc)) from exc
    try:
        # Before the key, so that a wrong key prints nothing on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(_key_pragma(raw_key))
        conn.text_factory = text_reader(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlcipher.DatabaseError as exc:
            raise unreadable(path, raw_key, exc) from exc
        if not create:
            _check_profile(conn, path)
        conn.execute("PRAGMA temp_store = MEMORY")
        mode_row = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode_row[0]).lower() != "wal":
            raise CipherProfileError(f"journal_mode {mode_row[0]}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path, raw_key: bytes, *, foreign_keys: bool = True) -> Engine:
    """A SQLAlchemy engine whose every connection comes from :func:`connect`."""
    creator: Callable[[], Any] = lambda: connect(path, raw_key, foreign_keys=foreign_keys)  # noqa: E731
    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=creator,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )

    # The driver runs in autocommit mode (isolation_level=None); SQLAlchemy
    # emits BEGIN itself so that DDL and DML share real transactions.
    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    # A page that fails its HMAC, met by any statement: a sentence, not a traceback.
    @event.listens_for(engine, "handle_error")
    def _damaged(context: Any) -> None:
        damage = read_error(path, context.original_exception)
        if damage is not None:
            raise damage from context.original_exception

    return engine


def initialise(path: Path, raw_key: bytes) -> None:
    """Turn the empty 0600 file at ``path`` into an empty encrypted database."""
    conn = connect(path, raw_key, create=True)
    try:
        # Writing the first page fixes the cipher settings; then check them.
        conn.execute("CREATE TABLE vaglio_init (x INTEGER)")
        conn.execute("DROP TABLE vaglio_init")
        _check_profile(conn, path)
    finally:
        conn.close()


def backup_into(engine: Engine, target: Path) -> None:
    """``VACUUM INTO`` a copy encrypted with the same key (target made 0600 first)."""
    from app.config.files import create_private_empty

    create_private_empty(target)
    try:
        with engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            raw.execute("VACUUM INTO ?", (str(target),))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise
