"""Refusals of the minutes and of the commission's sittings."""

from __future__ import annotations

from app.errors import echo
from app.i18n import _
from app.services.errors import ServiceError
from app.services.steps import StepStoppedError


class MinutesBeforeApprovalError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The minutes of {call_id} come after the ranking: approve the ranking first "
                "(vaglio ranking {call_id} --approve). Nothing was written."
            ).format(call_id=echo(call_id))
        )


class SittingPlaceMissingError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("Say where the sitting was held, or how (for example: by video call)."))


class UnknownAttendeeError(ServiceError):
    def __init__(self, name: str, call_id: str) -> None:
        super().__init__(
            _("{name} is not on the commission of {call_id}: nothing recorded.").format(
                name=echo(name), call_id=echo(call_id)
            )
        )


class UnknownSittingError(ServiceError):
    def __init__(self, number: int) -> None:
        super().__init__(_("There is no sitting {number}.").format(number=number))


class FutureSittingError(ServiceError):
    def __init__(self, day: str) -> None:
        super().__init__(
            _("A sitting on {day} has not taken place yet: nothing recorded.").format(day=echo(day))
        )


class MinutesStoppedError(StepStoppedError):
    """Making (and writing) the minutes stopped on request, before the file was touched."""

    def __init__(self, call_id: str) -> None:
        self.step = "minutes"
        ServiceError.__init__(
            self,
            _("The minutes of {call_id} were stopped: nothing was written.").format(
                call_id=echo(call_id)
            ),
        )


class SigningStoppedError(StepStoppedError):
    """A signature stopped on request between two of its phases."""

    def __init__(self) -> None:
        self.step = "signature"
        ServiceError.__init__(
            self, _("The signature was stopped: nothing was signed and nothing was written.")
        )
