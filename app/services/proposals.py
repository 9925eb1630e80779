"""Reading proposals: the list, one proposal in full, its attachments."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Attachment, Proposal
from app.services.calls import get_call
from app.services.errors import ServiceError, UnknownProposalError
from app.services.reason_sentences import describe_reason
from app.services.unlocking import OpenWorkspace
from app.services.views import AttachmentInfo, ProposalDetail, ProposalRow

__all__ = [
    "AttachmentInfo",
    "ProposalDetail",
    "ProposalRow",
    "attachment_content",
    "attachment_counts",
    "list_proposals",
    "proposal_detail",
    "proposal_row",
]


class UnknownAttachmentError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("That attachment is not in this workspace."))


def proposal_row(proposal: Proposal, attachments: int) -> ProposalRow:
    """A proposal as one line of a list."""
    return ProposalRow(
        id=proposal.code,
        title=proposal.title,
        applicant=proposal.applicant,
        neighbourhood=proposal.neighbourhood,
        thematic_area=proposal.thematic_area,
        total_cost=proposal.total_cost,
        requested_contribution=proposal.requested_contribution,
        admissible=proposal.admissible,
        inadmissible_reasons=tuple(describe_reason(r) for r in proposal.inadmissible_reasons),
        attachments=attachments,
    )


def get_proposal(session: Session, call_id: str, code: str) -> Proposal:
    """The proposal ``code`` of ``call_id``, or a refusal naming both."""
    proposal = session.scalars(
        select(Proposal).where(Proposal.call_id == call_id, Proposal.code == code)
    ).first()
    if proposal is None:
        get_call(session, call_id)
        raise UnknownProposalError(call_id, code)
    return proposal


def attachment_counts(session: Session, call_id: str) -> dict[int, int]:
    """How many attachments each proposal of the call has, by proposal row id."""
    return dict(
        session.execute(
            select(Attachment.proposal_id, func.count())
            .join(Proposal)
            .where(Proposal.call_id == call_id)
            .group_by(Attachment.proposal_id)
        ).all()
    )


def list_proposals(ws: OpenWorkspace, call_id: str) -> list[ProposalRow]:
    """Every proposal of the call, by id."""
    with ws.session() as session:
        get_call(session, call_id)
        counts = attachment_counts(session, call_id)
        proposals = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id).order_by(Proposal.code)
        )
        return [proposal_row(p, counts.get(p.id, 0)) for p in proposals]


def proposal_detail(ws: OpenWorkspace, call_id: str, code: str) -> ProposalDetail:
    """One proposal in full (attachment contents are fetched separately)."""
    with ws.session() as session:
        proposal = get_proposal(session, call_id, code)
        infos = tuple(
            AttachmentInfo(a.id, a.filename, a.size, a.sha256) for a in proposal.attachments
        )
        return ProposalDetail(
            row=proposal_row(proposal, len(infos)),
            applicant_tax_code=proposal.applicant_tax_code,
            legal_representative=proposal.legal_representative,
            partners=tuple(proposal.partners),
            summary=proposal.summary,
            attachments=infos,
        )


def attachment_content(ws: OpenWorkspace, attachment_id: int) -> bytes:
    """The bytes of one attachment (a PDF)."""
    with ws.session() as session:
        content = session.scalar(select(Attachment.content).where(Attachment.id == attachment_id))
        if content is None:
            raise UnknownAttachmentError()
        return bytes(content)
