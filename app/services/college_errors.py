"""Refusals about the commission's college: substitutes and same-name cards."""

from __future__ import annotations

from app.errors import echo
from app.i18n import _
from app.services.errors import ServiceError


class NotASubstituteError(ServiceError):
    def __init__(self, who: str, call_id: str) -> None:
        super().__init__(
            _(
                "{who} is not a substitute on the roster of {call_id}: enrol them with "
                "'vaglio call enroll {call_id} CARD --substitute'."
            ).format(who=echo(who), call_id=call_id)
        )


class UnknownMemberKeyError(ServiceError):
    def __init__(self, key: str, call_id: str) -> None:
        super().__init__(
            _("No one on the roster of {call_id} has the key {key}.").format(
                key=echo(key), call_id=call_id
            )
        )


class AmbiguousMemberKeyError(ServiceError):
    def __init__(self, key: str) -> None:
        super().__init__(
            _("The key {key} matches several members: give more of its digits.").format(
                key=echo(key)
            )
        )


class NoVacantSeatError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _(
                "No member is in conflict on {proposal} without a substitute: there is no seat "
                "to fill."
            ).format(proposal=proposal)
        )


class NotInConflictError(ServiceError):
    def __init__(self, member: str, proposal: str) -> None:
        super().__init__(
            _(
                "{member} has not declared a conflict on {proposal} (or already has a "
                "substitute there): a substitute takes only the seat of a member in conflict."
            ).format(member=member, proposal=proposal)
        )


class SubstituteAlreadySeatedError(ServiceError):
    def __init__(self, substitute: str, proposal: str) -> None:
        super().__init__(
            _("{substitute} already evaluates {proposal} in place of another member.").format(
                substitute=substitute, proposal=proposal
            )
        )


class SubstituteInConflictError(ServiceError):
    def __init__(self, substitute: str, proposal: str) -> None:
        super().__init__(
            _("{substitute} declared a conflict on {proposal}: choose another substitute.").format(
                substitute=substitute, proposal=proposal
            )
        )


class NotAdmissibleError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _("{proposal} is not admissible: nobody evaluates it.").format(proposal=proposal)
        )


class SameNameError(ServiceError):
    """A card whose name is already on the roster: two people, or one with two keys?"""

    def __init__(self, name: str, existing: str, new: str) -> None:
        super().__init__(
            _(
                "{name} is already on the roster with the fingerprint {existing}; this card has "
                "the fingerprint {new}. If they are two different people, confirm "
                "(--allow-same-name)."
            ).format(name=name, existing=existing, new=new)
        )
        self.name = name
        self.existing = existing
        self.new = new
