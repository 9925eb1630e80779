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
MAX_BUNDLE_ENVELOPE = 16 * MiB
MAX_SEALED_BUNDLE = 24 * MiB
MAX_PACKAGE_ENVELOPE = 32 * MiB
MAX_SEALED_PACKAGE = 1024 * MiB


def open_envelope(data: bytes, payload_type: str, max_size: int) -> tuple[dsse.Envelope, Any]:
    """The envelope (signature not yet checked) and its payload as JSON.

    Refuses an envelope of another kind with a sentence that names both.
    """
    envelope = dsse.parse(data, max_size=max_size)
    if envelope.payload_type != payload_type:
        raise WrongKindError(payload_type, envelope.payload_type)
    try:
        payload = strict_json(envelope.payload, payload_type)
    except MalformedError as exc:
        raise BadPayloadError(payload_type, exc.detail) from None
    return envelope, payload
