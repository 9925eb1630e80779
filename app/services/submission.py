"""Submitting: the member's declarations and scores, frozen in a signed bundle
sealed to the city office. A later correction is a new bundle (sequence + 1)
that supersedes the earlier one. The bundle carries the anchors of both audit
logs (``app/services/anchors.py``): this member's head, the entry its log has
where the previous bundle's head was, and the office's head from the newest
receipt."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto.keys import KeyPair
from app.models import (
    ConflictDeclaration,
    CriterionRow,
    GeneralDeclaration,
    Proposal,
    Score,
    ScoreBundleRecord,
    TrustedOffice,
)
from app.services import anchors, outbox
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.closing import CLOSED_STATUSES
from app.services.evaluation_errors import GeneralDeclarationMissingError
from app.services.exchange_errors import (
    EvaluationClosedError,
    NotPublishedError,
    NotReadyToSubmitError,
    NoTrustedOfficeError,
)
from app.services.integrity import require_intact
from app.services.member_desk import desk, member_context
from app.services.unlocking import OpenWorkspace
from app.store import audit


@dataclass(frozen=True)
class Submitted:
    call_id: str
    sequence: int
    remote_path: str
    copy: Path
    scores: int
    declarations: int
    changes: Changes = field(default_factory=lambda: Changes(bundles=True))


def submit(ws: OpenWorkspace, call_id: str) -> Submitted:
    """Freeze this member's declarations and scores into the next score bundle."""
    with ws.session() as session:
        if get_call(session, call_id).status in CLOSED_STATUSES:  # the office closed it
            raise EvaluationClosedError(call_id)
    view = desk(ws, call_id)
    if not view.general_declared:
        raise GeneralDeclarationMissingError(call_id)
    if not view.ready_to_submit:
        missing = sum(
            1 for r in view.rows if r.status not in ("complete", "conflicted", "inadmissible")
        )
        raise NotReadyToSubmitError(missing)
    require_intact(ws)  # nothing is signed from a damaged workspace
    with ws.session() as session:
        context = member_context(session, call_id)
        call, member, identity = context.call, context.member, context.identity
        if not call.office_key_id or call.package_sequence < 1:
            raise NotPublishedError(call_id)
        office = session.scalars(
            select(TrustedOffice).where(TrustedOffice.key_id == call.office_key_id)
        ).first()
        if office is None:
            raise NoTrustedOfficeError()
        general = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member.id)
        ).one()
        codes = dict(
            session.execute(
                select(Proposal.id, Proposal.code).where(Proposal.call_id == call_id)
            ).all()
        )
        keys = dict(
            session.execute(
                select(CriterionRow.id, CriterionRow.key).where(CriterionRow.call_id == call_id)
            ).all()
        )
        declarations = [
            BundleDeclaration(
                codes[d.proposal_id], d.has_conflict, d.category, d.reason, d.declared_at
            )
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id)
            )
        ]
        scores = [
            BundleScore(
                codes[s.proposal_id], keys[s.criterion_id], s.value, s.justification, s.updated_at
            )
            for s in session.scalars(select(Score).where(Score.member_id == member.id))
            if s.value is not None
        ]
        last = outbox.last_sent_bundle(session, call_id, identity.key_id)
        sequence = 1 if last is None else last.sequence + 1
        head, link, office_head = anchors.bundle_anchors(session, call_id, identity.key_id, last)
        bundle, sealed = ScoreBundle.build(
            call_id=call_id,
            grid_hash=call.grid_hash,
            package_sequence=call.package_sequence,
            sequence=sequence,
            previous=None if last is None else last.payload_hash,
            author=KeyPair(identity.signing_private_key, identity.sealing_private_key),
            recipient_key_id=office.key_id,
            recipient_sealing_key=office.sealing_public_key,
            general_text_version=general.text_version,
            general_declared_at=general.declared_at,
            declarations=sorted(declarations, key=lambda d: d.proposal),
            scores=sorted(scores, key=lambda s: (s.proposal, s.criterion)),
            audit_head=head,
            audit_link=link,
            office_audit_head=office_head,
        )
        session.add(
            ScoreBundleRecord(
                call_id=call_id,
                member_key_id=identity.key_id,
                sequence=sequence,
                payload_hash=bundle.payload_hash,
                sealed_sha256=hashlib.sha256(sealed).hexdigest(),
                envelope=bundle.envelope.raw,
                created_at=bundle.created_at,
                direction="sent",
            )
        )
        path = outbox.bundle_path(call_id, identity.key_id, sequence, bundle.payload_hash)
        copy = outbox.add(session, ws, call_id=call_id, kind="bundle", path=path, data=sealed)
        audit.append(
            session,
            actor=identity.key_id,
            action="bundle.submitted",
            call_id=call_id,
            details={
                "sequence": sequence,
                "payload_hash": bundle.payload_hash,
                "scores": len(scores),
                "declarations": len(declarations),
            },
        )
    return Submitted(call_id, sequence, path, copy, len(scores), len(declarations))
