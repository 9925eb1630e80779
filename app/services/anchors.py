"""The audit chains anchored at the other end: the heads a submission signs,
what the intake compares (and records when an anchor does not hold), and the
check of this workspace's log against every anchor it keeps. The rules are
in ``app/bundles/anchors.py``; this module reads the workspace for them.

Anchors are read from the envelopes already stored (``score_bundles`` and
``receipts`` keep the bytes they came as), so no column duplicates them. A
stored envelope that no longer reads holds no anchor for the steps that
take in or sign (they are not stopped by it); ``vaglio check`` names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.anchors import (
    NOT_HELD,
    WENT_BACK,
    AnchorFinding,
    HeldHead,
    member_chain_finding,
    office_heads_finding,
)
from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.errors import VaglioError
from app.i18n import _
from app.models import ReceiptRecord, ScoreBundleRecord
from app.models.audit_head import GENESIS, AuditHead, went_back
from app.store import audit

ANCHOR_ACTION = "audit.anchor_broken"


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


# -- the office, taking in a bundle --------------------------------------------------


def bundle_findings(
    session: Session, bundle: ScoreBundle, accepted: Iterable[ScoreBundleRecord]
) -> list[AnchorFinding]:
    """At the office, for a new bundle: the member's log against the newest
    head the office holds from them (``accepted``: their bundles for the
    call), and the office's own log against the head the bundle returns."""
    findings = []
    held = None
    for record in sorted(accepted, key=lambda r: r.sequence, reverse=True):
        head = _bundle_head(record.envelope)
        if head is not None:
            held = HeldHead(record.sequence, head)
            break
    member = member_chain_finding(bundle, held)
    if member is not None:
        findings.append(member)
    echoed = bundle.anchors.office_audit_head
    if echoed is not None and not audit.holds(session, echoed):
        found = audit.hash_at(session, echoed.seq)
        current = None if found is None else AuditHead(echoed.seq, found)
        findings.append(AnchorFinding("office", NOT_HELD, bundle.sequence, echoed, current))
    return findings


# -- the member, taking in a receipt --------------------------------------------------


def receipt_findings(session: Session, receipt: Receipt, key_id: str) -> list[AnchorFinding]:
    """At a member, for a new receipt: the office's head against those of the
    receipts already held for the call, and the member's own log against
    every head it sent for the call."""
    findings = []
    if receipt.audit_head is not None:
        others = {}
        for record in _receipts(session, receipt.call_id, key_id):
            head = _receipt_head(record.envelope)
            if head is not None and record.sequence != receipt.sequence:
                others[record.sequence] = head
        office = office_heads_finding(receipt.sequence, receipt.audit_head, others)
        if office is not None:
            findings.append(office)
    sent = session.scalars(
        select(ScoreBundleRecord)
        .where(
            ScoreBundleRecord.call_id == receipt.call_id,
            ScoreBundleRecord.member_key_id == key_id,
            ScoreBundleRecord.direction == "sent",
        )
        .order_by(ScoreBundleRecord.sequence)
    )
    for bundle in sent:
        head = _bundle_head(bundle.envelope)
        if head is not None and not audit.holds(session, head):
            found = audit.hash_at(session, head.seq)
            current = None if found is None else AuditHead(head.seq, found)
            findings.append(AnchorFinding("member", NOT_HELD, bundle.sequence, head, current))
    return findings


def record_findings(
    session: Session,
    findings: Iterable[AnchorFinding],
    *,
    actor: str,
    call_id: str,
    subject: str = "",
    member: str = "",
) -> None:
    """Write each finding into this workspace's own audit log."""
    for finding in findings:
        details = finding.details()
        if member:
            details["member"] = member
        audit.append(
            session,
            actor=actor,
            action=ANCHOR_ACTION,
            call_id=call_id,
            subject=subject,
            details=details,
        )


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


# -- vaglio check ---------------------------------------------------------------------


def anchor_problems(conn: Any, name: str) -> list[str]:
    """Every anchor of the other side this workspace keeps that its audit log
    no longer holds, one sentence each (``conn``: a bare keyed connection;
    rows are read one at a time, since stored bundles can be large).

    The office: the heads members' bundles returned from its receipts. A
    member: the heads it sent in its bundles, and the office's heads in its
    receipts, which must go forward with the bundles they acknowledge.
    """
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' "
            "AND name IN ('score_bundles', 'receipts', 'members')"
        )
    }
    if not {"score_bundles", "receipts", "members"} <= tables:
        return []  # a workspace from before the exchange holds no anchor

    def hash_at(seq: int) -> str | None:
        if seq == 0:
            return GENESIS
        row = conn.execute("SELECT hash FROM audit_events WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    problems = []
    bundles = conn.execute(
        "SELECT b.call_id, b.direction, b.sequence, b.envelope, m.name FROM score_bundles b "
        "LEFT JOIN members m ON m.call_id = b.call_id AND m.key_id = b.member_key_id "
        "ORDER BY b.call_id, b.member_key_id, b.sequence"
    )
    for call_id, direction, sequence, envelope, member in bundles:
        try:
            anchors = ScoreBundle.read_anchors(bytes(envelope))
        except VaglioError:
            text = _(
                "The stored copy of bundle {sequence} no longer reads: the audit log entries "
                "it carries cannot be checked."
            )
            problems.append(_in_call(call_id, text.format(sequence=sequence)))
            continue
        point = anchors.office_audit_head if direction == "received" else anchors.audit_head
        if point is not None and hash_at(point.seq) != point.hash:
            chain = "office" if direction == "received" else "member"
            finding = AnchorFinding(chain, NOT_HELD, sequence, point)
            problems.append(_in_call(call_id, finding.sentence(member or "")))
    previous: tuple[str, int, AuditHead] | None = None
    receipts = conn.execute(
        "SELECT call_id, sequence, envelope FROM receipts WHERE direction = 'received' "
        "ORDER BY call_id, sequence"
    )
    for call_id, sequence, envelope in receipts:
        try:
            head = Receipt.read_audit_head(bytes(envelope))
        except VaglioError:
            text = _(
                "The stored receipt for bundle {sequence} no longer reads: the audit log entry "
                "it carries cannot be checked."
            )
            problems.append(_in_call(call_id, text.format(sequence=sequence)))
            continue
        if head is None:
            continue
        if previous is not None and previous[0] == call_id and went_back(previous[2], head):
            finding = AnchorFinding("office", WENT_BACK, sequence, previous[2], head, previous[1])
            problems.append(_in_call(call_id, finding.sentence()))
        previous = (call_id, sequence, head)
    return problems


def _in_call(call_id: str, sentence: str) -> str:
    return _("{call_id}: {problem}").format(call_id=call_id, problem=sentence)
