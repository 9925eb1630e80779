"""Refusals of the exchange with the city office, each with its own sentence."""

from __future__ import annotations

from app.errors import echo
from app.i18n import _, n_
from app.services.errors import ServiceError
from app.services.steps import StepStoppedError


class NoTrustedOfficeError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _("No city office is trusted yet: pin the secretariat's card with 'vaglio trust CARD'.")
        )


class NotASecretariatCardError(ServiceError):
    def __init__(self, role: str) -> None:
        message = _(
            "This card belongs to a {role}, not to a secretariat: "
            "it cannot be trusted as the office."
        )
        super().__init__(message.format(role=echo(role)))


class NotAMemberCardError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("This card belongs to a secretariat, not to a commission member."))


class PublicationStoppedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("Publication of {call_id} stopped: nothing was published.").format(
                call_id=echo(call_id)
            )
        )


class IntakeStoppedError(StepStoppedError):
    """An intake stopped between two files: each file taken in before stays
    (a bundle with its receipt), the one in progress was rolled back, the
    others were not touched. ``taken`` counts what stays."""

    def __init__(self, taken: int, *, office: bool, synchronising: bool = False) -> None:
        self.taken = taken
        outcome: str | None = None
        if office and taken:
            outcome = n_(
                "{count} bundle taken in, the others were not touched.",
                "{count} bundles taken in, the others were not touched.",
                taken,
            ).format(count=taken)
            if synchronising:
                outcome += " " + _("The receipts go out at the next synchronisation.")
        elif taken:
            outcome = n_(
                "{count} file taken in, the others were not touched.",
                "{count} files taken in, the others were not touched.",
                taken,
            ).format(count=taken)
        elif synchronising:
            outcome = _("no bundle was taken in.")
        step = _("Import of the bundles") if office else _("Import of the files")
        super().__init__(step, outcome)


class EmptyRosterError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("Call {call_id} has no commission members yet: enrol them before publishing.").format(
                call_id=echo(call_id)
            )
        )


class NotReadyToSubmitError(ServiceError):
    def __init__(self, missing: int) -> None:
        super().__init__(
            _(
                "Not ready to submit: {missing} proposals still need a declaration or a complete "
                "score sheet."
            ).format(missing=missing)
        )


class NotPublishedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "Call {call_id} did not arrive as a signed call package: nothing to submit to."
            ).format(call_id=echo(call_id))
        )


class EvaluationClosedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("The evaluation of {call_id} is closed: no more score bundles are accepted.").format(
                call_id=echo(call_id)
            )
        )


class BadRemoteError(ServiceError):
    def __init__(self, destination: str) -> None:
        super().__init__(
            _("{destination} is neither an existing folder nor an http(s) WebDAV address.").format(
                destination=echo(destination, 80)
            )
        )


class NoRemoteError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("No remote is set for {call_id}: use 'vaglio remote set {call_id} DEST'.").format(
                call_id=echo(call_id)
            )
        )


class CallChangedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The new package of {call_id} changes the call or its proposals after "
                "publication: it was refused."
            ).format(call_id=echo(call_id))
        )


class NotForThisRoleError(ServiceError):
    def __init__(self, kind: str) -> None:
        super().__init__(_("{kind} cannot be imported in this workspace.").format(kind=kind))


class RosterTooLargeError(ServiceError):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            _(
                "The roster has {count} members: a call package is sealed for at most {limit}."
            ).format(count=count, limit=limit)
        )


class PackageNotForYouError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This call package is not addressed to you. A substitute receives their own "
                "when the secretariat assigns them a proposal."
            )
        )


class OutboxCopyLostError(ServiceError):
    def __init__(self, path: str) -> None:
        super().__init__(
            _(
                "The outbox copy of {path} is missing or changed: it was not sent;"
                " publish the call again to seal it anew."
            ).format(path=echo(path, 120))
        )
