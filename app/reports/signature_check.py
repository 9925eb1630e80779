"""Verifying the signatures of any signed PDF with pyHanko.

For each signature: who signed (the certificate's common name), when (the
time the signer reported, and the time-stamp if there is one), whether the
signed bytes are intact, whether the cryptographic signature is valid,
whether the signer's certificate chains to one of the given trust roots, and
what the signature covers: the whole file, or the whole revision it signed
with later incremental updates (further signatures) whose changes are
classified, and the PAdES level it reached (:func:`signature_level`).
Revocation is not checked over the network: the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.i18n import _
from app.reports.signing import common_name, read_pdf, run_async
from app.reports.signing_errors import DamagedPdfError, TrustRootError

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[")
# What a signature covers (pyHanko's SignatureCoverageLevel, by name).
COVERAGE = ("unclear", "contiguous_block_from_start", "entire_revision", "entire_file")
# What changed after it (pyHanko's ModificationLevel, by name).
MODIFICATIONS = ("none", "lta_updates", "form_filling", "annotations", "other")
# The PAdES baseline levels a report can name, and a document time-stamp
# (itself no signature of a person: it dates the whole file for B-LTA).
LEVEL_NAMES = ("B-B", "B-T", "B-LT", "B-LTA")
DOCUMENT_TIMESTAMP = "document-timestamp"


@dataclass(frozen=True)
class SignatureReport:
    """What one signature of a PDF says, and whether it holds."""

    field: str
    signer: str
    subject: str
    issuer: str
    signing_time: dt.datetime | None  # as the signer reported it
    timestamp: dt.datetime | None  # from a time-stamp authority, if any
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature over them is cryptographically valid
    trusted: bool  # the signer's certificate chains to a trust root
    coverage: str  # one of COVERAGE
    modifications: str  # one of MODIFICATIONS: what later revisions changed
    revision: int  # the revision of the file this signature signed (0-based)
    problem: str = ""  # why it could not be checked, if it could not
    level: str = ""  # one of LEVEL_NAMES, or DOCUMENT_TIMESTAMP; "" if unknown

    @property
    def whole_file(self) -> bool:
        return self.coverage == "entire_file"

    @property
    def sound(self) -> bool:
        """Intact, valid, and nothing but form filling or signatures after it."""
        return (
            self.intact
            and self.valid
            and self.coverage in ("entire_file", "entire_revision")
            and self.modifications in ("none", "lta_updates", "form_filling")
        )


def load_certificates(blobs: Sequence[tuple[str, bytes]]) -> list[Any]:
    """Trust roots from PEM or DER files (``(name, bytes)`` pairs)."""
    from asn1crypto import pem, x509

    roots = []
    for name, data in blobs:
        try:
            if pem.detect(data):
                for _kind, _headers, der in pem.unarmor(data, multiple=True):
                    roots.append(x509.Certificate.load(der))
            else:
                certificate = x509.Certificate.load(data)
                certificate.native  # noqa: B018 - parse it all now, refuse garbage here
                roots.append(certificate)
        except (ValueError, TypeError, KeyError):
            raise TrustRootError(name) from None
    return roots


def _name(value: Any) -> str:
    try:
        return str(value.human_friendly)
    except Exception:  # a damaged certificate still gets a report line
        return "?"


def _broken(field: str, problem: str) -> SignatureReport:
    return SignatureReport(field, "?", "?", "?", None, None, False, False, False,
                           "unclear", "other", -1, problem)  # fmt: skip


def _revocation_data(reader: Any) -> tuple[set[str], bool]:
    """The VRI keys of the document security store that carry CRLs or OCSP
    responses, and whether the store holds any at all."""
    try:
        dss = reader.root["/DSS"]
    except KeyError:
        return set(), False
    anywhere = bool(dss.get("/CRLs") or dss.get("/OCSPs"))
    keys = set()
    for key, value in dict(dss.get("/VRI", {})).items():
        entry = value.get_object()
        if entry.get("/CRL") or entry.get("/OCSP"):
            keys.add(str(key).lstrip("/").upper())
    return keys, anywhere


def signature_level(
    signature: Any, timestamped: bool, reader: Any, later_document_timestamps: bool
) -> str:
    """The PAdES level a signature reached, read from the file.

    B-T: the signature carries a signature time-stamp token. B-LT: that, and
    the document security store holds revocation data for it (its VRI entry
    names CRLs or OCSP responses; without VRI entries, the store holds some).
    B-LTA: that, and a document time-stamp was added after the signature.
    """
    import hashlib

    if not timestamped:
        return "B-B"
    keys, anywhere = _revocation_data(reader)
    vri_key = hashlib.sha1(signature.pkcs7_content, usedforsecurity=False).hexdigest().upper()
    if vri_key not in keys and not (anywhere and not keys):
        return "B-T"
    return "B-LTA" if later_document_timestamps else "B-LT"


def _is_document_timestamp(signature: Any) -> bool:
    return str(signature.sig_object_type) == "/DocTimeStamp"


async def _check_all(data: bytes, roots: list[Any]) -> list[SignatureReport]:
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import (
        async_validate_pdf_signature,
        async_validate_pdf_timestamp,
    )
    from pyhanko_certvalidator import ValidationContext

    reader = read_pdf(data)
    try:
        signatures = list(reader.embedded_signatures)
        filled = [str(name) for name, value, _ref in enumerate_sig_fields(reader) if value]
    except Exception as exc:  # the structure broke while reading on
        raise DamagedPdfError(str(exc) or type(exc).__name__) from None
    stamped_revisions = [int(s.signed_revision) for s in signatures if _is_document_timestamp(s)]
    reports = []
    for signature in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        field = str(signature.field_name)
        document_timestamp = _is_document_timestamp(signature)
        status: Any
        stamp_time: dt.datetime | None
        try:
            if document_timestamp:
                status = await async_validate_pdf_timestamp(signature, context)
            else:
                status = await async_validate_pdf_signature(signature, context)
        except Exception as exc:  # a mangled CMS blob or byte range: not intact
            reports.append(_broken(field, str(exc) or type(exc).__name__))
            continue
        certificate = status.signing_cert
        revision = int(signature.signed_revision)
        if document_timestamp:
            stamp_time = status.timestamp
            signing_time = stamp_time
            level = DOCUMENT_TIMESTAMP
        else:
            stamp = status.timestamp_validity
            stamp_time = stamp.timestamp if stamp is not None else None
            signing_time = status.signer_reported_dt
            later = any(r > revision for r in stamped_revisions)
            level = signature_level(signature, stamp is not None, reader, later)
        coverage = status.coverage.value if status.coverage is not None else 0
        changes = status.modification_level
        reports.append(
            SignatureReport(
                field=field,
                signer=common_name(certificate),
                subject=_name(certificate.subject),
                issuer=_name(certificate.issuer),
                signing_time=signing_time,
                timestamp=stamp_time,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                coverage=COVERAGE[coverage],
                modifications=MODIFICATIONS[changes.value] if changes is not None else "other",
                revision=revision,
                level=level,
            )
        )
    # A signed field whose signature pyHanko could not even recognise (a
    # damaged /SubFilter, say) is a signature that does not hold: say so.
    seen = {report.field for report in reports}
    for field in filled:
        if field not in seen:
            reports.append(_broken(field, _("the signature is damaged or of an unknown kind")))
    # Signatures the file's structure no longer leads to (a damaged cross-
    # reference, say) still leave their byte ranges in the bytes.
    for _missing in range(len(BYTE_RANGE.findall(data)) - len(reports)):
        reports.append(_broken("?", _("the file's structure no longer leads to this signature")))
    return reports


def verify_pdf(data: bytes, trust_roots: Sequence[Any] = ()) -> list[SignatureReport]:
    """A report per signature of ``data``, in the order they were added.

    ``trust_roots`` are asn1crypto certificates (see :func:`load_certificates`);
    without any, no signer is trusted. A file that is not a PDF, or so damaged
    that its structure cannot be read, is refused with :class:`DamagedPdfError`
    or :class:`NotAPdfError`: none of its signatures can hold.
    """
    quiet_pyhanko()
    return run_async(_check_all(data, list(trust_roots)))


def quiet_pyhanko() -> None:
    """pyHanko logs each failed check with a traceback; the report says it better."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
