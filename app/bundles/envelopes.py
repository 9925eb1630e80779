"""Payload types, size limits, and opening an envelope of an expected kind."""

from __future__ import annotations

from typing import Any

from app.bundles.errors import BadPayloadError, WrongKindError
from app.crypto import dsse
from app.crypto.encoding import strict_json
from app.crypto.errors import MalformedError

ENROLLMENT = "application/vnd.vaglio.enrollment+json;v=1"
CALL_PACKAGE = "application/vnd.vaglio.call-package+json;v=1"
SCORE_BUNDLE = "application/vnd.vaglio.score-bundle+json;v=1"
RECEIPT = "application/vnd.vaglio.receipt+json;v=1"

KiB, MiB = 1024, 1024 * 1024
MAX_CARD = 64 * KiB
MAX_RECEIPT = 64 * KiB
MAX_BUNDLE_ENVELOPE = 64 * MiB
MAX_SEALED_BUNDLE = 96 * MiB
MAX_PACKAGE_ENVELOPE = 32 * MiB
MAX_SEALED_PACKAGE = 1024 * MiB


def parse_envelope(data: bytes, payload_type: str, max_size: int) -> dsse.Envelope:
    """The envelope, if it is of the expected kind; neither its signature nor
    its payload is checked yet (verify first, then :func:`payload_of`)."""
    envelope = dsse.parse(data, max_size=max_size)
    if envelope.payload_type != payload_type:
        raise WrongKindError(payload_type, envelope.payload_type)
    return envelope


def payload_of(envelope: dsse.Envelope) -> Any:
    """The envelope's payload as strict JSON."""
    try:
        return strict_json(envelope.payload, envelope.payload_type)
    except MalformedError as exc:
        raise BadPayloadError(envelope.payload_type, exc.detail) from None


def open_envelope(data: bytes, payload_type: str, max_size: int) -> tuple[dsse.Envelope, Any]:
    """The envelope (signature not yet checked) and its payload as JSON.

    Refuses an envelope of another kind with a sentence that names both.
    """
    envelope = parse_envelope(data, payload_type, max_size)
    return envelope, payload_of(envelope)
