"""Refusals of the cryptographic layer: each says what is wrong with the bytes."""

from __future__ import annotations

from app.errors import VaglioError, echo
from app.i18n import _


class CryptoError(VaglioError):
    """Base of every refusal of signed or sealed bytes."""


# A detail names a field and may quote a little of the input.
DETAIL_LIMIT = 100


class MalformedError(CryptoError):
    def __init__(self, what: str, detail: str) -> None:
        detail = echo(detail, DETAIL_LIMIT)
        super().__init__(
            _("The {what} is not well formed ({detail}): it was refused.").format(
                what=what, detail=detail
            )
        )
        self.detail = detail


class OversizeError(CryptoError):
    def __init__(self, what: str, size: int, limit: int) -> None:
        super().__init__(
            _("The {what} is too large ({size} bytes, at most {limit}): it was refused.").format(
                what=what, size=size, limit=limit
            )
        )


class BadSignatureError(CryptoError):
    def __init__(self) -> None:
        super().__init__(
            _("The signature does not match the content: the file was altered or forged.")
        )


class NotForThisKeyError(CryptoError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This file is sealed to other recipients, not to this workspace's key: "
                "it cannot be opened here."
            )
        )


class UndecryptableError(CryptoError):
    def __init__(self) -> None:
        super().__init__(
            _("The sealed content does not open with this key: the file was altered or damaged.")
        )
