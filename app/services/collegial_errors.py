"""Refusals of the commission's collegial scores: each has its own sentence."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import echo
from app.i18n import _
from app.services.errors import ServiceError


class NotCollegialError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                'Call {call_id} does not use collegial scores (method "collegial"): '
                "its points come from the members' own values."
            ).format(call_id=echo(call_id))
        )


class UnknownVoteError(ServiceError):
    def __init__(self, vote: str) -> None:
        super().__init__(
            _("Unknown vote {vote}: use unanimous or majority.").format(vote=echo(vote))
        )


class UnanimousWithDissentError(ServiceError):
    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(
            _(
                "A unanimous decision has no dissenting members, yet {names} are named: "
                "record it as a majority decision, or name no one."
            ).format(names=", ".join(echo(n) for n in names))
        )


class MajorityWithoutDissentError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "A majority decision names the members who voted against it: "
                "give at least one, or record the decision as unanimous."
            )
        )


class NotInCollegeError(ServiceError):
    def __init__(self, name: str, proposal: str, college: Sequence[str]) -> None:
        super().__init__(
            _(
                "{name} is not in the college that evaluates {proposal} (a member enrolled "
                "in the call and not in conflict on it): {college}."
            ).format(
                name=echo(name),
                proposal=echo(proposal),
                college=", ".join(college) or _("no one"),
            )
        )


class NoMajorityError(ServiceError):
    def __init__(self, dissent: int, college: int) -> None:
        super().__init__(
            _(
                "{dissent} of the {college} members of the college voted against: that is "
                "not a majority decision, nothing recorded."
            ).format(dissent=dissent, college=college)
        )


class DissenterAbsentError(ServiceError):
    def __init__(self, name: str, day: str) -> None:
        super().__init__(
            _(
                "{name} was not present at the sitting of {day}: only those present can "
                "vote against."
            ).format(name=echo(name), day=day)
        )


class SittingRequiredError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The sittings of {call_id} are recorded: say in which one the commission "
                "agreed this score (--sitting N)."
            ).format(call_id=echo(call_id))
        )


class CollegialClosedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The ranking of {call_id} is approved or its lottery number is recorded: "
                "the collegial scores can no longer change."
            ).format(call_id=echo(call_id))
        )


class CollegialPendingError(ServiceError):
    def __init__(self, call_id: str, proposals: Sequence[str]) -> None:
        self.proposals = tuple(proposals)
        super().__init__(
            _(
                "In {call_id} the commission has not yet agreed every collegial score of "
                "{proposals}: record them before approving."
            ).format(call_id=echo(call_id), proposals=", ".join(proposals))
        )


class SittingHasCollegialScoresError(ServiceError):
    def __init__(self, number: int, count: int) -> None:
        super().__init__(
            _(
                "Sitting {number} is where {count} collegial scores were agreed: "
                "it cannot be removed."
            ).format(number=number, count=count)
        )


class DissenterLeftCollegeError(ServiceError):
    def __init__(self, call_id: str, cases: Sequence[str]) -> None:
        self.cases = tuple(cases)
        super().__init__(
            _(
                "In {call_id} a member recorded as voting against has since left the "
                "proposal's college (a conflict declared later): {cases}. Record those "
                "collegial scores again before approving."
            ).format(call_id=echo(call_id), cases="; ".join(cases))
        )
