"""Refusals of signing and verifying a PDF, each with a sentence people can act on."""

from __future__ import annotations

from app.errors import VaglioError
from app.i18n import _


class SigningError(VaglioError):
    """Signing or verifying a PDF could not be done."""


class Pkcs12Error(SigningError):
    def __init__(self, path: str) -> None:
        super().__init__(
            _(
                "The signature file {path} could not be opened: check the passphrase, and "
                "that it is a PKCS#12 file (.p12 or .pfx) holding a key and its certificate."
            ).format(path=path)
        )


class Pkcs11ModuleError(SigningError):
    def __init__(self, module: str, detail: str) -> None:
        super().__init__(
            _("The PKCS#11 module {module} could not be loaded ({detail}).").format(
                module=module, detail=detail
            )
        )


class TokenNotFoundError(SigningError):
    def __init__(self, label: str) -> None:
        super().__init__(
            _("No token labelled «{label}» was found: is the card or token inserted?").format(
                label=label
            )
            if label
            else _("No token was found: is the card or token inserted?")
        )


class TokenPinError(SigningError):
    def __init__(self) -> None:
        super().__init__(_("The token refused the PIN: nothing was signed."))


class TokenKeyError(SigningError):
    def __init__(self, label: str) -> None:
        super().__init__(
            _("The token holds no signing key with a certificate labelled «{label}».").format(
                label=label
            )
            if label
            else _("The token holds no signing key with a certificate.")
        )


class FieldTakenError(SigningError):
    def __init__(self, field: str) -> None:
        super().__init__(
            _("The signature field {field} is already signed: choose another one.").format(
                field=field
            )
        )


class UnknownFieldError(SigningError):
    def __init__(self, field: str, fields: list[str]) -> None:
        super().__init__(
            _("The document has no signature field {field} (fields: {fields}).").format(
                field=field, fields=", ".join(fields) or "—"
            )
        )


class TimestampError(SigningError):
    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            _(
                "The time-stamp server {url} did not answer properly ({detail}): nothing was "
                "signed."
            ).format(url=url, detail=detail)
        )


class LevelNeedsTimestampError(SigningError):
    def __init__(self, level: str) -> None:
        super().__init__(
            _(
                "The level {level} needs a time-stamp server: give its address "
                "(--timestamp-url). Nothing was signed."
            ).format(level=level.upper())
        )


class LevelWithTimestampError(SigningError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The level B-B has no time-stamp: leave out the time-stamp server or choose "
                "B-T. Nothing was signed."
            )
        )


class ValidationDataError(SigningError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "The validation data for a long-term signature could not be gathered "
                "({detail}): the chain up to its root must come with the key, and the "
                "revocation lists or OCSP responders named in the certificates must answer. "
                "Nothing was signed."
            ).format(detail=detail)
        )


class NotAPdfError(SigningError):
    def __init__(self, detail: str) -> None:
        super().__init__(_("This file is not a readable PDF ({detail}).").format(detail=detail))


class DamagedPdfError(SigningError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This PDF is damaged ({detail}): it is not the document that was signed, "
                "and none of its signatures can be trusted."
            ).format(detail=detail)
        )


class TrustRootError(SigningError):
    def __init__(self, name: str) -> None:
        super().__init__(_("{name} is not a certificate (PEM or DER).").format(name=name))


class UnsignablePdfError(SigningError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "This PDF cannot be signed: it is damaged or built in a way that cannot be "
                "read ({detail}). Nothing was signed."
            ).format(detail=detail)
        )


class SigningFailedError(SigningError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The signature could not be made ({detail}). Nothing was signed.").format(
                detail=detail
            )
        )
