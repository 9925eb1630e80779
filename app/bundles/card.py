"""The enrollment card: a person's public keys, self-signed.

The secretariat enrols members from their cards (comparing fingerprints
aloud); a member pins the secretariat's card with ``vaglio trust``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app import clock
from app.bundles.envelopes import ENROLLMENT, MAX_CARD, open_envelope
from app.bundles.errors import CardKeyMismatchError
from app.bundles.fields import Fields, iso
from app.crypto import dsse
from app.crypto.encoding import b64encode
from app.crypto.keys import KeyPair, PublicKeys
from app.models.vocabulary import ROLES

CARD_FIELDS = {"type", "version", "name", "email", "role", "key_id", "signing_key", "sealing_key",
               "created_at"}  # fmt: skip


@dataclass(frozen=True)
class EnrollmentCard:
    name: str
    email: str
    role: str
    keys: PublicKeys
    created_at: dt.datetime
    raw: bytes

    @property
    def key_id(self) -> str:
        return self.keys.key_id

    @property
    def fingerprint(self) -> str:
        return self.keys.fingerprint

    @classmethod
    def build(cls, *, name: str, email: str, role: str, keys: KeyPair) -> EnrollmentCard:
        """A card for this identity, signed with its own key."""
        public = keys.public
        payload = {
            "type": "enrollment",
            "version": 1,
            "name": name,
            "email": email,
            "role": role,
            "key_id": public.key_id,
            "signing_key": b64encode(public.signing),
            "sealing_key": b64encode(public.sealing),
            "created_at": iso(clock.now()),
        }
        raw = dsse.sign(ENROLLMENT, json.dumps(payload, ensure_ascii=False).encode(), keys)
        return cls.parse(raw)

    @classmethod
    def parse(cls, data: bytes) -> EnrollmentCard:
        """A verified card: strict format, key id matching the keys, self-signed."""
        envelope, payload = open_envelope(data, ENROLLMENT, MAX_CARD)
        fields = Fields(payload, ENROLLMENT, CARD_FIELDS)
        fields.constant("type", "enrollment")
        fields.constant("version", 1)
        role = fields.text("role")
        if role not in ROLES:
            raise fields.fail("role", "unknown role")
        keys = PublicKeys(fields.key("signing_key"), fields.key("sealing_key"))
        if fields.hex64("key_id") != keys.key_id:
            raise CardKeyMismatchError()
        envelope.verify(keys.signing)
        if envelope.keyid != keys.key_id:
            raise CardKeyMismatchError()
        return cls(
            name=fields.text("name", limit=200),
            email=fields.text("email", empty=True, limit=200),
            role=role,
            keys=keys,
            created_at=fields.moment("created_at"),
            raw=data,
        )
