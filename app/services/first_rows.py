"""The proposals a cold start lists first, read without the database layer.

At a cold start the worker's first import of the database layer (SQLAlchemy,
the ORM, the models, the services) costs three bare windows, and the window
would list nothing until it is done. The secretariat's list needs none of it:
:func:`first_rows` takes the key the OS keyring's slot holds, opens the
SQLCipher file through the driver alone, reads the newest call and its
proposals with plain queries, and closes the connection. The ordinary unlock
follows on the same worker and its list replaces these rows: the same rows,
:func:`app.services.proposals.list_proposals`'s (a test compares them on a
populated workspace).

It decides nothing and never writes. Whenever the path is not the plain one
(no keyring slot, a schema other than this version's, a member's workspace,
whose desk needs the rules, a wrong key, a damaged file, any error at all) it
returns None, and the ordinary unlock shows or says what there is. The key
lives in a local variable for the length of the call and is never logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from app.services.views import ProposalRow


@dataclass(frozen=True)
class FirstRows:
    """The call the window shows first and its proposals, as the list shows them."""

    call_id: str
    call_title: str
    rows: tuple[ProposalRow, ...]


def first_rows(home: Path) -> FirstRows | None:
    """The newest call's proposals in the workspace in ``home``, unlocked from
    the OS keyring, or None when the ordinary unlock must do it."""
    try:
        return _read(home)
    except Exception:  # the ordinary unlock meets the same problem and says it
        return None


def _read(home: Path) -> FirstRows | None:
    import sqlcipher3.dbapi2 as sqlcipher

    from app.config.paths import WorkspacePaths
    from app.store.keyslots import KeySlots
    from app.store.revisions import HEAD

    paths = WorkspacePaths(home)
    if not paths.keyslots.is_file() or not paths.database.is_file():
        return None
    slots = KeySlots.load(paths.keyslots)
    if not slots.has("keyring"):
        return None
    uri = f"file:{quote(str(paths.database))}?mode=ro"
    conn = sqlcipher.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{slots.key_from_keyring().hex()}'\"")
        conn.text_factory = _text
        if _one(conn, "SELECT version_num FROM alembic_version") != HEAD:
            return None
        if _one(conn, "SELECT role FROM identity") != "secretariat":
            return None
        call = conn.execute("SELECT id, title FROM calls ORDER BY created_at DESC").fetchone()
        if call is None:
            return None
        return FirstRows(call[0], call[1], _proposal_rows(conn, call[0]))
    finally:
        conn.close()


def _proposal_rows(conn: Any, call_id: str) -> tuple[ProposalRow, ...]:
    """The rows :func:`app.services.proposals.list_proposals` gives, by code."""
    from app.services.reason_sentences import describe_reason

    counts = dict(
        conn.execute(
            "SELECT a.proposal_id, count(*) FROM attachments AS a"
            " JOIN proposals AS p ON p.id = a.proposal_id WHERE p.call_id = ?"
            " GROUP BY a.proposal_id",
            (call_id,),
        ).fetchall()
    )
    found = conn.execute(
        "SELECT id, code, title, applicant, neighbourhood, thematic_area, total_cost,"
        " requested_contribution, admissible, inadmissible_reasons"
        " FROM proposals WHERE call_id = ? ORDER BY code",
        (call_id,),
    ).fetchall()
    rows = []
    for row_id, code, title, applicant, neighbourhood, area, *money, admissible, reasons in found:
        rows.append(
            ProposalRow(
                id=code,
                title=title,
                applicant=applicant,
                neighbourhood=neighbourhood,
                thematic_area=area,
                total_cost=Decimal(money[0]),
                requested_contribution=Decimal(money[1]),
                admissible=bool(admissible),
                inadmissible_reasons=tuple(describe_reason(r) for r in json.loads(reasons)),
                attachments=counts.get(row_id, 0),
            )
        )
    return tuple(rows)


def _one(conn: Any, sql: str) -> Any:
    found = conn.execute(sql).fetchall()
    return found[0][0] if len(found) == 1 else None


def _text(data: bytes) -> str:
    """UTF-8, and never a NUL: a page that failed its check reads as zeros
    (:func:`app.store.integrity.text_reader`); the ordinary unlock says so."""
    if b"\x00" in data:
        raise ValueError("a text value came back as zero bytes")
    return data.decode("utf-8")
