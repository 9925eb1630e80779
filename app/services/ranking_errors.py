"""Refusals of the ranking and of the matchfunding."""

from __future__ import annotations

from app.errors import echo
from app.i18n import _
from app.services.errors import ServiceError
from app.services.steps import StepStoppedError


class RankingApprovedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("The ranking of {call_id} is already approved: it can no longer change.").format(
                call_id=echo(call_id)
            )
        )


class RankingNotApprovedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("The ranking of {call_id} is not approved yet: approve it first.").format(
                call_id=echo(call_id)
            )
        )


class LotteryPendingError(ServiceError):
    def __init__(self, call_id: str, groups: tuple[tuple[str, ...], ...]) -> None:
        self.groups = groups
        tied = "; ".join(", ".join(group) for group in groups)
        super().__init__(
            _(
                "In {call_id}, {tied} are still tied after every criterion of the call: "
                "record the publicly drawn lottery number before approving."
            ).format(call_id=call_id, tied=tied)
        )


class NoLotteryNeededError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("No tie in the ranking of {call_id} reaches the lottery: nothing recorded.").format(
                call_id=echo(call_id)
            )
        )


class LotteryAlreadyDrawnError(ServiceError):
    def __init__(self, call_id: str, number: str) -> None:
        super().__init__(
            _(
                "The lottery number {number} is already recorded for {call_id}: "
                "it cannot be changed."
            ).format(call_id=echo(call_id), number=echo(number))
        )


class BadLotteryNumberError(ServiceError):
    def __init__(self, text: str) -> None:
        super().__init__(
            _(
                "«{text}» is not a drawn number: use digits, several numbers separated "
                "by '-' (for example 37 or 12-45-78)."
            ).format(text=echo(text))
        )


class NoBundlesError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "No score bundle has been received for {call_id}: there is nothing to approve."
            ).format(call_id=echo(call_id))
        )


class NotFundedError(ServiceError):
    def __init__(self, proposal: str) -> None:
        super().__init__(
            _(
                "Proposal {proposal} is not funded: only funded projects have "
                "commitments and payments."
            ).format(proposal=echo(proposal))
        )


class AboveContributionError(ServiceError):
    def __init__(self, proposal: str, total: str, limit: str) -> None:
        super().__init__(
            _(
                "The commitments to {proposal} would reach {total}, above its "
                "contribution of {limit}: nothing recorded."
            ).format(proposal=echo(proposal), total=total, limit=limit)
        )


class AboveCommitmentError(ServiceError):
    def __init__(self, proposal: str, total: str, limit: str) -> None:
        super().__init__(
            _(
                "The payments to {proposal} would reach {total}, above the {limit} "
                "committed: record the commitment first. Nothing recorded."
            ).format(proposal=echo(proposal), total=total, limit=limit)
        )


class FundingRecordInputError(ServiceError):
    """A commitment or payment with a missing or impossible field."""


class UnknownFundingRecordError(ServiceError):
    def __init__(self, record_id: int) -> None:
        super().__init__(_("There is no record {number}.").format(number=record_id))


class CollegeIncompleteError(ServiceError):
    """Under a complete college, approval needs every seat filled, or a reason."""

    def __init__(self, call_id: str, problems: list[str]) -> None:
        shown = problems[:3]
        if len(problems) > 3:
            shown.append(_("and {count} more").format(count=len(problems) - 3))
        super().__init__(
            _(
                "The college of {call_id} is not complete: {problems}. Assign substitutes, or "
                "record the reason (absence, resignation) with the approval (--reason)."
            ).format(call_id=call_id, problems="; ".join(shown))
        )
        self.problems = problems


class ReasonTooLongError(ServiceError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            _("The reason is longer than {limit} characters: shorten it.").format(limit=limit)
        )


class RankingStoppedError(StepStoppedError):
    """The ranking view stopped on request: it only reads, nothing changed."""

    def __init__(self, call_id: str) -> None:
        self.step = "ranking"
        ServiceError.__init__(
            self,
            _("Computing the ranking of {call_id} stopped: nothing was changed.").format(
                call_id=echo(call_id)
            ),
        )


class ApprovalStoppedError(StepStoppedError):
    """The approval stopped on request: its transaction was rolled back."""

    def __init__(self, call_id: str) -> None:
        self.step = "approval"
        ServiceError.__init__(
            self,
            _(
                "Approval of the ranking of {call_id} stopped: the ranking is not approved and "
                "nothing was written."
            ).format(call_id=echo(call_id)),
        )
