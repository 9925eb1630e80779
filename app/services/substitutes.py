"""Assigning a substitute (*supplente*) to a proposal a conflict left short.

The secretariat picks a substitute from the roster for one proposal; they take
the seat of a full member in conflict there (the first such seat in roster
order, or the one named). The call package is then published again, so the
substitute receives the proposals assigned to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crypto.keys import format_fingerprint
from app.i18n import _
from app.labels import FULL_MEMBER_ROLES
from app.models import ConflictDeclaration, Member, Proposal, Substitution
from app.models.base import utc_now
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import CollegeView, college_view
from app.services.college_errors import (
    AmbiguousMemberKeyError,
    NotAdmissibleError,
    NotASubstituteError,
    NotInConflictError,
    NoVacantSeatError,
    SubstituteAlreadySeatedError,
    SubstituteInConflictError,
    UnknownMemberKeyError,
)
from app.services.errors import UnknownProposalError
from app.services.exchange_errors import EvaluationClosedError
from app.services.publication import Published, publish_call
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


@dataclass(frozen=True)
class SubstituteAssigned:
    proposal: str
    substitute: str
    replaces: str
    published: Published
    changes: Changes = field(default_factory=lambda: Changes(roster=True, calls=True))


def find_member(session: Session, call_id: str, key: str) -> Member:
    """The roster member whose key id (or fingerprint) starts with ``key``:
    at least 8 hex digits, spaces and colons ignored."""
    digits = "".join(ch for ch in key.lower() if ch not in " :")
    members = session.scalars(select(Member).where(Member.call_id == call_id)).all()
    found = (
        [m for m in members if m.key_id.startswith(digits)]
        if len(digits) >= 8 and all(ch in "0123456789abcdef" for ch in digits)
        else []
    )
    if not found:
        raise UnknownMemberKeyError(key, call_id)
    if len(found) > 1:
        raise AmbiguousMemberKeyError(key)
    return found[0]


def _vacant(member: Member, conflicts: dict[int, bool], seats: dict[int, Substitution]) -> bool:
    """In conflict, with nobody (or a substitute in conflict too) in their place."""
    if member.commission_role not in FULL_MEMBER_ROLES or not conflicts.get(member.id):
        return False
    seat = seats.get(member.id)
    return seat is None or bool(conflicts.get(seat.substitute_id))


@dataclass(frozen=True)
class SeatChoice:
    """Someone on the roster, as the assignment dialog offers them."""

    key_id: str
    name: str
    fingerprint: str
    # Why a substitute cannot take a seat on this proposal; empty when they can.
    unavailable: str = ""


@dataclass(frozen=True)
class SubstituteChoices:
    """Who may fill a seat on one proposal, and whose seats are empty."""

    call_id: str
    proposal: str
    title: str
    substitutes: tuple[SeatChoice, ...]
    vacant: tuple[SeatChoice, ...]

    @property
    def available(self) -> tuple[SeatChoice, ...]:
        return tuple(s for s in self.substitutes if not s.unavailable)


def substitute_choices(ws: OpenWorkspace, call_id: str, proposal_code: str) -> SubstituteChoices:
    """The roster's substitutes (each with why they cannot sit on ``proposal_code``,
    if so) and the full members in conflict there whose seat nobody takes, in
    roster order: what :func:`assign_substitute` would accept."""
    with ws.session() as session:
        require_role(session, "secretariat")
        get_call(session, call_id)
        proposal = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id, Proposal.code == proposal_code)
        ).first()
        if proposal is None:
            raise UnknownProposalError(call_id, proposal_code)
        roster = session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        ).all()
        seats = {
            s.replaces_id: s
            for s in session.scalars(
                select(Substitution).where(Substitution.proposal_id == proposal.id)
            )
        }
        conflicts = {
            d.member_id: d.has_conflict
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.proposal_id == proposal.id)
            )
        }
        seated = {s.substitute_id for s in seats.values()}

        def choice(member: Member, unavailable: str = "") -> SeatChoice:
            return SeatChoice(
                member.key_id, member.name, format_fingerprint(member.key_id), unavailable
            )

        substitutes = []
        for member in roster:
            if member.commission_role != "substitute":
                continue
            if conflicts.get(member.id):
                substitutes.append(choice(member, _("declared a conflict on this proposal")))
            elif member.id in seated:
                substitutes.append(choice(member, _("already evaluates this proposal")))
            else:
                substitutes.append(choice(member))
        return SubstituteChoices(
            call_id,
            proposal.code,
            proposal.title,
            tuple(substitutes),
            tuple(choice(m) for m in roster if _vacant(m, conflicts, seats)),
        )


def college(ws: OpenWorkspace, call_id: str) -> CollegeView:
    """Every admissible proposal's seats (secretariat)."""
    with ws.session() as session:
        require_role(session, "secretariat")
        return college_view(session, get_call(session, call_id))


def assign_substitute(
    ws: OpenWorkspace,
    call_id: str,
    proposal_code: str,
    substitute_key: str,
    *,
    replaces_key: str | None = None,
) -> SubstituteAssigned:
    """Seat ``substitute_key`` on ``proposal_code`` in place of a member in
    conflict, then publish the call package again."""
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        if call.evaluation_closed_at is not None:
            raise EvaluationClosedError(call_id)
        proposal = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id, Proposal.code == proposal_code)
        ).first()
        if proposal is None:
            raise UnknownProposalError(call_id, proposal_code)
        if not proposal.admissible:
            raise NotAdmissibleError(proposal.code)
        substitute = find_member(session, call_id, substitute_key)
        if substitute.commission_role != "substitute":
            raise NotASubstituteError(substitute.name, call_id)
        seats = {
            s.replaces_id: s
            for s in session.scalars(
                select(Substitution).where(Substitution.proposal_id == proposal.id)
            )
        }
        if any(s.substitute_id == substitute.id for s in seats.values()):
            raise SubstituteAlreadySeatedError(substitute.name, proposal.code)
        conflicts = {
            d.member_id: d.has_conflict
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.proposal_id == proposal.id)
            )
        }
        if conflicts.get(substitute.id):
            raise SubstituteInConflictError(substitute.name, proposal.code)

        if replaces_key is not None:
            replaced = find_member(session, call_id, replaces_key)
            if not _vacant(replaced, conflicts, seats):
                raise NotInConflictError(replaced.name, proposal.code)
        else:
            roster = session.scalars(
                select(Member).where(Member.call_id == call_id).order_by(Member.id)
            ).all()
            candidates = [m for m in roster if _vacant(m, conflicts, seats)]
            if not candidates:
                raise NoVacantSeatError(proposal.code)
            replaced = candidates[0]
        seat = seats.get(replaced.id)
        if seat is None:
            session.add(
                Substitution(call_id=call_id, proposal_id=proposal.id,
                             substitute_id=substitute.id, replaces_id=replaced.id)
            )  # fmt: skip
        else:  # the previous substitute declared a conflict too
            session.delete(seat)
            session.flush()
            session.add(
                Substitution(call_id=call_id, proposal_id=proposal.id,
                             substitute_id=substitute.id, replaces_id=replaced.id,
                             assigned_at=utc_now())
            )  # fmt: skip
        audit.append(
            session,
            actor=identity.key_id,
            action="college.substitute",
            call_id=call_id,
            subject=substitute.key_id,
            details={
                "proposal": proposal.code,
                "substitute": substitute.name,
                "substitute_fingerprint": format_fingerprint(substitute.key_id),
                "replaces": replaced.name,
                "replaces_fingerprint": format_fingerprint(replaced.key_id),
            },
        )
        names = (proposal.code, substitute.name, replaced.name)
    published = publish_call(ws, call_id)
    return SubstituteAssigned(*names, published)
