"""Who evaluates each proposal: full members, and substitutes in their place.

The roster has full members (president, members) and substitutes
(*supplenti*). A full member in conflict on a proposal leaves a seat that a
substitute assigned by the secretariat fills for that proposal alone. The
call's college says how many seats each proposal needs:

- ``complete`` (collegio perfetto): every full member's seat, taken by the
  member or by their substitute;
- ``quorum``: at least the call's ``min_evaluators``.

A proposal is **short** when, even if every pending seat were taken, it could
not reach its college: that is what a conflict does, and what the secretariat
must see at once. Decisions: docs/college.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.labels import FULL_MEMBER_ROLES
from app.models import Call, ConflictDeclaration, Member, Proposal, ScoreBundleRecord, Substitution
from app.scoring.college import ProposalCollege, Seat


@dataclass(frozen=True)
class CollegeView:
    call_id: str
    college: str
    required: int
    full_members: tuple[str, ...]
    substitutes: tuple[str, ...]
    proposals: tuple[ProposalCollege, ...]
    # Full members, and substitutes with proposals assigned, who sent no bundle.
    silent: tuple[str, ...]

    @property
    def short(self) -> tuple[ProposalCollege, ...]:
        return tuple(p for p in self.proposals if p.short)

    @property
    def incomplete(self) -> tuple[ProposalCollege, ...]:
        return tuple(p for p in self.proposals if p.incomplete)


def required_evaluators(call: Call, full_members: int) -> int:
    """Seats each proposal needs: the whole commission, or the quorum."""
    grid = call.grid
    return full_members if grid.college == "complete" else grid.min_evaluators


def college_view(session: Session, call: Call) -> CollegeView:
    """Every admissible proposal's seats, from the declarations the office holds."""
    members = session.scalars(
        select(Member).where(Member.call_id == call.id).order_by(Member.id)
    ).all()
    full = [m for m in members if m.commission_role in FULL_MEMBER_ROLES]
    by_id = {m.id: m for m in members}
    proposals = session.scalars(
        select(Proposal)
        .where(Proposal.call_id == call.id, Proposal.admissible)
        .order_by(Proposal.code)
    ).all()
    declared = {
        (d.member_id, d.proposal_id): d.has_conflict
        for d in session.scalars(
            select(ConflictDeclaration).where(ConflictDeclaration.member_id.in_(by_id))
        )
    }
    substitutes = {
        (s.proposal_id, s.replaces_id): by_id[s.substitute_id]
        for s in session.scalars(select(Substitution).where(Substitution.call_id == call.id))
    }
    senders = set(
        session.scalars(
            select(ScoreBundleRecord.member_key_id).where(
                ScoreBundleRecord.call_id == call.id, ScoreBundleRecord.direction == "received"
            )
        )
    )
    assigned = {s.key_id for s in substitutes.values()}

    def state(member: Member, proposal: Proposal) -> str:
        conflict = declared.get((member.id, proposal.id))
        if conflict is None:
            return "pending"
        return "conflict" if conflict else "evaluates"

    required = required_evaluators(call, len(full))
    result = []
    for proposal in proposals:
        seats = []
        for member in full:
            own = state(member, proposal)
            substitute = substitutes.get((proposal.id, member.id))
            if own == "conflict" and substitute is not None:
                seats.append(Seat(member.name, own, substitute.name, state(substitute, proposal)))
            else:
                seats.append(Seat(member.name, own))
        result.append(ProposalCollege(proposal.code, proposal.title, required, tuple(seats)))
    return CollegeView(
        call_id=call.id,
        college=call.grid.college,
        required=required,
        full_members=tuple(m.name for m in full),
        substitutes=tuple(m.name for m in members if m.commission_role == "substitute"),
        proposals=tuple(result),
        silent=tuple(
            m.name
            for m in members
            if m.key_id not in senders
            and (m.commission_role in FULL_MEMBER_ROLES or m.key_id in assigned)
        ),
    )


def assigned_proposals(session: Session, call_id: str, member: Member) -> set[str]:
    """The proposals a substitute must evaluate."""
    return set(
        session.scalars(
            select(Proposal.code)
            .join(Substitution, Substitution.proposal_id == Proposal.id)
            .where(
                Substitution.call_id == call_id,
                Substitution.substitute_id == member.id,
                Proposal.admissible,
            )
        )
    )


def substitute_seats(session: Session, call_id: str) -> dict[tuple[int, int], bool]:
    """(substitute id, proposal id) of every assignment -> whether the seat is
    theirs: the member they replace is in conflict on the proposal. A
    substitute's evaluation counts only then (a member who withdraws the
    conflict takes the seat back)."""
    conflicted = {
        (d.member_id, d.proposal_id)
        for d in session.scalars(
            select(ConflictDeclaration)
            .join(Member, Member.id == ConflictDeclaration.member_id)
            .where(Member.call_id == call_id, ConflictDeclaration.has_conflict)
        )
    }
    return {
        (s.substitute_id, s.proposal_id): (s.replaces_id, s.proposal_id) in conflicted
        for s in session.scalars(select(Substitution).where(Substitution.call_id == call_id))
    }


def expected_members(session: Session, call_id: str) -> list[Member]:
    """Who is expected at the commission's work, in roster order: the full
    members, and the substitutes who evaluate in someone's place."""
    seated = {sub for (sub, _proposal), mine in substitute_seats(session, call_id).items() if mine}
    return [
        m
        for m in session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        )
        if m.commission_role in FULL_MEMBER_ROLES or m.id in seated
    ]
