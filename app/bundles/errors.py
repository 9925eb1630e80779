"""Refusals of artefacts, each with a sentence a secretary can act on."""

from __future__ import annotations

from app.crypto.errors import CryptoError
from app.errors import echo
from app.i18n import _

# A detail names a field or a member and may quote a little of it.
DETAIL_LIMIT = 100


class BundleError(CryptoError):
    """Base of every artefact refusal."""


def kind_label(payload_type: str) -> str:
    """An artefact's kind as people call it, from its payload type."""
    for key, label in (
        ("enrollment", _("an enrollment card")),
        ("call-package", _("a call package")),
        ("score-bundle", _("a score bundle")),
        ("receipt", _("a receipt")),
        ("call-closed", _("a notice that the call is closed")),
        ("invitation", _("an invitation")),
        ("call-attachment", _("an attachment of a call package")),
    ):
        if f".{key}+" in payload_type:
            return label
    return _("an unknown file ({type})").format(type=echo(payload_type))


class WrongKindError(BundleError):
    def __init__(self, expected: str, got: str) -> None:
        super().__init__(
            _("This is {got}, not {expected}: it was refused.").format(
                got=kind_label(got), expected=kind_label(expected)
            )
        )


class BadPayloadError(BundleError):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(
            _("The content of {kind} is not valid ({detail}): it was refused.").format(
                kind=kind_label(kind), detail=echo(detail, DETAIL_LIMIT)
            )
        )
        self.detail = detail


class WrongCallError(BundleError):
    def __init__(self, found: str, expected: str) -> None:
        super().__init__(
            _("This file belongs to call {found}, not to {expected}: it was refused.").format(
                found=echo(found), expected=echo(expected)
            )
        )


class UnknownCallError(BundleError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("This file belongs to call {call_id}, which is not in this workspace.").format(
                call_id=echo(call_id)
            )
        )


class WrongOfficeError(BundleError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This score bundle is addressed to another office key, not to this "
                "secretariat: it was refused."
            )
        )


class UnknownSignerError(BundleError):
    def __init__(self) -> None:
        super().__init__(_("The signer of this file is not on the call's roster: it was refused."))


class UntrustedOfficeError(BundleError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This call package is not signed by the city office you trust: it was "
                "refused. Pin the secretariat's card first with 'vaglio trust'."
            )
        )


class GridMismatchError(BundleError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The scores were given against a different criteria grid than the call's: "
                "the bundle was refused."
            )
        )


class ReplayError(BundleError):
    def __init__(self, sequence: int, last: int) -> None:
        super().__init__(
            _(
                "Bundle number {sequence} differs from the one already accepted with that number "
                "(the last accepted is {last}): a replay or a rollback, refused."
            ).format(sequence=sequence, last=last)
        )


class RollbackError(BundleError):
    def __init__(self, sequence: int, last: int) -> None:
        super().__init__(
            _(
                "Bundle number {sequence} is older than the last accepted ({last}): "
                "a rollback, refused."
            ).format(sequence=sequence, last=last)
        )


class ExtraRecipientsError(BundleError):
    def __init__(self, count: int) -> None:
        super().__init__(
            _(
                "This bundle is sealed to {count} keys: a score bundle is sealed to the city "
                "office alone, refused."
            ).format(count=count)
        )


class SequenceTooFarError(BundleError):
    def __init__(self, sequence: int, last: int, step: int) -> None:
        super().__init__(
            _(
                "Bundle number {sequence} is more than {step} past the last accepted ({last}): "
                "refused."
            ).format(sequence=sequence, step=step, last=last)
        )


class ChainBrokenError(BundleError):
    def __init__(self, sequence: int) -> None:
        super().__init__(
            _(
                "Bundle number {sequence} does not follow the previous accepted bundle "
                "(its link does not match): refused."
            ).format(sequence=sequence)
        )


class ContainerError(BundleError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The archive is not acceptable ({detail}): it was refused before reading it.").format(
                detail=echo(detail, DETAIL_LIMIT)
            )
        )
        self.detail = detail


class CardKeyMismatchError(BundleError):
    def __init__(self) -> None:
        super().__init__(_("The card's key id does not match its keys: the card was altered."))
