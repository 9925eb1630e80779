"""What a commission member sees of a call: the desk and one score sheet.

Only this member's own declarations and scores are read; a member's workspace
never holds anyone else's, and nothing here computes an aggregate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today_in_rome
from app.models import (
    Call,
    ConflictDeclaration,
    GeneralDeclaration,
    Identity,
    Member,
    Proposal,
    Score,
)
from app.models.rules import Grid
from app.scoring.sheet import (
    SheetStatus,
    criterion_complete,
    member_total,
    ready_to_submit,
    scorable,
    sheet_status,
)
from app.services.calls import get_call
from app.services.evaluation_errors import NotAMemberWorkspaceError, NotOnRosterError
from app.services.proposals import attachment_counts, get_proposal, proposal_row
from app.services.unlocking import OpenWorkspace
from app.services.views import (
    CriterionSheetView,
    DeskRow,
    DeskView,
    ScoreSheetView,
)
from app.services.workspace import own_identity


@dataclass(frozen=True)
class MemberContext:
    """The call, this workspace's identity and its roster entry."""

    call: Call
    identity: Identity
    member: Member


def member_context(session: Session, call_id: str) -> MemberContext:
    """The member's own roster entry for ``call_id``, or a refusal."""
    identity = own_identity(session)
    if identity.role != "member":
        raise NotAMemberWorkspaceError()
    call = get_call(session, call_id)
    member = session.scalars(
        select(Member).where(Member.call_id == call_id, Member.key_id == identity.key_id)
    ).first()
    if member is None:
        raise NotOnRosterError(call_id)
    return MemberContext(call, identity, member)


def review_order(call_id: str, member_key_id: str, proposal_ids: list[str]) -> list[str]:
    """This member's own order of the proposals, shuffled against anchoring.

    Seeded by the call and the member's key, so it is stable for the member
    and different from the other members' orders.
    """
    seed = hashlib.sha256(f"vaglio-review-order\x00{call_id}\x00{member_key_id}".encode()).digest()
    return sorted(proposal_ids, key=lambda pid: hashlib.sha256(seed + pid.encode()).digest())


@dataclass(frozen=True)
class _Own:
    general: GeneralDeclaration | None
    declarations: dict[int, ConflictDeclaration]
    values: dict[int, dict[str, Decimal]]
    justifications: dict[int, dict[str, str]]


def _own(session: Session, context: MemberContext) -> _Own:
    member_id = context.member.id
    keys = context.call.criterion_keys()
    values: dict[int, dict[str, Decimal]] = {}
    texts: dict[int, dict[str, str]] = {}
    # Columns, not ORM objects: 80,000 scores on a regional call's desk.
    for proposal_id, criterion_id, value, justification in session.execute(
        select(Score.proposal_id, Score.criterion_id, Score.value, Score.justification).where(
            Score.member_id == member_id
        )
    ):
        key = keys[criterion_id]
        if value is not None:
            values.setdefault(proposal_id, {})[key] = value
        texts.setdefault(proposal_id, {})[key] = justification
    return _Own(
        general=session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member_id)
        ).first(),
        declarations={
            d.proposal_id: d
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member_id)
            )
        },
        values=values,
        justifications=texts,
    )


def _status(grid: Grid, proposal: Proposal, own: _Own) -> SheetStatus:
    declaration = own.declarations.get(proposal.id)
    return sheet_status(
        grid,
        admissible=proposal.admissible,
        declared=declaration is not None,
        conflicted=declaration is not None and declaration.has_conflict,
        values=own.values.get(proposal.id, {}),
        justifications=own.justifications.get(proposal.id, {}),
    )


def desk(ws: OpenWorkspace, call_id: str) -> DeskView:
    """Every proposal with this member's status, in the member's review order."""
    with ws.session() as session:
        context = member_context(session, call_id)
        grid = context.call.grid
        own = _own(session, context)
        proposals = {
            p.code: p for p in session.scalars(select(Proposal).where(Proposal.call_id == call_id))
        }
        counts = attachment_counts(session, call_id)
        order = review_order(call_id, context.member.key_id, list(proposals))
        rows = []
        statuses = []
        for position, code in enumerate(order, start=1):
            proposal = proposals[code]
            status = _status(grid, proposal, own)
            statuses.append(status)
            values = own.values.get(proposal.id, {})
            rows.append(
                DeskRow(
                    proposal=proposal_row(proposal, counts.get(proposal.id, 0)),
                    status=status.value,
                    review_position=position,
                    total=member_total(grid, values) if values else None,
                )
            )
        general = own.general
        return DeskView(
            call_id=call_id,
            call_title=context.call.title,
            member_name=context.member.name,
            general_declared=general is not None,
            general_declared_at=general.declared_at if general else None,
            rows=tuple(rows),
            complete=sum(1 for s in statuses if s == SheetStatus.COMPLETE),
            scorable=sum(1 for s in statuses if scorable(s)),
            ready_to_submit=general is not None and ready_to_submit(statuses),
            deadline=context.call.parsed.info.evaluation_deadline,
            today=today_in_rome(),
        )


def score_sheet(ws: OpenWorkspace, call_id: str, proposal_id: str) -> ScoreSheetView:
    """What the declaration and scoring forms show for one proposal."""
    with ws.session() as session:
        context = member_context(session, call_id)
        call = context.call
        grid = call.grid
        proposal = get_proposal(session, call_id, proposal_id)
        own = _own(session, context)
        declaration = own.declarations.get(proposal.id)
        values = own.values.get(proposal.id, {})
        texts = own.justifications.get(proposal.id, {})
        row = proposal_row(proposal, 0)
        return ScoreSheetView(
            call_id=call_id,
            proposal_id=proposal.code,
            title=proposal.title,
            applicant=proposal.applicant,
            applicant_tax_code=proposal.applicant_tax_code,
            legal_representative=proposal.legal_representative,
            partners=tuple(proposal.partners),
            admissible=proposal.admissible,
            inadmissible_reasons=row.inadmissible_reasons,
            grid=grid,
            general_declared=own.general is not None,
            declared=declaration is not None,
            conflicted=declaration is not None and declaration.has_conflict,
            conflict_category=declaration.category if declaration else None,
            conflict_reason=declaration.reason if declaration else "",
            status=_status(grid, proposal, own).value,
            criteria=tuple(
                CriterionSheetView(
                    rule=c,
                    value=values.get(c.key),
                    justification=texts.get(c.key, ""),
                    complete=criterion_complete(grid, values.get(c.key), texts.get(c.key, "")),
                )
                for c in grid.leaves
            ),
            total=member_total(grid, values),
        )
