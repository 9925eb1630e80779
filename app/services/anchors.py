"""The audit logs anchored at the other end: the heads a submission signs.

Anchors are read from the envelopes already stored (``score_bundles`` and
``receipts`` keep the bytes they came as), so no column duplicates them. A
stored envelope that no longer reads holds no anchor for the steps that
take in or sign (they are not stopped by it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.errors import VaglioError
from app.models import ReceiptRecord, ScoreBundleRecord
from app.models.audit_head import AuditHead
from app.store import audit

# -- the member, signing a bundle ----------------------------------------------------


def bundle_anchors(
    session: Session, call_id: str, key_id: str, last: ScoreBundleRecord | None
) -> tuple[AuditHead, AuditHead | None, AuditHead | None]:
    """What the member's next bundle carries: its log's head, the entry its
    log now has where ``last`` (its previous bundle) had its head, and the
    office's head from the newest receipt it holds for the call."""
    link = None
    previous = None if last is None else _bundle_head(last.envelope)
    if previous is not None:
        found = audit.hash_at(session, previous.seq)
        link = None if found is None else AuditHead(previous.seq, found)
    office_head = None
    for record in _receipts(session, call_id, key_id, newest_first=True):
        office_head = _receipt_head(record.envelope)
        if office_head is not None:
            break
    return audit.head(session), link, office_head


def _bundle_head(envelope: bytes) -> AuditHead | None:
    try:
        return ScoreBundle.read_anchors(envelope).audit_head
    except VaglioError:
        return None


def _receipt_head(envelope: bytes) -> AuditHead | None:
    try:
        return Receipt.read_audit_head(envelope)
    except VaglioError:
        return None


def _receipts(
    session: Session, call_id: str, key_id: str, *, newest_first: bool = False
) -> list[ReceiptRecord]:
    order = ReceiptRecord.sequence.desc() if newest_first else ReceiptRecord.sequence
    return list(
        session.scalars(
            select(ReceiptRecord)
            .where(
                ReceiptRecord.call_id == call_id,
                ReceiptRecord.member_key_id == key_id,
                ReceiptRecord.direction == "received",
            )
            .order_by(order)
        )
    )
