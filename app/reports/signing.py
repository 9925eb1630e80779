"""PAdES signatures on the minutes with pyHanko: from a PKCS#12 file or a
PKCS#11 token (smart card, USB key, SoftHSM), optionally time-stamped.

Each signature is an incremental update that fills one signature field, so
the earlier signatures stay intact: the president, the members and the
secretary sign one after another, each in the field of their own block.
The level is PAdES B-B (B-T with an RFC 3161 time-stamp server).

pyHanko's synchronous functions call ``asyncio.run()``; everything here goes
through :func:`run_async`, which also works when a loop is already running.
"""

from __future__ import annotations

import asyncio
import io
import re
import threading
import unicodedata
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.i18n import _
from app.reports.signing_errors import (
    FieldTakenError,
    NotAPdfError,
    Pkcs11ModuleError,
    Pkcs12Error,
    SigningFailedError,
    TimestampError,
    TokenKeyError,
    TokenNotFoundError,
    TokenPinError,
    UnknownFieldError,
    UnsignablePdfError,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Pkcs12Key:
    """A signing key and its certificate in a PKCS#12 file (.p12, .pfx)."""

    path: Path
    passphrase: str


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token: the module (a .so/.dll), the token, its PIN.

    Without ``key_label`` the first private key that has a certificate with
    the same id is used (a signature card usually holds exactly one).
    """

    module: str
    pin: str
    token_label: str = ""
    key_label: str = ""


SignerKey = Pkcs12Key | Pkcs11Key


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    field: str
    signer: str  # the certificate's common name


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to the end, in a thread of its own if a loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="vaglio-pdf-sign")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def read_pdf(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise NotAPdfError(str(exc) or type(exc).__name__) from None


def signature_fields(pdf: bytes) -> list[tuple[str, bool]]:
    """Every signature field of ``pdf`` with whether it is already signed."""
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = read_pdf(pdf)
    return [(name, value is not None) for name, value, _ref in enumerate_sig_fields(reader)]


def _words(text: str) -> set[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return {word for word in re.split(r"[^a-z0-9]+", ascii_text.lower()) if len(word) > 1}


def _holder_words(field: str) -> set[str]:
    """The words of the person's name in a block's field (``firma-02-componente-marco-ferrari``)."""
    parts = field.split("-")
    return _words(" ".join(parts[3:])) if len(parts) > 3 and parts[0] == "firma" else set()


def choose_field(pdf: bytes, signer_names: list[str], wanted: str | None = None) -> str:
    """The field a signer fills: ``wanted``; else the empty block that bears
    the signer's name (the certificate's common name, or given name and
    surname, in any order: ``COLOMBO ELENA`` fills Elena Colombo's block);
    else a new field of its own. Never another person's block."""
    fields = signature_fields(pdf)
    names = [name for name, _signed in fields]
    if wanted:
        if wanted not in names:
            raise UnknownFieldError(wanted, names)
        if dict(fields)[wanted]:
            raise FieldTakenError(wanted)
        return wanted
    signer = [_words(name) for name in signer_names if _words(name)]
    for name, signed in fields:
        holder = _holder_words(name)
        if signed or not holder:
            continue
        if any(words <= holder or holder <= words for words in signer):
            return name
    number = len(names) + 1
    while f"firma-{number:02d}-aggiunta" in names:
        number += 1
    return f"firma-{number:02d}-aggiunta"


def _pkcs12_signer(key: Pkcs12Key) -> Any:
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = Path(key.path).read_bytes()
    except OSError:
        raise Pkcs12Error(str(key.path)) from None
    try:
        signer = SimpleSigner.load_pkcs12_data(data, (), passphrase=key.passphrase.encode("utf-8"))
    except Exception:  # wrong passphrase, not PKCS#12: pyHanko raises several kinds
        signer = None
    if signer is None:
        raise Pkcs12Error(str(key.path))
    return signer


def _pkcs11_session(key: Pkcs11Key) -> Any:
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not Path(key.module).is_file():
        raise Pkcs11ModuleError(key.module, _("no such file"))
    criteria = TokenCriteria(label=key.token_label) if key.token_label else None
    try:
        return open_pkcs11_session(key.module, token_criteria=criteria, user_pin=key.pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange, p11.PinLocked):
        raise TokenPinError() from None
    except p11.PKCS11Error as exc:
        if "token" in str(exc).lower() or "slot" in str(exc).lower():
            raise TokenNotFoundError(key.token_label) from None
        raise Pkcs11ModuleError(key.module, str(exc) or type(exc).__name__) from None
    except (OSError, RuntimeError) as exc:
        raise Pkcs11ModuleError(key.module, str(exc) or type(exc).__name__) from None


def _pkcs11_signer(session: Any, key: Pkcs11Key) -> Any:
    """pyHanko's signer for the token's key: by label, or the one with a certificate.

    EC keys sign through raw ECDSA (pyHanko hashes): many tokens, SoftHSM
    among them, offer CKM_ECDSA but not the hash-and-sign mechanisms.
    """
    from pkcs11 import Attribute, KeyType, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer

    private = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    certificates = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
    if key.key_label:
        wanted = [k for k in private if k[Attribute.LABEL] == key.key_label]
        if not wanted or not any(c[Attribute.LABEL] == key.key_label for c in certificates):
            raise TokenKeyError(key.key_label)
        raw = wanted[0][Attribute.KEY_TYPE] == KeyType.EC
        return PKCS11Signer(
            session, cert_label=key.key_label, key_label=key.key_label, use_raw_mechanism=raw
        )
    by_id = {k[Attribute.ID]: k for k in private}
    for cert in certificates:
        found = by_id.get(cert[Attribute.ID])
        if found is not None:
            raw = found[Attribute.KEY_TYPE] == KeyType.EC
            ident = cert[Attribute.ID]
            return PKCS11Signer(session, cert_id=ident, key_id=ident, use_raw_mechanism=raw)
    raise TokenKeyError("")


def _stamp_style() -> Any:
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text=_("Digitally signed by %(name)s\nDate: %(ts)s"),
        timestamp_format="%d/%m/%Y %H:%M:%S %Z",
        border_width=0,
        background=None,
    )


async def _sign(pdf: bytes, signer: Any, field: str, timestamp_url: str | None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    algorithm = signer.signing_cert.public_key.algorithm
    meta = PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha512" if algorithm in ("ed25519", "ed448") else "sha256",
        reason=_("Signature of the minutes of the evaluation commission"),
        use_pades_lta=False,
    )
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=15)
    pdf_signer = PdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(),
        new_field_spec=SigFieldSpec(field),  # an invisible field when none is left
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    name = stamp_safe(common_name(signer.signing_cert))
    output = await pdf_signer.async_sign_pdf(writer, appearance_text_params={"name": name})
    return bytes(output.getvalue())


_STAMP_REPLACEMENTS = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def stamp_safe(text: str) -> str:
    """``text`` in the Latin-1 letters the stamp's standard font can draw.

    Only the visible stamp is simplified; the signature holds the
    certificate's own name.
    """
    text = text.translate(_STAMP_REPLACEMENTS)
    return "".join(
        c if ord(c) < 256 else unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
        for c in text
    )


def person_name(certificate: Any) -> str:
    """Given name and surname from the certificate's subject, when it has them."""
    subject = certificate.subject.native
    return " ".join(str(subject.get(key, "")) for key in ("given_name", "surname")).strip()


def common_name(certificate: Any) -> str:
    """The certificate subject's common name (or the whole subject)."""
    subject = certificate.subject.native
    return str(subject.get("common_name") or certificate.subject.human_friendly)


def sign_pdf(
    pdf: bytes,
    key: SignerKey,
    *,
    field: str | None = None,
    timestamp_url: str | None = None,
) -> SignedPdf:
    """Add one PAdES signature to ``pdf`` (an incremental update); the new bytes."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as HankoSigningError

    read_pdf(pdf)  # refuse a non-PDF before touching any key
    session = None
    try:
        if isinstance(key, Pkcs12Key):
            signer = _pkcs12_signer(key)
        else:
            session = _pkcs11_session(key)
            signer = _pkcs11_signer(session, key)
        name = common_name(signer.signing_cert)
        try:
            chosen = choose_field(pdf, [name, person_name(signer.signing_cert)], field)
            content = run_async(_sign(pdf, signer, chosen, timestamp_url))
        except HankoSigningError as exc:  # a ValueError too: caught first
            if timestamp_url and "timestamp" in str(exc).lower():
                raise TimestampError(timestamp_url, str(exc)) from None
            raise SigningFailedError(str(exc)[:200] or type(exc).__name__) from None
        except OSError as exc:  # aiohttp's connection errors are OSErrors too
            if timestamp_url:
                raise TimestampError(timestamp_url, str(exc) or type(exc).__name__) from None
            raise
        except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            # A file that opens but whose objects do not read back (overwritten bytes,
            # a broken cross-reference table): pyHanko fails deep inside.
            raise UnsignablePdfError(str(exc)[:200] or type(exc).__name__) from None
        return SignedPdf(content, chosen, name)
    finally:
        if session is not None:
            session.close()
