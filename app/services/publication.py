"""Publishing a call: the signed call package, sealed to the full members;
and for each substitute with proposals assigned, a package with only those,
sealed to them alone (docs/formats.md §7.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.bundles.package import (
    SUBCRITERIA_VERSION,
    CallPackage,
    PackageAttachment,
    PackageMember,
    PackageProposal,
)
from app.crypto.keys import KeyPair, PublicKeys
from app.crypto.seal import MAX_RECIPIENTS
from app.labels import FULL_MEMBER_ROLES
from app.models import Attachment, Member, Proposal
from app.models.base import utc_now
from app.services import outbox
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import assigned_proposals
from app.services.exchange_errors import EmptyRosterError, RosterTooLargeError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


@dataclass(frozen=True)
class Published:
    call_id: str
    sequence: int
    recipients: int
    remote_path: str
    copy: Path
    changes: Changes = field(default_factory=lambda: Changes(calls=True))
    # The substitutes who got their own package, by name.
    substitutes: tuple[str, ...] = ()


def publish_call(ws: OpenWorkspace, call_id: str) -> Published:
    """Sign and seal the call package (the next sequence) into the outbox."""
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        members = session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        ).all()
        if not members:
            raise EmptyRosterError(call_id)
        if len(members) > MAX_RECIPIENTS:
            raise RosterTooLargeError(len(members), MAX_RECIPIENTS)
        proposals = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id).order_by(Proposal.code)
        ).all()
        contents = dict(
            session.execute(
                select(Attachment.id, Attachment.content)
                .join(Proposal)
                .where(Proposal.call_id == call_id)
            ).all()
        )
        sequence = call.package_sequence + 1
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        roster = [
            PackageMember(
                m.key_id,
                m.name,
                m.email,
                m.commission_role,
                PublicKeys(m.signing_public_key, m.sealing_public_key),
            )
            for m in members
        ]
        full = [m for m in roster if m.commission_role in FULL_MEMBER_ROLES]
        if not full:
            raise EmptyRosterError(call_id)
        assigned = {
            m.key_id: assigned_proposals(session, call_id, m)
            for m in members
            if m.commission_role == "substitute"
        }
        everything = [
            PackageProposal(
                id=p.code,
                title=p.title,
                applicant=p.applicant,
                applicant_tax_code=p.applicant_tax_code,
                legal_representative=p.legal_representative,
                partners=tuple(p.partners),
                neighbourhood=p.neighbourhood,
                thematic_area=p.thematic_area,
                total_cost=p.total_cost,
                requested_contribution=p.requested_contribution,
                summary=p.summary,
                admissible=p.admissible,
                inadmissible_reasons=tuple(p.inadmissible_reasons),
                attachments=tuple(
                    PackageAttachment(a.filename, a.sha256, bytes(contents[a.id]))
                    for a in p.attachments
                ),
            )
            for p in proposals
        ]

        def build(proposals: list[PackageProposal], recipients: list[PackageMember]) -> bytes:
            return CallPackage.build(
                call_id=call_id,
                sequence=sequence,
                grid_hash=call.grid_hash,
                definition=call.definition,
                roster=roster,
                proposals=proposals,
                office=office,
                recipients=recipients,
                version=SUBCRITERIA_VERSION if call.grid.has_subcriteria else 1,
            )

        sealed = build(everything, full)
        path = outbox.package_path(call_id, sequence)
        copy = outbox.add(session, ws, call_id=call_id, kind="package", path=path, data=sealed)
        served = []
        for substitute in roster:
            mine = assigned.get(substitute.key_id)
            if not mine:
                continue
            own = build([p for p in everything if p.id in mine], [substitute])
            own_path = outbox.package_path(call_id, sequence, substitute.key_id)
            outbox.add(session, ws, call_id=call_id, kind="package", path=own_path, data=own)
            served.append(substitute.name)
        call.package_sequence = sequence
        call.office_key_id = identity.key_id
        call.status = "published"
        call.published_at = call.published_at or utc_now()
        audit.append(
            session,
            actor=identity.key_id,
            action="call.published",
            call_id=call_id,
            details={
                "sequence": sequence,
                "recipients": len(full),
                "bytes": len(sealed),
                "substitutes": served,
            },
        )
    return Published(
        call_id, sequence, len(full) + len(served), path, copy, substitutes=tuple(served)
    )
