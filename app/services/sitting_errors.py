"""Refusals of the commission's sittings as records, of their discussions of
dispersion flags, and of minutes without a recorded sitting."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import echo
from app.i18n import _
from app.services.errors import ServiceError

NOTE_LIMIT = 500  # characters of a discussion's note


class MinutesWithoutSittingError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(minutes_need_a_sitting(call_id))


def minutes_need_a_sitting(call_id: str) -> str:
    """What to record before the minutes of ``call_id`` can be printed."""
    return _(
        "The minutes of {call_id} state the sittings of the commission, and none is recorded: "
        "record each sitting first (vaglio sittings {call_id} --add YYYY-MM-DD --start HH:MM "
        "--end HH:MM --place TEXT --present NAME … --absent NAME … --secretary NAME; or "
        "Minutes, Commission sittings). Nothing was written."
    ).format(call_id=echo(call_id))


class SittingTimeError(ServiceError):
    def __init__(self, text: str) -> None:
        super().__init__(
            _("{text} is not a time: write it as HH:MM (e.g. 09:30). Nothing recorded.").format(
                text=echo(text)
            )
        )


class SittingTimesOrderError(ServiceError):
    def __init__(self, start: str, end: str) -> None:
        super().__init__(
            _("The sitting ends ({end}) before it starts ({start}): nothing recorded.").format(
                start=echo(start), end=echo(end)
            )
        )


class SittingModeError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Say where the sitting was held (--place) or the telematic tool it was held "
                "with (--telematic), one of the two: nothing recorded."
            )
        )


class SittingSecretaryMissingError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _("Name the secretary who took the minutes of the sitting (--secretary): nothing "
              "recorded.")
        )  # fmt: skip


class AttendanceIncompleteError(ServiceError):
    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__(
            _(
                "Every member of the commission is either present or absent: say which of "
                "{names} was. Nothing recorded."
            ).format(names=", ".join(echo(n) for n in missing))
        )


class AttendanceBothError(ServiceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _("{name} is listed both as present and as absent: nothing recorded.").format(
                name=echo(name)
            )
        )


class DiscussionOutcomeError(ServiceError):
    def __init__(self, outcome: str) -> None:
        super().__init__(
            _("The outcome is confirmed or revised, not {outcome}: nothing recorded.").format(
                outcome=echo(outcome)
            )
        )


class DiscussionNoteError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Write a short note of what the commission said (at most {limit} characters): "
                "nothing recorded."
            ).format(limit=NOTE_LIMIT)
        )


class NotAFlagError(ServiceError):
    def __init__(self, proposal: str, criterion: str) -> None:
        super().__init__(
            _(
                "{proposal} has no dispersion flag on {criterion} in the ranking: there is "
                "nothing to discuss (vaglio discussion CALL_ID lists the flags). Nothing recorded."
            ).format(proposal=echo(proposal), criterion=echo(criterion))
        )


class DiscussionWithoutSittingError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "A discussion happens in a sitting, and none is recorded for {call_id}: record "
                "the sitting first (vaglio sittings {call_id} --add …). Nothing recorded."
            ).format(call_id=echo(call_id))
        )


class SittingHasDiscussionsError(ServiceError):
    def __init__(self, number: int, count: int) -> None:
        super().__init__(
            _(
                "Sitting {number} holds {count} recorded discussions of dispersion flags: the "
                "minutes name it, so it stays. Nothing removed."
            ).format(number=number, count=count)
        )
