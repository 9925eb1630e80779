"""Appending to the hash-chained audit log, and verifying the chain.

Each entry's hash is ``SHA-256(prev_hash || canonical text)``, where the
canonical text is the JSON of the entry's fields with sorted keys, no spaces
and UTF-8. The first entry's ``prev_hash`` is 64 zeros. The entry is written in
the same transaction as the change it records, so neither exists without the
other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent
from app.models.audit_head import EMPTY_CHAIN, GENESIS, AuditHead
from app.models.base import utc_now
from app.store.errors import AuditChainBrokenError


def canonical_details(details: dict[str, Any]) -> str:
    """Details as canonical JSON text (strings, integers, booleans and lists only)."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(event: AuditEvent) -> str:
    """The hash an entry must carry, from its fields and its predecessor's hash."""
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "call_id": event.call_id,
        "subject": event.subject,
        "details": event.details,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(event.prev_hash.encode("ascii") + text.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    call_id: str = "",
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an entry after the last one; flushed with the session's transaction."""
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    event = AuditEvent(
        seq=1 if last is None else last.seq + 1,
        at=utc_now(),
        actor=actor,
        action=action,
        call_id=call_id,
        subject=subject,
        details=canonical_details(details or {}),
        prev_hash=GENESIS if last is None else last.hash,
    )
    event.hash = entry_hash(event)
    session.add(event)
    session.flush()
    return event


def head(session: Session) -> AuditHead:
    """The chain's last entry (seq 0 and 64 zeros while it is empty): what an
    artefact signed now carries as its author's audit head."""
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return EMPTY_CHAIN if last is None else AuditHead(last.seq, last.hash)


def hash_at(session: Session, seq: int) -> str | None:
    """The hash entry ``seq`` carries now (64 zeros for 0), or None if there is none."""
    if seq == 0:
        return GENESIS
    return session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == seq)).first()


def holds(session: Session, point: AuditHead) -> bool:
    """Whether the chain still has entry ``point.seq`` with ``point.hash``.

    With the chain's own links intact (:func:`verify`), holding one entry
    means holding every entry before it as it was: a cut below ``seq`` or a
    rewrite at or before it shows here.
    """
    return hash_at(session, point.seq) == point.hash


@dataclass(frozen=True)
class AuditReport:
    """The result of a successful verification."""

    entries: int
    head: str


def verify(session: Session) -> AuditReport:
    """Walk the whole chain; raises :class:`AuditChainBrokenError` at the first break."""
    previous = GENESIS
    expected_seq = 1
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if (
            event.seq != expected_seq
            or event.prev_hash != previous
            or entry_hash(event) != event.hash
        ):
            raise AuditChainBrokenError(event.seq)
        previous = event.hash
        expected_seq += 1
        count += 1
    return AuditReport(entries=count, head=previous)


def broken_entries(session: Session) -> list[int]:
    """The number of every entry that does not match the chain, walking it all.

    An altered entry is named alone (the next one still links to the hash it
    carries); a removed one names its successor, which links to nothing.
    """
    return broken_in(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def broken_in(events: Iterable[AuditEvent]) -> list[int]:
    """:func:`broken_entries` over entries already read, in order."""
    broken = []
    previous = GENESIS
    expected_seq = 1
    for event in events:
        if (
            event.seq != expected_seq
            or event.prev_hash != previous
            or entry_hash(event) != event.hash
        ):
            broken.append(event.seq)
        previous = event.hash
        expected_seq = event.seq + 1
    return broken
