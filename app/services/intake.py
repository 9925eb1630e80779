"""Taking in what comes from the remote or a USB stick, with every check.

The secretariat takes in **score bundles**: unseal with the office key, parse
strictly, verify the signer against the roster and the bundle against the
member's chain (``app.bundles.policy``), check its content against the call,
then store it, replace that member's declarations and scores with it, and
issue a signed receipt, all in one transaction. A member takes in the **call
package** (verified against the pinned office key) and **receipts**.
Anything refused raises a typed error and writes nothing. An audit anchor
that does not hold (``app/bundles/anchors.py``) refuses nothing: it is a note
of the result and an entry of this workspace's audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.bundles import envelopes, policy
from app.bundles.anchors import AnchorFinding
from app.bundles.close_notice import CALL_CLOSED
from app.bundles.envelopes import RECEIPT, SCORE_BUNDLE
from app.bundles.errors import BadPayloadError, UnknownCallError, WrongKindError
from app.bundles.fields import iso
from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.crypto.encoding import strict_json
from app.crypto.errors import MalformedError, OversizeError
from app.crypto.keys import KeyPair
from app.i18n import _
from app.models import (
    Call,
    ConflictDeclaration,
    GeneralDeclaration,
    Identity,
    Member,
    Proposal,
    ReceiptRecord,
    Score,
    ScoreBundleRecord,
    TrustedOffice,
)
from app.models.base import core_table, utc_now
from app.services import anchors, outbox
from app.services.bundle_content import check_content
from app.services.changes import Changes
from app.services.college import assigned_proposals
from app.services.conflict_history import ConflictEvent, record_declarations
from app.services.exchange_errors import (
    EvaluationClosedError,
)
from app.services.integrity import require_intact
from app.services.steps import Cancel
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit

MAX_ANY = envelopes.MAX_SEALED_PACKAGE
# Not a payload type: what ``detect`` calls a sealed part of a call package.
CALL_ATTACHMENT = "application/vnd.vaglio.call-attachment+sealed"


@dataclass(frozen=True)
class IntakeResult:
    """What one file turned out to be and what became of it."""

    kind: str  # "score-bundle", "call-package", "receipt", "call-attachment"
    # "accepted" or "duplicate"; a call package "waiting" for its parts; a part "kept"
    outcome: str
    call_id: str
    sequence: int
    member: str = ""
    gap: policy.SequenceGap | None = None
    changes: Changes = field(default_factory=Changes)
    # The conflicts this bundle declared, changed or withdrew.
    conflicts: tuple[ConflictEvent, ...] = ()
    # The audit anchors that did not hold: a log cut or rewritten.
    anchors: tuple[AnchorFinding, ...] = ()
    # A call package waiting for its parts: how many of how many attachments.
    missing: int = 0
    total: int = 0

    def notes(self) -> list[str]:
        """What people must see besides the outcome: each anchor that did not
        hold, then each conflict."""
        return [finding.sentence(self.member) for finding in self.anchors] + [
            event.sentence() for event in self.conflicts
        ]

    def describe(self) -> str:
        """One line for people."""
        if self.kind == "score-bundle":
            if self.outcome == "duplicate":
                text = _("Bundle {sequence} of {member} was already accepted: nothing changed.")
            else:
                text = _("Accepted bundle {sequence} of {member} for {call_id}; receipt issued.")
            line = text.format(sequence=self.sequence, member=self.member, call_id=self.call_id)
            if self.gap is not None:
                line += " " + _("Bundles {numbers} of this member never arrived.").format(
                    numbers=self.gap
                )
            return line
        if self.kind == "call-attachment":
            return _("Attachment of call {call_id} kept for call package {sequence}.").format(
                call_id=self.call_id, sequence=self.sequence
            )
        if self.kind == "call-package":
            if self.outcome == "waiting":
                return _(
                    "Call package {sequence} of {call_id}: waiting for {missing} attachments "
                    "of {total}."
                ).format(
                    sequence=self.sequence,
                    call_id=self.call_id,
                    missing=self.missing,
                    total=self.total,
                )
            if self.outcome == "duplicate":
                return _("Call package {sequence} of {call_id} is already installed.").format(
                    sequence=self.sequence, call_id=self.call_id
                )
            return _("Installed call package {sequence} of {call_id}.").format(
                sequence=self.sequence, call_id=self.call_id
            )
        if self.outcome == "duplicate":
            return _("Receipt for bundle {sequence} already recorded.").format(
                sequence=self.sequence
            )
        return _("The city office received bundle {sequence} of {call_id}.").format(
            sequence=self.sequence, call_id=self.call_id
        )


def detect(data: bytes) -> str:
    """The kind of artefact in ``data``: a sealed purpose or a payload type."""
    if len(data) > MAX_ANY:
        raise OversizeError("file", len(data), MAX_ANY)
    head = data[:4096].lstrip()
    if not head.startswith(b"{"):
        raise MalformedError("file", "not a Vaglio file")
    if b'"format":"vaglio-sealed"' in head.replace(b" ", b"")[:200]:
        compact = head.replace(b" ", b"")
        if b'"purpose":"call-attachment"' in compact:
            return CALL_ATTACHMENT
        purpose = b'"purpose":"call-package"' in compact
        return envelopes.CALL_PACKAGE if purpose else SCORE_BUNDLE
    if len(data) > envelopes.MAX_BUNDLE_ENVELOPE:
        raise OversizeError("file", len(data), envelopes.MAX_BUNDLE_ENVELOPE)
    document = strict_json(data, "file")
    if isinstance(document, dict) and isinstance(document.get("payloadType"), str):
        return str(document["payloadType"])
    raise MalformedError("file", "not a Vaglio file")


# -- secretariat: score bundles ---------------------------------------------


def _check_content(session: Session, call: Call, member: Member, bundle: ScoreBundle) -> None:
    """The bundle's content must obey the call (app/services/bundle_content.py)."""
    from app.services.declarations import issued_text_versions

    proposals = session.execute(
        select(Proposal.code, Proposal.admissible).where(Proposal.call_id == call.id)
    ).all()
    check_content(
        bundle,
        member=member.name,
        grid=call.grid,
        expected=expected_proposals(session, call, member),
        inadmissible={code for code, admissible in proposals if not admissible},
        published_package=call.package_sequence,
        text_versions=issued_text_versions(),
        created_at=call.created_at,
    )


def expected_proposals(session: Session, call: Call, member: Member) -> set[str]:
    """The proposals ``member`` must evaluate: every admissible one, or for a
    substitute those assigned to them."""
    if member.commission_role == "substitute":
        return assigned_proposals(session, call.id, member)
    return set(
        session.scalars(
            select(Proposal.code).where(Proposal.call_id == call.id, Proposal.admissible)
        )
    )


def _replace_evaluation(
    session: Session, call: Call, member: Member, bundle: ScoreBundle
) -> list[ConflictEvent]:
    """Make the member's declarations and scores those of the newest bundle,
    after appending what changed to the conflict history (its events return).

    Bulk statements rather than ORM objects: a bundle of 1,000 proposals
    carries 6,000 scores.
    """
    proposals = dict(
        session.execute(select(Proposal.code, Proposal.id).where(Proposal.call_id == call.id)).all()
    )
    events = record_declarations(session, member, proposals, bundle.declarations, bundle.sequence)
    criteria = {c.key: c.id for c in call.criteria}
    for table in (Score, ConflictDeclaration, GeneralDeclaration):
        session.execute(delete(table).where(table.member_id == member.id))
    # Core inserts, not ORM ones: no objects to track for rows written once.
    session.execute(
        insert(core_table(GeneralDeclaration)),
        [
            {
                "member_id": member.id,
                "text_version": bundle.general_text_version,
                "declared_at": bundle.general_declared_at,
            }
        ],
    )
    if bundle.declarations:
        session.execute(
            insert(core_table(ConflictDeclaration)),
            [
                {
                    "member_id": member.id,
                    "proposal_id": proposals[d.proposal],
                    "has_conflict": d.conflict,
                    "category": d.category,
                    "reason": d.reason,
                    "declared_at": d.declared_at,
                }
                for d in bundle.declarations
            ],
        )
    if bundle.scores:
        # The largest part of a bundle: straight to the driver, values already
        # in their stored form (exact decimal text, ISO 8601 UTC).
        session.connection().exec_driver_sql(
            "INSERT INTO scores (member_id, proposal_id, criterion_id, value, justification, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    member.id,
                    proposals[s.proposal],
                    criteria[s.criterion],
                    f"{s.value:f}",
                    s.justification,
                    iso(s.updated_at),
                )
                for s in bundle.scores
            ],
        )
    return events


def check_before_intake(ws: OpenWorkspace) -> None:
    """The office's full data check, once before a batch of bundles (refuses,
    writing nothing, if the workspace is damaged); nothing for a member."""
    with ws.session() as session:
        role = own_identity(session).role
    if role == "secretariat":
        require_intact(ws)


def accept_score_bundle(
    ws: OpenWorkspace, data: bytes, *, checked: bool = False, cancel: Cancel | None = None
) -> IntakeResult:
    """Take in one sealed score bundle (secretariat).

    Before anything is written, the workspace's data checks run, unless the
    caller ran them for the whole batch (``checked``, after
    :func:`check_before_intake`). A duplicate or a refused bundle never gets
    that far, so it costs no check. A ``cancel`` set while the bundle is
    being taken in stops it before its audit entry and receipt: its
    transaction is rolled back (:class:`~app.sync.errors.CancelledError`).
    """
    with ws.session() as session:
        identity = own_identity(session)
        if identity.role != "secretariat":
            raise WrongKindError(envelopes.CALL_PACKAGE, SCORE_BUNDLE)
        sealed_call_id, envelope = ScoreBundle.unseal(
            data, office_key_id=identity.key_id, office_sealing_private=identity.sealing_private_key
        )
        bundle = ScoreBundle.parse(envelope, sealed_call_id=sealed_call_id)
        call = session.get(Call, bundle.call_id)
        if call is None:
            raise UnknownCallError(bundle.call_id)
        members = {
            m.key_id: m for m in session.scalars(select(Member).where(Member.call_id == call.id))
        }
        records = session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == call.id,
                ScoreBundleRecord.member_key_id == bundle.author_key_id,
                ScoreBundleRecord.direction == "received",
            )
        ).all()
        last = max(records, key=lambda r: r.sequence, default=None)
        verdict = policy.check_bundle(
            bundle,
            call_id=call.id,
            grid_hash=call.grid_hash,
            office_key_id=identity.key_id,
            roster_signing_keys={k: m.signing_public_key for k, m in members.items()},
            last=None if last is None else policy.LastAccepted(last.sequence, last.payload_hash),
            accepted_hashes={r.sequence: r.payload_hash for r in records},
        )
        member = members[bundle.author_key_id]
        if verdict.duplicate:
            return IntakeResult("score-bundle", "duplicate", call.id, bundle.sequence, member.name)
        if call.evaluation_closed_at is not None:
            raise EvaluationClosedError(call.id)
        _check_content(session, call, member, bundle)
        if not checked:
            require_intact(ws)  # reads through its own connections: no lock is held against it
        received_at = utc_now()
        session.add(
            ScoreBundleRecord(
                call_id=call.id,
                member_key_id=member.key_id,
                sequence=bundle.sequence,
                payload_hash=bundle.payload_hash,
                sealed_sha256=hashlib.sha256(data).hexdigest(),
                envelope=bundle.envelope.raw,
                created_at=bundle.created_at,
                direction="received",
                received_at=received_at,
                missing_from=None if verdict.gap is None else verdict.gap.first,
                missing_to=None if verdict.gap is None else verdict.gap.last,
            )
        )
        conflicts = _replace_evaluation(session, call, member, bundle)
        if cancel is not None:
            cancel.check()  # stopped now: the rollback undoes this bundle, nothing is on disk
        findings = anchors.bundle_findings(session, bundle, records)
        anchors.record_findings(
            session,
            findings,
            actor=identity.key_id,
            call_id=call.id,
            subject=member.key_id,
            member=member.name,
        )
        audit.append(
            session,
            actor=identity.key_id,
            action="bundle.accepted",
            call_id=call.id,
            subject=member.key_id,
            details={
                "member": member.name,
                "sequence": bundle.sequence,
                "payload_hash": bundle.payload_hash,
                "missing": None if verdict.gap is None else str(verdict.gap),
                "scores": len(bundle.scores),
            },
        )
        # Signed after the entry above: the receipt carries the head that records it.
        _issue_receipt(session, ws, identity, member, bundle, received_at=received_at)
        return IntakeResult(
            "score-bundle",
            "accepted",
            call.id,
            bundle.sequence,
            member.name,
            verdict.gap,
            Changes(bundles=True, scores=True, declarations=True),
            tuple(conflicts),
            tuple(findings),
        )


def _issue_receipt(
    session: Session,
    ws: OpenWorkspace,
    identity: Identity,
    member: Member,
    bundle: ScoreBundle,
    *,
    received_at: dt.datetime,
) -> None:
    call_id = bundle.call_id
    receipt = Receipt.build(
        call_id=call_id,
        member_key_id=member.key_id,
        sequence=bundle.sequence,
        bundle_hash=bundle.payload_hash,
        received_at=received_at,
        office=KeyPair(identity.signing_private_key, identity.sealing_private_key),
        audit_head=audit.head(session),
    )
    session.add(
        ReceiptRecord(
            call_id=call_id,
            member_key_id=member.key_id,
            sequence=bundle.sequence,
            bundle_hash=bundle.payload_hash,
            received_at=receipt.received_at,
            envelope=receipt.raw,
            direction="issued",
        )
    )
    path = outbox.receipt_path(call_id, member.key_id, bundle.sequence)
    outbox.add(session, ws, call_id=call_id, kind="receipt", path=path, data=receipt.raw)


# -- member: the call package and receipts -------------------------------------


def install_package(ws: OpenWorkspace, data: bytes, *, remote_path: str = "") -> IntakeResult:
    """Install (or update the roster from) a call package (member); see
    ``app/services/package_install.py``."""
    from app.services import package_install

    return package_install.install_package(ws, data, remote_path=remote_path)


def accept_receipt(ws: OpenWorkspace, data: bytes) -> IntakeResult:
    """Record the office's receipt for one of this member's bundles."""
    envelope_kind = detect(data)
    if envelope_kind != RECEIPT:
        raise WrongKindError(RECEIPT, envelope_kind)
    with ws.session() as session:
        identity = own_identity(session)
        offices = {o.key_id: o for o in session.scalars(select(TrustedOffice))}
        if identity.role != "member" or not offices:
            raise WrongKindError(SCORE_BUNDLE, RECEIPT)
        from app.crypto import dsse

        hint = dsse.parse(data, max_size=envelopes.MAX_RECEIPT).keyid
        office = offices.get(hint)
        if office is None:
            from app.bundles.errors import UntrustedOfficeError

            raise UntrustedOfficeError()
        receipt = Receipt.parse(data, office_signing_key=office.signing_public_key)
        if receipt.member_key_id != identity.key_id:
            raise BadPayloadError(RECEIPT, "another member's receipt")
        record = session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == receipt.call_id,
                ScoreBundleRecord.member_key_id == identity.key_id,
                ScoreBundleRecord.sequence == receipt.sequence,
                ScoreBundleRecord.direction == "sent",
            )
        ).first()
        call = session.get(Call, receipt.call_id)
        if call is None or call.office_key_id != office.key_id:
            from app.bundles.errors import UntrustedOfficeError

            raise UntrustedOfficeError()
        if record is None or record.payload_hash != receipt.bundle_hash:
            raise BadPayloadError(RECEIPT, "no such bundle was sent")
        if record.receipt_at is not None:
            return IntakeResult("receipt", "duplicate", receipt.call_id, receipt.sequence)
        findings = anchors.receipt_findings(session, receipt, identity.key_id)
        record.receipt_at = receipt.received_at
        session.add(
            ReceiptRecord(
                call_id=receipt.call_id,
                member_key_id=identity.key_id,
                sequence=receipt.sequence,
                bundle_hash=receipt.bundle_hash,
                received_at=receipt.received_at,
                envelope=receipt.raw,
                direction="received",
            )
        )
        audit.append(
            session,
            actor=identity.key_id,
            action="receipt.received",
            call_id=receipt.call_id,
            details={"sequence": receipt.sequence, "received_at": receipt.received_at.isoformat()},
        )
        anchors.record_findings(session, findings, actor=identity.key_id, call_id=receipt.call_id)
        return IntakeResult(
            "receipt",
            "accepted",
            receipt.call_id,
            receipt.sequence,
            changes=Changes(bundles=True),
            anchors=tuple(findings),
        )


def import_file(
    ws: OpenWorkspace, data: bytes, *, checked: bool = False, cancel: Cancel | None = None
) -> IntakeResult:
    """Take in any Vaglio file, sending it to the right use case for this role
    (``checked``: :func:`check_before_intake` already ran for this batch;
    ``cancel``: a score bundle in progress is undone if it is set)."""
    kind = detect(data)
    with ws.session() as session:
        role = own_identity(session).role
    if role == "secretariat":
        if kind != SCORE_BUNDLE:
            raise WrongKindError(SCORE_BUNDLE, kind)
        return accept_score_bundle(ws, data, checked=checked, cancel=cancel)
    if kind == envelopes.CALL_PACKAGE:
        return install_package(ws, data)
    if kind == CALL_ATTACHMENT:
        from app.services.package_install import keep_part

        return keep_part(ws, data)
    if kind == RECEIPT:
        return accept_receipt(ws, data)
    if kind == CALL_CLOSED:
        from app.services.closing import accept_close_notice

        return accept_close_notice(ws, data)
    raise WrongKindError(envelopes.CALL_PACKAGE, kind)
