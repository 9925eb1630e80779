"""Key slots: the ways to recover the database's raw key.

The database is encrypted with a random 256-bit key. That key is kept, wrapped,
in ``keyslots.json`` beside the database, once per slot (as LUKS and KeePassXC
do); any slot unlocks, and adding or removing a slot never rewrites the
database.

- ``passphrase``: Argon2id (64 MiB, 3 passes, 4 lanes) derives a wrapping key;
  AES-256-GCM wraps the raw key.
- ``recovery``: a 125-bit code shown once at creation. It is already
  full-entropy, so HKDF-SHA256 derives the wrapping key (stretching would add
  nothing), then AES-256-GCM as above.
- ``keyring``: the raw key itself lives in the OS keyring; the slot records
  only that it exists.

Each wrap authenticates the workspace id and the slot type as associated data,
so a slot copied from another workspace or relabelled does not open. Nothing
authenticates the parameters, so ``keyslot_checks`` bounds every one of them
(and the file's size, the slot count, the salt and wrap sizes) before use.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.config.files import write_atomic
from app.i18n import _
from app.store import keyring_access
from app.store.errors import (
    KeyringEntryMissingError,
    KeySlotsCorruptError,
    NoSlotError,
    PassphraseTooShortError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
    slot_label,
)
from app.store.keyslot_checks import FORMAT, VERSION, check_slot, load_document

KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 10
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
# Crockford's base32: no I, L, O, U, so a code read aloud is unambiguous.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 5
RECOVERY_GROUP_LEN = 5


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def normalise_passphrase(passphrase: str) -> bytes:
    """The passphrase as NFC UTF-8, so every keyboard and OS types the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def new_recovery_code() -> str:
    """A fresh code: 25 Crockford base32 characters in five groups (125 bits)."""
    chars = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)
    )
    return "-".join(
        chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN)
    )


def normalise_recovery_code(text: str) -> str | None:
    """The code's 25 characters if ``text`` looks like one, else ``None``.

    Case, spaces and dashes do not matter; O reads as 0 and I, L as 1.
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    expected = RECOVERY_GROUPS * RECOVERY_GROUP_LEN
    if len(cleaned) != expected or any(ch not in RECOVERY_ALPHABET for ch in cleaned):
        return None
    return cleaned


# cryptography is imported where a slot is wrapped or unwrapped: the keyring's
# slot needs none of it, and a cold start reads that one first
# (app/services/first_rows.py).


def _argon2(passphrase: bytes, salt: bytes, memory_kib: int, iterations: int, lanes: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=iterations,
        lanes=lanes,
        memory_cost=memory_kib,
    ).derive(passphrase)


def _damaged(slot_type: str) -> str:
    return _("the {slot} slot cannot be read").format(slot=slot_label(slot_type))


def _hkdf(code: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"vaglio-recovery-slot-v1"
    ).derive(code.encode("ascii"))


@dataclass
class KeySlots:
    """The slots of one workspace, as kept in ``keyslots.json``."""

    workspace_id: str
    slots: list[dict[str, Any]] = field(default_factory=list)
    path: Path = Path("keyslots.json")

    # -- persistence -----------------------------------------------------

    @classmethod
    def new(cls) -> KeySlots:
        """Slots for a new workspace, with a fresh workspace id and no slot yet."""
        return cls(workspace_id=uuid.uuid4().hex)

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        """Read and validate ``path``; a damaged file is refused, not guessed at,
        and every value is bounded before use (``keyslot_checks``)."""
        document = load_document(path)
        return cls(workspace_id=document["workspace_id"], slots=document["slots"], path=path)

    def save(self, path: Path) -> None:
        """Write atomically, private to the owner."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "workspace_id": self.workspace_id,
            "slots": self.slots,
        }
        write_atomic(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))

    # -- queries ---------------------------------------------------------

    def types(self) -> list[str]:
        """The slot types present, in order."""
        return [slot["type"] for slot in self.slots]

    def has(self, slot_type: str) -> bool:
        """Whether a slot of ``slot_type`` exists."""
        return slot_type in self.types()

    def _slot(self, slot_type: str) -> dict[str, Any]:
        """The slot of ``slot_type``, its values bounded before any use."""
        for slot in self.slots:
            if slot["type"] == slot_type:
                check_slot(self.path, slot)
                return slot
        raise NoSlotError(slot_type)

    @property
    def keyring_username(self) -> str:
        """The entry name in the OS keyring."""
        return f"workspace-{self.workspace_id}"

    def _aad(self, slot_type: str) -> bytes:
        return f"vaglio-keyslot-v1\x00{self.workspace_id}\x00{slot_type}".encode("ascii")

    def _wrap(self, slot_type: str, wrapping_key: bytes, raw_key: bytes) -> dict[str, str]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(wrapping_key).encrypt(nonce, raw_key, self._aad(slot_type))
        return {"nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}

    def _unwrap(self, slot: dict[str, Any], wrapping_key: bytes) -> bytes:
        """The raw key, or ``InvalidTag`` if the wrapping key is wrong."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            nonce = _unb64(slot["nonce"])
            wrapped = _unb64(slot["wrapped_key"])
        except (KeyError, TypeError, binascii.Error) as exc:
            raise KeySlotsCorruptError(self.path, _damaged(slot["type"])) from exc
        return AESGCM(wrapping_key).decrypt(nonce, wrapped, self._aad(slot["type"]))

    # -- changes (never touch the database) --------------------------------

    def _replace(self, slot: dict[str, Any]) -> None:
        self.slots = [s for s in self.slots if s["type"] != slot["type"]] + [slot]

    def set_passphrase(self, raw_key: bytes, passphrase: str) -> None:
        """Add (or replace) the passphrase slot."""
        if len(passphrase) < MIN_PASSPHRASE_CHARS:
            raise PassphraseTooShortError(MIN_PASSPHRASE_CHARS)
        salt = secrets.token_bytes(16)
        wrapping = _argon2(
            normalise_passphrase(passphrase),
            salt,
            ARGON2_MEMORY_KIB,
            ARGON2_ITERATIONS,
            ARGON2_LANES,
        )
        slot = {
            "type": "passphrase",
            "kdf": "argon2id",
            "salt": _b64(salt),
            "memory_kib": ARGON2_MEMORY_KIB,
            "iterations": ARGON2_ITERATIONS,
            "lanes": ARGON2_LANES,
            **self._wrap("passphrase", wrapping, raw_key),
        }
        self._replace(slot)

    def set_recovery(self, raw_key: bytes) -> str:
        """Add (or replace) the recovery slot; returns the code, to show once."""
        code = new_recovery_code()
        salt = secrets.token_bytes(16)
        normalised = normalise_recovery_code(code)
        assert normalised is not None
        slot = {
            "type": "recovery",
            "kdf": "hkdf-sha256",
            "salt": _b64(salt),
            **self._wrap("recovery", _hkdf(normalised, salt), raw_key),
        }
        self._replace(slot)
        return code

    def set_keyring(self, raw_key: bytes) -> None:
        """Put the raw key in the OS keyring and record the slot."""
        keyring_access.store_secret(self.keyring_username, raw_key.hex())
        self._replace({"type": "keyring", "service": keyring_access.SERVICE})

    def remove(self, slot_type: str) -> None:
        """Drop a slot (and the keyring entry for a keyring slot)."""
        self._slot(slot_type)
        if slot_type == "keyring":
            keyring_access.delete_secret(self.keyring_username)
        self.slots = [s for s in self.slots if s["type"] != slot_type]

    # -- unlocking -------------------------------------------------------

    def key_from_passphrase(self, passphrase: str) -> bytes:
        """The raw key, if ``passphrase`` is right."""
        slot = self._slot("passphrase")
        try:
            wrapping = _argon2(
                normalise_passphrase(passphrase),
                _unb64(slot["salt"]),
                int(slot["memory_kib"]),
                int(slot["iterations"]),
                int(slot["lanes"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise KeySlotsCorruptError(self.path, _damaged("passphrase")) from exc
        from cryptography.exceptions import InvalidTag

        try:
            return self._unwrap(slot, wrapping)
        except InvalidTag:
            raise WrongPassphraseError() from None

    def key_from_recovery_code(self, code: str) -> bytes:
        """The raw key, if ``code`` is this workspace's recovery code."""
        slot = self._slot("recovery")
        normalised = normalise_recovery_code(code)
        if normalised is None:
            raise WrongRecoveryCodeError()
        try:
            wrapping = _hkdf(normalised, _unb64(slot["salt"]))
        except (KeyError, binascii.Error) as exc:
            raise KeySlotsCorruptError(self.path, _damaged("recovery")) from exc
        from cryptography.exceptions import InvalidTag

        try:
            return self._unwrap(slot, wrapping)
        except InvalidTag:
            raise WrongRecoveryCodeError() from None

    def key_from_keyring(self) -> bytes:
        """The raw key kept in the OS keyring."""
        self._slot("keyring")
        text = keyring_access.load_secret(self.keyring_username)
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = b""
        if len(raw) != KEY_BYTES:
            raise KeyringEntryMissingError()
        return raw
