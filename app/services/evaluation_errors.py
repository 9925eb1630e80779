"""Refusals of the member's desk: each has its own sentence."""

from __future__ import annotations

from app.errors import echo
from app.i18n import _
from app.models.evaluation import CONFLICT_CATEGORIES
from app.services.errors import ServiceError


class NotOnRosterError(ServiceError):
    def __init__(self, call_id: str) -> None:
        message = _(
            "You are not on the roster of call {call_id}: ask the secretariat to enrol you."
        )
        super().__init__(message.format(call_id=echo(call_id)))


class GeneralDeclarationMissingError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "First make the general declaration of no incompatibility for {call_id} "
                "('vaglio declare {call_id} --general')."
            ).format(call_id=echo(call_id))
        )


class ProposalDeclarationMissingError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _(
                "First declare whether you have a conflict of interest with proposal {proposal}."
            ).format(proposal=echo(proposal))
        )


class ConflictedProposalError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _(
                "You declared a conflict of interest for proposal {proposal}: you cannot score it."
            ).format(proposal=echo(proposal))
        )


class InadmissibleProposalError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _("Proposal {proposal} is not admissible: it is not scored.").format(
                proposal=echo(proposal)
            )
        )


class UnknownCriterionError(ServiceError):
    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(
            _("The call has no criterion {key}: use {known}.").format(
                key=echo(key), known=", ".join(known)
            )
        )


class ScoredThroughSubcriteriaError(UnknownCriterionError):
    """A score on a criterion that members score through its sub-criteria."""

    def __init__(self, key: str, parts: list[str]) -> None:
        ServiceError.__init__(
            self,
            _("The criterion {key} is scored through its sub-criteria: use {parts}.").format(
                key=echo(key), parts=", ".join(parts)
            ),
        )


class ValueNotAllowedError(ServiceError):
    def __init__(self, criterion: str, value: str, allowed: str) -> None:
        super().__init__(
            _("The value {value} is not allowed for {criterion}: {allowed}.").format(
                value=echo(value), criterion=echo(criterion), allowed=allowed
            )
        )


class MotivationTooShortError(ServiceError):
    def __init__(self, criterion: str, minimum: int, length: int) -> None:
        super().__init__(
            _(
                "The motivation for {criterion} is too short ({length} characters): "
                "write at least {minimum}."
            ).format(criterion=echo(criterion), minimum=minimum, length=length)
        )


class ConflictCategoryError(ServiceError):
    def __init__(self, category: str) -> None:
        super().__init__(
            _("Unknown conflict category {category}: use {categories}.").format(
                category=echo(category), categories=", ".join(CONFLICT_CATEGORIES)
            )
        )


class KeyValueError(ServiceError):
    def __init__(self, option: str, item: str) -> None:
        super().__init__(
            _("{option} wants KEY=VALUE, not {item}").format(option=option, item=echo(item))
        )


class ConflictReasonMissingError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("Say briefly why there is a conflict of interest."))


class NotAMemberWorkspaceError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("Declarations and scores are made in a commission member's workspace."))
