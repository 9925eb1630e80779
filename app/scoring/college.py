"""The seats of the commission on each proposal, as plain values: who takes
each full member's seat, and why a proposal is below its college. The
services compute them (app/services/college.py); the approval freezes the
shortfalls in the ranking document, and the minutes print them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import _, n_


@dataclass(frozen=True)
class Seat:
    """One full member's place on one proposal, and who takes it."""

    member: str
    # The member's declaration: "evaluates" (free of conflict), "conflict", or
    # "pending" (none yet).
    state: str
    # The substitute assigned in the member's place, and their own declaration.
    substitute: str | None = None
    substitute_state: str | None = None

    @property
    def filled(self) -> bool:
        """Taken by someone who evaluates the proposal."""
        if self.state == "conflict":
            return self.substitute_state == "evaluates"
        return self.state == "evaluates"

    @property
    def open(self) -> bool:
        """Not filled, but someone may still fill it."""
        if self.state == "conflict":
            return self.substitute_state == "pending"
        return self.state == "pending"


@dataclass(frozen=True)
class ProposalCollege:
    proposal: str
    title: str
    required: int
    seats: tuple[Seat, ...]

    @property
    def evaluators(self) -> int:
        return sum(1 for seat in self.seats if seat.filled)

    @property
    def reachable(self) -> int:
        return sum(1 for seat in self.seats if seat.filled or seat.open)

    @property
    def short(self) -> bool:
        """A conflict leaves it below its college, whatever the others do."""
        return self.reachable < self.required

    @property
    def incomplete(self) -> bool:
        """Below its college now (short, or waiting for someone)."""
        return self.evaluators < self.required

    @property
    def vacant(self) -> tuple[str, ...]:
        """The members in conflict whose seat nobody takes."""
        return tuple(
            seat.member
            for seat in self.seats
            if seat.state == "conflict" and seat.substitute_state in (None, "conflict")
        )

    def why(self) -> str:
        """``2 of 3: Elena Colombo in conflict, no substitute; Dario Neri sent nothing``"""
        parts = []
        for seat in self.seats:
            if seat.filled:
                continue
            if seat.state == "pending":
                parts.append(_("{member} has sent nothing").format(member=seat.member))
            elif seat.substitute is None:
                parts.append(_("{member} in conflict, no substitute").format(member=seat.member))
            elif seat.substitute_state == "pending":
                parts.append(
                    _("{member} in conflict, substitute {substitute} has sent nothing").format(
                        member=seat.member, substitute=seat.substitute
                    )
                )
            else:
                parts.append(
                    _("{member} in conflict, substitute {substitute} in conflict too").format(
                        member=seat.member, substitute=seat.substitute
                    )
                )
        return n_(
            "{evaluators} evaluator of {required}: {reasons}",
            "{evaluators} evaluators of {required}: {reasons}",
            self.evaluators,
        ).format(evaluators=self.evaluators, required=self.required, reasons="; ".join(parts))

    @property
    def only_silence(self) -> bool:
        """Below the college only because members sent nothing (no conflict)."""
        return all(seat.filled or seat.state == "pending" for seat in self.seats)


@dataclass(frozen=True)
class CollegeRecord:
    """What the approval froze about the college: the proposals below it,
    the members who sent nothing, and the secretariat's reason."""

    college: str  # "complete" or "quorum"
    required: int
    shortfalls: tuple[ProposalCollege, ...]
    silent: tuple[str, ...]
    reason: str | None
