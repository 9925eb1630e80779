"""The close notice: the city office's signed word that a call is closed.

Written when the secretariat approves the ranking, uploaded by the next sync
to ``<call-id>/closed.vaglio``. It tells each member that the evaluation is
over and binds the approval to the frozen ranking document by its SHA-256;
from then on a member may remove the call's material from their laptop
(``vaglio call purge``). Signed, not sealed: it holds nothing secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from app.bundles.envelopes import KiB, parse_envelope, payload_of
from app.bundles.fields import Fields, iso
from app.crypto import dsse
from app.crypto.keys import KeyPair

CALL_CLOSED = "application/vnd.vaglio.call-closed+json;v=1"
MAX_CLOSE_NOTICE = 64 * KiB
NOTICE_FIELDS = {"type", "version", "call_id", "approved_at", "ranking_sha256", "office_key_id"}


def notice_path(call_id: str) -> str:
    """Where the notice of ``call_id`` lies on the remote (and in the outbox)."""
    return f"{call_id}/closed.vaglio"


@dataclass(frozen=True)
class CloseNotice:
    """A verified close notice; ``raw`` is the envelope as received."""

    call_id: str
    approved_at: dt.datetime
    ranking_sha256: str
    office_key_id: str
    payload_hash: str
    raw: bytes

    @classmethod
    def build(
        cls, *, call_id: str, approved_at: dt.datetime, ranking_sha256: str, office: KeyPair
    ) -> CloseNotice:
        """The notice for an approval, signed with the office's key."""
        payload = {
            "type": "call-closed",
            "version": 1,
            "call_id": call_id,
            "approved_at": iso(approved_at),
            "ranking_sha256": ranking_sha256,
            "office_key_id": office.public.key_id,
        }
        raw = dsse.sign(CALL_CLOSED, json.dumps(payload).encode(), office)
        return cls.parse(raw, office_signing_key=office.public.signing)

    @classmethod
    def parse(cls, data: bytes, *, office_signing_key: bytes) -> CloseNotice:
        """A notice verified against the office's key: the signature first, then
        the payload, whose ``office_key_id`` must be the signer's."""
        envelope = parse_envelope(data, CALL_CLOSED, MAX_CLOSE_NOTICE)
        envelope.verify(office_signing_key)
        fields = Fields(payload_of(envelope), CALL_CLOSED, NOTICE_FIELDS)
        fields.constant("type", "call-closed")
        fields.constant("version", 1)
        office_key_id = fields.hex64("office_key_id")
        if office_key_id != envelope.keyid:
            raise fields.fail("office_key_id", "does not match the signer")
        return cls(
            call_id=fields.text("call_id", limit=64),
            approved_at=fields.moment("approved_at"),
            ranking_sha256=fields.hex64("ranking_sha256"),
            office_key_id=office_key_id,
            payload_hash=hashlib.sha256(envelope.payload).hexdigest(),
            raw=data,
        )
