"""DSSE envelopes (the in-toto / Sigstore signing format), signed with Ed25519.

The signature covers ``PAE(payloadType, payload)`` — the exact bytes shipped,
never a re-serialisation::

    PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

The envelope is ``{"payloadType", "payload", "signatures": [{"keyid", "sig"}]}``
with exactly one signature; ``keyid`` is a hint for finding the key, never a
reason to trust it. An :class:`Envelope` validates in its constructor and keeps
the bytes it was parsed from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.crypto.encoding import b64decode, b64encode, exact_keys, json_structure, strict_json
from app.crypto.errors import BadSignatureError, MalformedError, OversizeError
from app.crypto.keys import KeyPair

WHAT = "DSSE envelope"
SIGNATURE_BYTES = 64
# A valid envelope has two objects, one array and three commas, and none in
# its strings (base64, a key id, a payload type): generous room for the
# precise message of a slightly wrong one, none for a JSON bomb.
MAX_STRUCTURE = 64


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(type_bytes), type_bytes, len(payload), payload)


@dataclass(frozen=True)
class Envelope:
    """A parsed envelope: the payload, its type, one signature, the raw bytes."""

    payload_type: str
    payload: bytes
    keyid: str
    signature: bytes
    raw: bytes

    def verify(self, signing_public_key: bytes) -> None:
        """Raise :class:`BadSignatureError` unless the signature is by this key."""
        try:
            Ed25519PublicKey.from_public_bytes(signing_public_key).verify(
                self.signature, pae(self.payload_type, self.payload)
            )
        except (InvalidSignature, ValueError):
            raise BadSignatureError() from None


def sign(payload_type: str, payload: bytes, keys: KeyPair) -> bytes:
    """The envelope bytes for ``payload``, signed with the identity's key."""
    signature = keys.signing_key().sign(pae(payload_type, payload))
    document = {
        "payloadType": payload_type,
        "payload": b64encode(payload),
        "signatures": [{"keyid": keys.public.key_id, "sig": b64encode(signature)}],
    }
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def parse(data: bytes, *, max_size: int) -> Envelope:
    """A strictly parsed envelope (signature not yet verified)."""
    if len(data) > max_size:
        raise OversizeError(WHAT, len(data), max_size)
    if json_structure(data) > MAX_STRUCTURE:
        raise MalformedError(WHAT, "not the shape of an envelope")
    document = exact_keys(strict_json(data, WHAT), {"payloadType", "payload", "signatures"}, WHAT)
    payload_type = document["payloadType"]
    if not isinstance(payload_type, str) or not payload_type:
        raise MalformedError(WHAT, "payloadType")
    payload = b64decode(document["payload"], WHAT, "payload")
    signatures = document["signatures"]
    if not isinstance(signatures, list):
        raise MalformedError(WHAT, "signatures: not a list")
    if len(signatures) != 1:
        raise MalformedError(WHAT, f"{len(signatures)} signatures, exactly one expected")
    entry = exact_keys(signatures[0], {"keyid", "sig"}, WHAT)
    if not isinstance(entry["keyid"], str):
        raise MalformedError(WHAT, "keyid")
    signature = b64decode(entry["sig"], WHAT, "sig")
    if len(signature) != SIGNATURE_BYTES:
        raise MalformedError(WHAT, "signature length")
    return Envelope(payload_type, payload, entry["keyid"], signature, data)
