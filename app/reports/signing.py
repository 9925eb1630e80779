"""PAdES signatures on the minutes with pyHanko: from a PKCS#12 file or a
PKCS#11 token (smart card, USB key, SoftHSM), optionally time-stamped.

Each signature is an incremental update that fills one signature field, so
the earlier signatures stay intact: the president, the members and the
secretary sign one after another, each in the field of their own block.
The level is PAdES B-B (B-T with an RFC 3161 time-stamp server), or on
request B-LT (the certificates and CRL/OCSP responses embedded in the
document security store) or B-LTA (B-LT and a document time-stamp): see
:data:`LEVELS`. Every update keeps a PDF/A file PDF/A (:mod:`app.reports.pdfa`):
the stamp's text is set in the embedded DejaVu Sans, the version stays 1.7.

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
from app.reports.minutes_progress import SigningWatch
from app.reports.signing_errors import (
    FieldTakenError,
    LevelNeedsTimestampError,
    LevelWithTimestampError,
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
    ValidationDataError,
)

T = TypeVar("T")

# The PAdES baseline levels a signature can be made at (ETSI EN 319 142-1).
LEVELS = ("b-b", "b-t", "b-lt", "b-lta")
TIMESTAMPED_LEVELS = ("b-t", "b-lt", "b-lta")


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


def _stamp_font() -> Any:
    """pyHanko's font engine for the stamp: DejaVu Sans (see ``fonts.stamp_font_bytes``)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    from app.reports.fonts import font_file, stamp_font_bytes

    class StampFont(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(stamp_font_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    return StampFont(str(font_file()))


def _stamp_style() -> Any:
    """The visible stamp: its text in DejaVu Sans, embedded as a subset (PDF/A)."""
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text=_("Digitally signed by %(name)s\nDate: %(ts)s"),
        timestamp_format="%d/%m/%Y %H:%M:%S %Z",
        text_box_style=TextBoxStyle(font=_stamp_font()),
        border_width=0,
        background=None,
    )


def resolve_level(level: str | None, timestamp_url: str | None) -> str:
    """The level a signature is made at: ``level``, or as before B-B/B-T.

    Refused when the level needs a time-stamp server and none is given, or
    when B-B is asked for together with one.
    """
    if level is None:
        return "b-t" if timestamp_url else "b-b"
    if level in TIMESTAMPED_LEVELS and not timestamp_url:
        raise LevelNeedsTimestampError(level)
    if level == "b-b" and timestamp_url:
        raise LevelWithTimestampError()
    return level


def validation_context(signer: Any) -> Any:
    """Where B-LT looks for the signer's chain and its revocation data.

    The roots are the self-signed certificates that came with the key (the
    chain in the PKCS#12 file or on the token); the CRLs and OCSP responses
    are fetched from the addresses the certificates name. Without them the
    signature is refused rather than made at a lower level.
    """
    from pyhanko_certvalidator import ValidationContext

    certificates = [*list(signer.cert_registry), signer.signing_cert]
    roots = [c for c in certificates if c.self_signed]
    others = [c for c in certificates if not c.self_signed]
    return ValidationContext(
        trust_roots=roots,
        other_certs=others,
        allow_fetching=True,
        revocation_mode="hard-fail",
    )


def _timestamper(url: str, watch: SigningWatch) -> Any:
    """pyHanko's HTTP time-stamper, which tells the watch (and hears a Stop)
    before each request to the server."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    class WatchedTimeStamper(HTTPTimeStamper):
        async def async_request_tsa_response(self, req: Any) -> Any:
            watch.phase(_("Time-stamp from {server}…").format(server=url))
            return await super().async_request_tsa_response(req)

    return WatchedTimeStamper(url, timeout=15)


async def _sign(
    pdf: bytes,
    signer: Any,
    field: str,
    timestamp_url: str | None,
    level: str,
    *,
    watch: SigningWatch,
) -> bytes:
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    from app.reports.pdfa import archival_writer

    algorithm = signer.signing_cert.public_key.algorithm
    long_term = level in ("b-lt", "b-lta")
    context = validation_context(signer) if long_term else None
    meta = PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha512" if algorithm in ("ed25519", "ed448") else "sha256",
        reason=_("Signature of the minutes of the evaluation commission"),
        embed_validation_info=long_term,
        validation_context=context,
        use_pades_lta=level == "b-lta",
    )
    timestamper = None
    if timestamp_url and level != "b-b":
        timestamper = _timestamper(timestamp_url, watch)
    pdf_signer = PdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(),
        new_field_spec=SigFieldSpec(field),  # an invisible field when none is left
    )
    # PDF 1.7 (PDF/A-2) for RSA and ECDSA; Ed25519 exists only in PDF 2.0.
    edwards = algorithm in ("ed25519", "ed448")
    writer = archival_writer(pdf, max_version=None if edwards else (1, 7))
    name = stamp_safe(common_name(signer.signing_cert))
    try:
        output = await pdf_signer.async_sign_pdf(writer, appearance_text_params={"name": name})
    finally:
        if context is not None:
            await context.aclose()  # the HTTP session that fetched the CRLs
    return bytes(output.getvalue())


_STAMP_REPLACEMENTS = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def stamp_safe(text: str) -> str:
    """``text`` in the Latin-1 letters the stamp's font carries (``fonts.stamp_font_bytes``).

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
    level: str | None = None,
    watch: SigningWatch | None = None,
) -> SignedPdf:
    """Add one PAdES signature to ``pdf`` (an incremental update); the new bytes.

    ``level`` is one of :data:`LEVELS`; without it the signature is B-T when
    ``timestamp_url`` is given, B-B otherwise (see :func:`resolve_level`).
    ``watch`` hears each phase and may stop between two of them (its
    ``check`` raises); pyHanko's signing call itself cannot be interrupted.
    """
    watch = watch or SigningWatch()
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as HankoSigningError
    from pyhanko_certvalidator.errors import PathError
    from pyhanko_certvalidator.errors import ValidationError as CertValidationError

    level = resolve_level(level, timestamp_url)
    watch.phase(_("Reading the document…"))
    read_pdf(pdf)  # refuse a non-PDF before touching any key
    watch.phase(_("Opening the signature key…"))
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
            watch.phase(_("Signing…"))
            content = run_async(_sign(pdf, signer, chosen, timestamp_url, level, watch=watch))
        except (PathError, CertValidationError) as exc:  # B-LT: no chain or no CRL/OCSP
            raise ValidationDataError(str(exc)[:300] or type(exc).__name__) from None
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
