"""A call as it travels to the members: definition, proposals, attachments, roster.

The secretariat exports a :class:`CallSnapshot`; a member's workspace installs
it. The signed and sealed call package wraps exactly this content; the
snapshot itself is plain data with no trust attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.models import Attachment, Call, Member, Proposal
from app.services.call_definition import parse_call_definition
from app.services.calls import call_from_definition, get_call
from app.services.changes import Changes
from app.services.errors import CallExistsError
from app.services.evaluation_errors import NotOnRosterError
from app.services.workspace import require_role
from app.store import audit
from app.store.workspace import Workspace


@dataclass(frozen=True)
class AttachmentSnapshot:
    filename: str
    sha256: str
    content: bytes


@dataclass(frozen=True)
class ProposalSnapshot:
    code: str
    title: str
    applicant: str
    applicant_tax_code: str
    legal_representative: str
    partners: tuple[str, ...]
    neighbourhood: str
    thematic_area: str
    total_cost: Decimal
    requested_contribution: Decimal
    summary: str
    admissible: bool
    inadmissible_reasons: tuple[dict[str, Any], ...]
    attachments: tuple[AttachmentSnapshot, ...]


@dataclass(frozen=True)
class MemberSnapshot:
    key_id: str
    name: str
    email: str
    commission_role: str
    signing_public_key: bytes
    sealing_public_key: bytes


@dataclass(frozen=True)
class CallSnapshot:
    call_id: str
    definition: str
    grid_hash: str
    proposals: tuple[ProposalSnapshot, ...]
    roster: tuple[MemberSnapshot, ...]


def export_call(ws: Workspace, call_id: str) -> CallSnapshot:
    """Everything a member needs of ``call_id`` (secretariat)."""
    with ws.session() as session:
        require_role(session, "secretariat")
        call = get_call(session, call_id)
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
        members = session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        ).all()
        return CallSnapshot(
            call_id=call.id,
            definition=call.definition,
            grid_hash=call.grid_hash,
            proposals=tuple(
                ProposalSnapshot(
                    code=p.code,
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
                        AttachmentSnapshot(a.filename, a.sha256, bytes(contents[a.id]))
                        for a in p.attachments
                    ),
                )
                for p in proposals
            ),
            roster=tuple(
                MemberSnapshot(
                    m.key_id,
                    m.name,
                    m.email,
                    m.commission_role,
                    m.signing_public_key,
                    m.sealing_public_key,
                )
                for m in members
            ),
        )


def install_call(ws: Workspace, snapshot: CallSnapshot, *, status: str = "published") -> Changes:
    """Install a call received from the secretariat into a member's workspace."""
    definition = parse_call_definition(snapshot.definition, snapshot.call_id)
    with ws.session() as session:
        identity = require_role(session, "member")
        if session.get(Call, snapshot.call_id) is not None:
            raise CallExistsError(snapshot.call_id)
        if identity.key_id not in {m.key_id for m in snapshot.roster}:
            raise NotOnRosterError(snapshot.call_id)
        call = call_from_definition(definition)
        call.status = status
        session.add(call)
        for member in snapshot.roster:
            session.add(
                Member(
                    call_id=call.id,
                    key_id=member.key_id,
                    name=member.name,
                    email=member.email,
                    commission_role=member.commission_role,
                    signing_public_key=member.signing_public_key,
                    sealing_public_key=member.sealing_public_key,
                )
            )
        for p in snapshot.proposals:
            session.add(
                Proposal(
                    call_id=call.id,
                    code=p.code,
                    title=p.title,
                    applicant=p.applicant,
                    applicant_tax_code=p.applicant_tax_code,
                    legal_representative=p.legal_representative,
                    partners=list(p.partners),
                    neighbourhood=p.neighbourhood,
                    thematic_area=p.thematic_area,
                    total_cost=p.total_cost,
                    requested_contribution=p.requested_contribution,
                    summary=p.summary,
                    admissible=p.admissible,
                    inadmissible_reasons=list(p.inadmissible_reasons),
                    attachments=[
                        Attachment(
                            position=index,
                            filename=a.filename,
                            sha256=a.sha256,
                            size=len(a.content),
                            content=a.content,
                        )
                        for index, a in enumerate(p.attachments)
                    ],
                )
            )
        audit.append(
            session,
            actor=identity.key_id,
            action="call.installed",
            call_id=call.id,
            details={"grid_hash": snapshot.grid_hash, "proposals": len(snapshot.proposals)},
        )
    return Changes(calls=True, proposals=True, roster=True)
