"""The receipt: the city office's signed acknowledgement of one score bundle.

Version 2 adds the office's audit head right after it recorded the intake, so
that a member holds an anchor of the office's chain; version 1 receipts,
without it, are still read.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from app.bundles.envelopes import MAX_RECEIPT, RECEIPT, open_envelope
from app.bundles.errors import BadPayloadError, WrongCallError
from app.bundles.fields import Fields, iso
from app.crypto import dsse
from app.crypto.keys import KeyPair
from app.models.audit_head import AuditHead

RECEIPT_FIELDS = {"type", "version", "call_id", "member_key_id", "sequence", "bundle_hash",
                  "received_at", "office_key_id"}  # fmt: skip
# The payload version Vaglio writes; it reads 1 (without the head) and 2.
PAYLOAD_VERSION = 2
FIELDS_BY_VERSION = {1: RECEIPT_FIELDS, 2: RECEIPT_FIELDS | {"audit_head"}}


@dataclass(frozen=True)
class Receipt:
    call_id: str
    member_key_id: str
    sequence: int
    bundle_hash: str
    received_at: dt.datetime
    office_key_id: str
    raw: bytes
    # The office's audit head once it had recorded the intake (None in version 1).
    audit_head: AuditHead | None = None

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
        audit_head: AuditHead,
    ) -> Receipt:
        payload = {
            "type": "receipt",
            "version": PAYLOAD_VERSION,
            "call_id": call_id,
            "member_key_id": member_key_id,
            "sequence": sequence,
            "bundle_hash": bundle_hash,
            "received_at": iso(received_at),
            "office_key_id": office.public.key_id,
            "audit_head": audit_head.as_json(),
        }
        raw = dsse.sign(RECEIPT, json.dumps(payload).encode(), office)
        return cls.parse(raw, office_signing_key=office.public.signing)

    @classmethod
    def parse(
        cls, data: bytes, *, office_signing_key: bytes, call_id: str | None = None
    ) -> Receipt:
        """A receipt verified against the office's key (and, if given, the call)."""
        envelope, payload = open_envelope(data, RECEIPT, MAX_RECEIPT)
        fields, version = _versioned_fields(payload)
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
            audit_head=fields.audit_head("audit_head") if version == 2 else None,
        )
        if call_id is not None and receipt.call_id != call_id:
            raise WrongCallError(receipt.call_id, call_id)
        return receipt

    @staticmethod
    def read_audit_head(data: bytes) -> AuditHead | None:
        """The office's head in a receipt this workspace already verified and
        stored (its envelope bytes); None for a version 1 receipt."""
        _envelope, payload = open_envelope(data, RECEIPT, MAX_RECEIPT)
        fields, version = _versioned_fields(payload)
        return fields.audit_head("audit_head") if version == 2 else None


def _versioned_fields(payload: Any) -> tuple[Fields, int]:
    """The payload's fields, checked against the field set of its version."""
    version = payload.get("version", 1) if isinstance(payload, dict) else 1
    if type(version) is not int or version not in FIELDS_BY_VERSION:
        raise BadPayloadError(RECEIPT, "version: 1 or 2 expected")
    fields = Fields(payload, RECEIPT, FIELDS_BY_VERSION[version])
    fields.constant("type", "receipt")
    return fields, version
