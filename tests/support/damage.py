"""Damaging real workspace files the way disks and copies do: a flipped byte in
a page, a cut tail, an altered key slot or audit entry, a bad backup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096


def page_count(db: Path) -> int:
    return db.stat().st_size // PAGE


def flip_byte(db: Path, page: int, offset: int = 100) -> None:
    """Flip one bit of byte ``offset`` of page ``page`` (1-based), in place."""
    with db.open("r+b") as handle:
        handle.seek((page - 1) * PAGE + offset)
        byte = handle.read(1)
        handle.seek((page - 1) * PAGE + offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def truncate(db: Path, size: int) -> None:
    with db.open("r+b") as handle:
        handle.truncate(size)


def keyed(db: Path, raw_key: bytes) -> Any:
    """A raw keyed connection (to look at a file before damaging it)."""
    conn = sqlcipher.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{raw_key.hex()}'\"")
    return conn


def root_page(db: Path, raw_key: bytes, table: str) -> int:
    """The page that holds ``table``'s root (its only page while it is small)."""
    conn = keyed(db, raw_key)
    try:
        row = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
    finally:
        conn.close()
    assert row is not None, table
    return int(row[0])


def decrypt_page(db: Path, raw_key: bytes, page: int) -> bytes:
    """Page ``page``'s plaintext (SQLCipher 4: AES-256-CBC, the IV in the reserve)."""
    data = db.read_bytes()[(page - 1) * PAGE : page * PAGE]
    start = 16 if page == 1 else 0
    iv = data[PAGE - 80 : PAGE - 64]
    decryptor = Cipher(algorithms.AES(raw_key), modes.CBC(iv)).decryptor()
    return decryptor.update(data[start : PAGE - 80])


def pages_holding(db: Path, raw_key: bytes, text: str) -> list[int]:
    """The pages whose plaintext contains ``text`` (UTF-8)."""
    needle = text.encode("utf-8")
    return [p for p in range(1, page_count(db) + 1) if needle in decrypt_page(db, raw_key, p)]


def edit_slot(home: Path, slot_type: str, **fields: Any) -> None:
    """Change fields of one key slot in keyslots.json (None removes the field)."""
    path = home / "keyslots.json"
    document = json.loads(path.read_text())
    for slot in document["slots"]:
        if slot["type"] == slot_type:
            for name, value in fields.items():
                if value is None:
                    slot.pop(name, None)
                else:
                    slot[name] = value
    path.write_text(json.dumps(document, indent=2) + "\n")


def tamper_audit_entry(db: Path, raw_key: bytes, seq: int, details: str) -> None:
    """Rewrite one audit entry's details behind the triggers (dropped first)."""
    conn = keyed(db, raw_key)
    try:
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute("UPDATE audit_events SET details = ? WHERE seq = ?", (details, seq))
    finally:
        conn.close()


APPEND_ONLY = "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"


def cut_audit_tail(db: Path, raw_key: bytes, keep: int) -> None:
    """Remove every audit entry after ``keep`` behind the triggers, and put the
    triggers back: what is left is a whole chain, only shorter."""
    conn = keyed(db, raw_key)
    try:
        conn.execute("DROP TRIGGER audit_events_no_delete")
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (keep,))
        conn.execute(
            f"CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events {APPEND_ONLY}"
        )
    finally:
        conn.close()


def rewrite_audit_entry(db: Path, raw_key: bytes, seq: int, details: str) -> None:
    """Rewrite entry ``seq``'s details and hash it and every later entry again,
    behind the triggers (put back after): a chain whose every link holds."""
    import datetime as dt

    from app.models import AuditEvent
    from app.store.audit import entry_hash

    conn = keyed(db, raw_key)
    try:
        conn.execute("DROP TRIGGER audit_events_no_update")
        columns = "seq, at, actor, action, call_id, subject, details, prev_hash"
        rows = conn.execute(
            f"SELECT {columns} FROM audit_events WHERE seq >= ? ORDER BY seq", (seq - 1,)
        ).fetchall()
        previous = None
        for number, at, actor, action, call_id, subject, text, prev in rows:
            if number < seq:
                previous = conn.execute(
                    "SELECT hash FROM audit_events WHERE seq = ?", (number,)
                ).fetchone()[0]
                continue
            event = AuditEvent(
                seq=number, at=dt.datetime.fromisoformat(at), actor=actor, action=action,
                call_id=call_id, subject=subject, details=details if number == seq else text,
                prev_hash=prev if previous is None else previous,
            )  # fmt: skip
            previous = entry_hash(event)
            conn.execute(
                "UPDATE audit_events SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (event.details, event.prev_hash, previous, number),
            )
        conn.execute(
            f"CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events {APPEND_ONLY}"
        )
    finally:
        conn.close()
