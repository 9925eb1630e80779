"""The receipt: the city office's signed acknowledgement of one score bundle."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app.bundles.envelopes import MAX_RECEIPT, RECEIPT, open_envelope
from app.bundles.errors import WrongCallError
from app.bundles.fields import Fields, iso
from app.crypto import dsse
from app.crypto.keys import KeyPair

RECEIPT_FIELDS = {"type", "version", "call_id", "member_key_id", "sequence", "bundle_hash",
                  "received_at", "office_key_id"}  # fmt: skip


@dataclass(frozen=True)
class Receipt:
    call_id: str
    member_key_id: str
    sequence: int
    bundle_hash: str
    received_at: dt.datetime
    office_key_id: str
    raw: bytes

    @classmethod
    def build(
        cls,
        *,
        call_id: str,
        member_key_id: str,
        sequence: int,
        bundle_hash: str,
        received_at: dt.datetime,
        office: KeyPair,
    ) -> Receipt:
        payload = {
            "type": "receipt",
            "version": 1,
            "call_id": call_id,
            "member_key_id": member_key_id,
            "sequence": sequence,
            "bundle_hash": bundle_hash,
            "received_at": iso(received_at),
            "office_key_id": office.public.key_id,
        }
        raw = dsse.sign(RECEIPT, json.dumps(payload).encode(), office)
        return cls.parse(raw, office_signing_key=office.public.signing)

    @classmethod
    def parse(
        cls, data: bytes, *, office_signing_key: bytes, call_id: str | None = None
    ) -> Receipt:
        """A receipt verified against the office's key (and, if given, the call)."""
        envelope, payload = open_envelope(data, RECEIPT, MAX_RECEIPT)
        fields = Fields(payload, RECEIPT, RECEIPT_FIELDS)
        fields.constant("type", "receipt")
        fields.constant("version", 1)
        envelope.verify(office_signing_key)
        if envelope.keyid != fields.hex64("office_key_id"):
            raise fields.fail("office_key_id", "does not match the signer")
        receipt = cls(
            call_id=fields.text("call_id", limit=64),
            member_key_id=fields.hex64("member_key_id"),
            sequence=fields.integer("sequence", 1),
            bundle_hash=fields.hex64("bundle_hash"),
            received_at=fields.moment("received_at"),
            office_key_id=fields.hex64("office_key_id"),
            raw=data,
        )
        if call_id is not None and receipt.call_id != call_id:
            raise WrongCallError(receipt.call_id, call_id)
        return receipt
