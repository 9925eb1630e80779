"""The member's declarations, every proposal on one page, to review before
submitting: none yet, no conflict, or a conflict with its category and
reason; and, once a bundle was sent, whether each still says what was sent.
Only this member's own declarations are read.
"""

from __future__ import annotations

from sqlalchemy import select

from app.models import ConflictDeclaration, GeneralDeclaration, Proposal
from app.services.declaration_import import same_declaration, submitted_declarations
from app.services.declaration_views import (
    AS_SENT,
    CHANGED,
    CONFLICT,
    NO_CONFLICT,
    NOT_SENT,
    UNDECLARED,
    DeclarationRow,
    DeclarationsView,
)
from app.services.member_desk import member_context
from app.services.unlocking import OpenWorkspace

__all__ = [
    "AS_SENT",
    "CHANGED",
    "CONFLICT",
    "NOT_SENT",
    "NO_CONFLICT",
    "UNDECLARED",
    "DeclarationRow",
    "DeclarationsView",
    "declarations_view",
]


def declarations_view(ws: OpenWorkspace, call_id: str) -> DeclarationsView:
    """Every proposal of the call with this member's declaration, by proposal id."""
    with ws.session() as session:
        context = member_context(session, call_id)
        member_id = context.member.id
        general = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member_id)
        ).first()
        own = {
            d.proposal_id: d
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member_id)
            )
        }
        sequence, sent = submitted_declarations(session, context)
        rows = []
        for proposal in session.scalars(
            select(Proposal).where(Proposal.call_id == call_id).order_by(Proposal.code)
        ):
            mine = own.get(proposal.id)
            before = sent.get(proposal.code)
            if sequence is None:
                standing = NOT_SENT
            elif mine is None:
                standing = CHANGED if before is not None else AS_SENT
            elif before is None:
                standing = CHANGED
            else:
                same = same_declaration(mine.has_conflict, mine.category, mine.reason, before)
                standing = AS_SENT if same else CHANGED
            rows.append(
                DeclarationRow(
                    proposal=proposal.code,
                    title=proposal.title,
                    applicant=proposal.applicant,
                    admissible=proposal.admissible,
                    state=UNDECLARED if mine is None else CONFLICT if mine.has_conflict
                    else NO_CONFLICT,
                    category=None if mine is None else mine.category,
                    reason="" if mine is None else mine.reason,
                    declared_at=None if mine is None else mine.declared_at,
                    sent=standing,
                )
            )  # fmt: skip
        return DeclarationsView(call_id, context.call.title, general is not None, sequence,
                                tuple(rows))  # fmt: skip
