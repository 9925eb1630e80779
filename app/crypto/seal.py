"""Sealing with HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
ChaCha20-Poly1305), to one or several recipients.

A random 256-bit content key encrypts the content once with
ChaCha20-Poly1305; the content key is sealed to each recipient with HPKE
base mode, single shot, with ``info`` binding the call id and the recipient's
key id (so a seal made for one call or one person does not open as another).
The content's associated data binds the header: format, version, call id,
purpose, and every recipient entry, in a length-prefixed encoding::

    AAD = "VAGLIO-SEAL-V1" || for each field: LEN (8 bytes, big endian) || bytes

in the order format, version, call_id, purpose, then key_id, enc for each
recipient in order. docs/formats.md has the whole layout and test vectors.
"""

from __future__ import annotations

import json
import re
import secrets
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from app.crypto.encoding import b64decode, b64encode, exact_keys, json_structure, strict_json
from app.crypto.errors import MalformedError, NotForThisKeyError, OversizeError, UndecryptableError
from app.errors import echo

FORMAT = "vaglio-sealed"
VERSION = 1
WHAT = "sealed file"
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.CHACHA20_POLY1305)
PURPOSES = ("call-package", "score-bundle", "call-attachment")
HEX_KEY_ID = re.compile(r"^[0-9a-f]{64}\Z")
CALL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
ENC_BYTES = 32 + 32 + 16  # HPKE enc, sealed content key, tag
NONCE_BYTES = 12
MAX_RECIPIENTS = 200
# A valid sealed file with n recipients has 1 + n objects, one array and
# 2n + 5 commas, and none in its strings (base64, key ids, fixed names).
MAX_STRUCTURE = 3 * MAX_RECIPIENTS + 64


def hpke_info(call_id: str, recipient_key_id: str) -> bytes:
    """What HPKE binds into each recipient's key schedule."""
    return (
        b"vaglio-seal-v1\x00" + call_id.encode("utf-8") + b"\x00" + recipient_key_id.encode("ascii")
    )


def _aad(call_id: str, purpose: str, recipients: list[tuple[str, bytes]]) -> bytes:
    fields = [FORMAT.encode(), str(VERSION).encode(), call_id.encode("utf-8"), purpose.encode()]
    for key_id, enc in recipients:
        fields += [key_id.encode("ascii"), enc]
    return b"VAGLIO-SEAL-V1" + b"".join(struct.pack(">Q", len(f)) + f for f in fields)


@dataclass(frozen=True)
class Recipient:
    key_id: str
    sealing_public_key: bytes  # raw X25519


@dataclass(frozen=True)
class Sealed:
    """A strictly parsed sealed file (not yet opened); keeps its bytes."""

    call_id: str
    purpose: str
    recipients: tuple[tuple[str, bytes], ...]
    nonce: bytes
    ciphertext: bytes
    raw: bytes

    def recipient_ids(self) -> list[str]:
        return [key_id for key_id, _enc in self.recipients]

    def open(self, key_id: str, sealing_private_key: bytes) -> bytes:
        """The content, if ``key_id`` is a recipient and its private key opens it."""
        enc = dict(self.recipients).get(key_id)
        if enc is None:
            raise NotForThisKeyError()
        try:
            content_key = SUITE.decrypt(
                enc,
                X25519PrivateKey.from_private_bytes(sealing_private_key),
                info=hpke_info(self.call_id, key_id),
            )
            return ChaCha20Poly1305(content_key).decrypt(
                self.nonce, self.ciphertext, _aad(self.call_id, self.purpose, list(self.recipients))
            )
        except (InvalidTag, ValueError):
            raise UndecryptableError() from None


def seal(content: bytes, *, call_id: str, purpose: str, recipients: list[Recipient]) -> bytes:
    """The sealed file bytes of ``content`` for every recipient."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not recipients:
        raise ValueError("no recipients")
    content_key = ChaCha20Poly1305.generate_key()
    entries: list[tuple[str, bytes]] = []
    for recipient in recipients:
        enc = SUITE.encrypt(
            content_key,
            X25519PublicKey.from_public_bytes(recipient.sealing_public_key),
            info=hpke_info(call_id, recipient.key_id),
        )
        entries.append((recipient.key_id, enc))
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = ChaCha20Poly1305(content_key).encrypt(
        nonce, content, _aad(call_id, purpose, entries)
    )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "call_id": call_id,
        "purpose": purpose,
        "recipients": [{"key_id": key_id, "enc": b64encode(enc)} for key_id, enc in entries],
        "nonce": b64encode(nonce),
        "ciphertext": b64encode(ciphertext),
    }
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def parse(data: bytes, *, max_size: int) -> Sealed:
    """A strictly parsed sealed file."""
    if len(data) > max_size:
        raise OversizeError(WHAT, len(data), max_size)
    if json_structure(data) > MAX_STRUCTURE:
        raise MalformedError(WHAT, "not the shape of a sealed file")
    document = exact_keys(
        strict_json(data, WHAT),
        {"format", "version", "call_id", "purpose", "recipients", "nonce", "ciphertext"},
        WHAT,
    )
    if document["format"] != FORMAT:
        raise MalformedError(WHAT, "format")
    if type(document["version"]) is not int or document["version"] != VERSION:
        raise MalformedError(WHAT, f"version {echo(repr(document['version']))}")
    call_id, purpose = document["call_id"], document["purpose"]
    if not isinstance(call_id, str) or not CALL_ID.match(call_id):
        raise MalformedError(WHAT, "call_id")
    if purpose not in PURPOSES:
        raise MalformedError(WHAT, "purpose")
    raw_recipients = document["recipients"]
    if not isinstance(raw_recipients, list) or not 1 <= len(raw_recipients) <= MAX_RECIPIENTS:
        raise MalformedError(WHAT, "recipients")
    recipients: list[tuple[str, bytes]] = []
    for raw_entry in raw_recipients:
        entry = exact_keys(raw_entry, {"key_id", "enc"}, WHAT)
        key_id = entry["key_id"]
        if not isinstance(key_id, str) or not HEX_KEY_ID.match(key_id):
            raise MalformedError(WHAT, "recipient key_id")
        if key_id in dict(recipients):
            raise MalformedError(WHAT, "recipient listed twice")
        enc = b64decode(entry["enc"], WHAT, "enc")
        if len(enc) != ENC_BYTES:
            raise MalformedError(WHAT, "enc length")
        recipients.append((key_id, enc))
    nonce = b64decode(document["nonce"], WHAT, "nonce")
    if len(nonce) != NONCE_BYTES:
        raise MalformedError(WHAT, "nonce length")
    ciphertext = b64decode(document["ciphertext"], WHAT, "ciphertext")
    return Sealed(call_id, purpose, tuple(recipients), nonce, ciphertext, data)
