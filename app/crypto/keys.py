"""An identity's two key pairs, its key id and its fingerprint.

Each workspace has an Ed25519 key to sign and an X25519 key to open sealed
artefacts. The **key id** is the SHA-256 of both raw public keys, prefixed by a
label, in hex; the **fingerprint** is its first 20 bytes in groups of four hex
digits, for people to compare aloud (``3F2A 9C01 …``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

KEY_ID_LABEL = b"vaglio-key-id-v1\x00"


@dataclass(frozen=True)
class PublicKeys:
    """The public half of an identity: what a card or a roster carries."""

    signing: bytes  # raw Ed25519, 32 bytes
    sealing: bytes  # raw X25519, 32 bytes

    @property
    def key_id(self) -> str:
        """Hex SHA-256 of the label and both public keys."""
        return hashlib.sha256(KEY_ID_LABEL + self.signing + self.sealing).hexdigest()

    @property
    def fingerprint(self) -> str:
        """The key id's first 20 bytes in ten groups of four, upper case."""
        return format_fingerprint(self.key_id)


@dataclass(frozen=True)
class KeyPair:
    """Both private keys of an identity, as raw bytes."""

    signing_private: bytes
    sealing_private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        """Fresh keys from the operating system's random source."""
        signing = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        sealing = X25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        return cls(signing, sealing)

    def signing_key(self) -> Ed25519PrivateKey:
        """The Ed25519 private key object."""
        return Ed25519PrivateKey.from_private_bytes(self.signing_private)

    def sealing_key(self) -> X25519PrivateKey:
        """The X25519 private key object."""
        return X25519PrivateKey.from_private_bytes(self.sealing_private)

    @property
    def public(self) -> PublicKeys:
        """The public keys matching these private keys."""
        return PublicKeys(
            signing=self.signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            sealing=self.sealing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        )


def format_fingerprint(key_id: str) -> str:
    """``key_id`` as ten groups of four hex digits (80 bits), upper case."""
    head = key_id[:40].upper()
    return " ".join(head[i : i + 4] for i in range(0, 40, 4))
