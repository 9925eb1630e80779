"""Is the workspace intact? The cheap checks run at every open; the full ones
on demand (``vaglio check``) and before the steps that sign or freeze data.

- **At open** (:func:`check_file`): the file is there, not empty, a whole
  number of pages, no shorter than its header says, and its first and last
  pages carry their own authentication codes. A few KiB read whatever the
  size. A file the key cannot read is told apart from a damaged one
  (:func:`unreadable`).
- **Full**: SQLCipher's HMAC of every page (``PRAGMA cipher_integrity_check``,
  which names each page), SQLite's ``integrity_check`` and
  ``foreign_key_check``, the audit chain, the key slots and each backup.

Each full check returns its problems as sentences (an empty list: intact);
the services turn them into the report.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from app.config.paths import BACKUPS_NAME
from app.i18n import _
from app.models import AuditEvent
from app.store import audit, pages
from app.store.errors import (
    CipherProfileError,
    DatabaseEmptyError,
    DatabaseFileMissingError,
    DatabaseHeaderDamagedError,
    DatabasePageDamagedError,
    DatabaseReadDamagedError,
    DatabaseTruncatedError,
    StoreError,
    WorkspaceDamagedError,
    WrongKeyError,
    slot_label,
)
from app.store.keyslots import (
    ARGON2_ITERATIONS,
    ARGON2_LANES,
    ARGON2_MEMORY_KIB,
    KEY_BYTES,
    KeySlots,
)

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
_STAMP = re.compile(r"(\d{8}T\d{6}Z)\.db$")


# -- backups ---------------------------------------------------------------------


def backups(home: Path) -> list[Path]:
    """The backup files of the workspace in ``home``, oldest first."""
    folder = home / BACKUPS_NAME
    if not folder.is_dir():
        return []

    def order(path: Path) -> tuple[str, str]:
        match = _STAMP.search(path.name)
        return (match.group(1) if match else "", path.name)

    return sorted((p for p in folder.glob("*.db") if p.is_file()), key=order)


def latest_backup(database: Path) -> Path | None:
    """The most recent backup beside ``database``, if there is one."""
    found = backups(database.parent)
    return found[-1] if found else None


# -- at open -----------------------------------------------------------------------


def check_file(path: Path, raw_key: bytes) -> None:
    """The cheap checks of every open; raises the typed error that says what is wrong.

    Reads the first and the last page only: a damaged page in the middle is
    found by the read that hits it, or by the full check.
    """
    backup = latest_backup(path)
    try:
        shape = pages.shape(path)
    except FileNotFoundError:
        raise DatabaseFileMissingError(path, backup) from None
    if shape.size == 0:
        raise DatabaseEmptyError(path, backup)
    if not shape.whole:
        raise DatabaseTruncatedError(path, _size_detail(shape), backup)
    first = pages.read_page(path, 1)
    if first.startswith(pages.PLAINTEXT_MAGIC):
        raise CipherProfileError("plaintext SQLite header")
    key = pages.hmac_key(raw_key, first[: pages.SALT_BYTES])
    if not pages.page_authentic(first, 1, key):
        raise _first_page_failure(path, raw_key, backup)
    found = pages.header(first, raw_key)
    expected = found.pages if found is not None else None
    if expected is not None and shape.pages < expected and not pages.wal_in_use(path):
        raise DatabaseTruncatedError(
            path,
            _("it holds {pages} pages of 4096 bytes, its header counts {expected}").format(
                pages=shape.pages, expected=expected
            ),
            backup,
        )
    last = shape.pages
    if last > 1 and not pages.page_authentic(pages.read_page(path, last), last, key):
        raise DatabasePageDamagedError(path, last, backup)


def _size_detail(shape: pages.Shape) -> str:
    if shape.size < pages.PAGE_SIZE:
        return _("{size} bytes, less than one page of 4096").format(size=shape.size)
    return _("{size} bytes is not a whole number of 4096-byte pages").format(size=shape.size)


def _first_page_failure(path: Path, raw_key: bytes, backup: Path | None) -> StoreError:
    """Page 1 does not authenticate: a damaged header, or a key for another file."""
    first = pages.read_page(path, 1)
    if pages.header(first, raw_key) is not None:
        # The key decrypts the header: the salt or the page's code was altered.
        return DatabaseHeaderDamagedError(path, backup)
    key = pages.hmac_key(raw_key, first[: pages.SALT_BYTES])
    count = pages.shape(path).pages
    for number in (2, count):
        if 1 < number <= count and pages.page_authentic(pages.read_page(path, number), number, key):
            return DatabaseHeaderDamagedError(path, backup)
    return WrongKeyError()


def unreadable(path: Path, raw_key: bytes, error: Exception) -> StoreError:
    """What to say when the key's first read of ``path`` failed with ``error``."""
    try:
        check_file(path, raw_key)
    except StoreError as found:
        return found
    if getattr(error, "sqlite_errorcode", None) == SQLITE_NOTADB:
        return WrongKeyError()
    return DatabaseReadDamagedError(path, str(error), latest_backup(path))


def text_reader(path: Path) -> Callable[[bytes], str]:
    """A connection's ``text_factory``: UTF-8, and never a NUL (a zeroed page)."""

    def read(data: bytes) -> str:
        if b"\x00" in data:
            detail = _("a text value came back as zero bytes")
            raise DatabaseReadDamagedError(path, detail, latest_backup(path))
        return data.decode("utf-8")

    return read


def read_error(path: Path, error: Exception) -> WorkspaceDamagedError | None:
    """The refusal for an error a read met, if it says the file is damaged."""
    if getattr(error, "sqlite_errorcode", None) in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseReadDamagedError(path, str(error), latest_backup(path))
    return None


# -- full checks -------------------------------------------------------------------


@contextlib.contextmanager
def keyed(path: Path, raw_key: bytes) -> Iterator[Any]:
    """A bare keyed connection for the checks' pragmas (reads only; never creates)."""
    from urllib.parse import quote

    conn = sqlcipher.connect(
        f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{raw_key.hex()}'\"")
        conn.text_factory = text_reader(path)
        yield conn
    finally:
        conn.close()


_HMAC_FAILED = re.compile(r"HMAC verification failed for page (\d+)")
_BAD_SIZE = re.compile(r"page (\d+) has an invalid size of (\d+) bytes")


MAX_PAGES_NAMED = 20


def page_problems(conn: Any, name: str) -> list[str]:
    """``PRAGMA cipher_integrity_check``: one sentence per page that does not hold
    (the first :data:`MAX_PAGES_NAMED`, then how many more)."""
    problems = []
    rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    for (message,) in rows[:MAX_PAGES_NAMED]:
        text = str(message)
        if match := _HMAC_FAILED.search(text):
            problems.append(
                _(
                    "Page {page} of {file} is damaged: its authentication code does not match."
                ).format(page=match.group(1), file=name)
            )
        elif match := _BAD_SIZE.search(text):
            problems.append(
                _("Page {page} of {file} is cut short: {size} bytes of 4096.").format(
                    page=match.group(1), file=name, size=match.group(2)
                )
            )
        else:
            problems.append(_("{file}: {message}").format(file=name, message=text))
    if len(rows) > MAX_PAGES_NAMED:
        problems.append(
            _("… and {count} more damaged pages in {file}.").format(
                count=len(rows) - MAX_PAGES_NAMED, file=name
            )
        )
    return problems


def integrity_problems(conn: Any, name: str) -> list[str]:
    """``PRAGMA integrity_check`` (SQLite's structure: b-trees, indexes, free pages)."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher.DatabaseError as error:
        return [_("SQLite cannot walk {file}: {detail}.").format(file=name, detail=error)]
    messages = [str(row[0]) for row in rows]
    if messages == ["ok"]:
        return []
    return [
        _("SQLite finds in {file}: {message}.").format(file=name, message=message)
        for message in messages
    ]


def foreign_key_problems(conn: Any, name: str) -> list[str]:
    """``PRAGMA foreign_key_check``: rows that point at rows no longer there."""
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlcipher.DatabaseError as error:
        return [
            _("SQLite cannot check the references of {file}: {detail}.").format(
                file=name, detail=error
            )
        ]
    return [
        _("Row {row} of table {table} refers to a missing row of {parent}.").format(
            row=row, table=table, parent=parent
        )
        for table, row, parent, _fk in rows
    ]


def audit_problems(conn: Any, name: str) -> list[str]:
    """Every audit entry that does not match the chain, by number.

    Read through the bare connection, not a session: the check can then run
    while the workspace holds its write lock (the office's intake does).
    """
    columns = "seq, at, actor, action, call_id, subject, details, prev_hash, hash"
    try:
        rows = conn.execute(f"SELECT {columns} FROM audit_events ORDER BY seq").fetchall()  # noqa: S608
        events = [
            AuditEvent(
                seq=seq, at=dt.datetime.fromisoformat(at), actor=actor, action=action,
                call_id=call_id, subject=subject, details=details, prev_hash=prev, hash=digest,
            )
            for seq, at, actor, action, call_id, subject, details, prev, digest in rows
        ]  # fmt: skip
    except (sqlcipher.Error, ValueError, TypeError) as error:
        detail = error.sentence if isinstance(error, WorkspaceDamagedError) else str(error)
        return [
            _("The audit log of {file} cannot be read: {detail}").format(file=name, detail=detail)
        ]
    sentence = _(
        "Audit entry {seq} does not match the chain: it was altered, removed or reordered."
    )
    return [sentence.format(seq=seq) for seq in audit.broken_in(events)]


def keyslot_problems(slots: KeySlots) -> list[str]:
    """Each slot parses and its parameters are the ones Vaglio writes (or stronger)."""
    problems = []
    for index, slot in enumerate(slots.slots, start=1):
        kind = str(slot.get("type"))
        for detail in _slot_defects(slot):
            problems.append(
                _("Key slot {index} ({slot}) is damaged: {detail}.").format(
                    index=index, slot=slot_label(kind), detail=detail
                )
            )
    kinds = slots.types()
    for kind in sorted({k for k in kinds if kinds.count(k) > 1}):
        problems.append(_("There is more than one {slot} key slot.").format(slot=slot_label(kind)))
    if not any(kind in kinds for kind in ("passphrase", "recovery")):
        problems.append(_("No key slot opens with a passphrase or a recovery code."))
    return problems


def _bytes_field(slot: dict[str, Any], name: str, size: int) -> str | None:
    value = slot.get(name)
    if not isinstance(value, str):
        return _("{field} is missing").format(field=name)
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return _("{field} is not base64").format(field=name)
    if len(decoded) != size:
        return _("{field} holds {count} bytes instead of {size}").format(
            field=name, count=len(decoded), size=size
        )
    return None


def _int_field(slot: dict[str, Any], name: str, low: int, high: int) -> str | None:
    value = slot.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return _("{field} is {value}, not between {low} and {high}").format(
            field=name, value=repr(value), low=low, high=high
        )
    return None


def _slot_defects(slot: dict[str, Any]) -> list[str]:
    kind = slot.get("type")
    found: list[str | None] = []
    if kind in ("passphrase", "recovery"):
        found += [
            _bytes_field(slot, "salt", 16),
            _bytes_field(slot, "nonce", 12),
            _bytes_field(slot, "wrapped_key", KEY_BYTES + 16),
        ]
    if kind == "passphrase":
        if slot.get("kdf") != "argon2id":
            found.append(_("kdf is {value}, not argon2id").format(value=repr(slot.get("kdf"))))
        found += [
            _int_field(slot, "memory_kib", ARGON2_MEMORY_KIB, 4 * 1024 * 1024),
            _int_field(slot, "iterations", ARGON2_ITERATIONS, 100),
            _int_field(slot, "lanes", 1, 4 * ARGON2_LANES),
        ]
    elif kind == "recovery":
        if slot.get("kdf") != "hkdf-sha256":
            found.append(_("kdf is {value}, not hkdf-sha256").format(value=repr(slot.get("kdf"))))
    elif kind == "keyring" and not isinstance(slot.get("service"), str):
        found.append(_("service is missing"))
    return [defect for defect in found if defect is not None]


def backup_problems(backup: Path, raw_key: bytes) -> list[str]:
    """One backup: it opens with the workspace's key and passes the integrity checks."""
    name = backup.name
    try:
        shape = pages.shape(backup)
        first = pages.read_page(backup, 1)
    except OSError as error:
        detail = error.strerror or type(error).__name__
        return [_("The backup {file} cannot be read ({detail}).").format(file=name, detail=detail)]
    if not shape.whole:
        detail = _size_detail(shape)
        return [_("The backup {file} is truncated: {detail}.").format(file=name, detail=detail)]
    key = pages.hmac_key(raw_key, first[: pages.SALT_BYTES])
    if not pages.page_authentic(first, 1, key):
        failure = _first_page_failure(backup, raw_key, None)
        if isinstance(failure, WrongKeyError):
            return [
                _("The backup {file} does not open with this workspace's key.").format(file=name)
            ]
    try:
        with keyed(backup, raw_key) as conn:
            problems = page_problems(conn, name)
            if problems:
                return problems
            return integrity_problems(conn, name) + foreign_key_problems(conn, name)
    except sqlcipher.Error as error:
        return [_("The backup {file} cannot be read ({detail}).").format(file=name, detail=error)]
