"""The invitation: the city office's signed word "join this call, here".

The secretariat hands it to a commission member (by e-mail, on a USB stick).
It carries the office's own enrollment card, one call's id and title, and
where that call is exchanged (a folder or a WebDAV address); it may name the
one member it is for. The member's laptop reads it, shows the office's
fingerprint to compare aloud, and then in one step pins the card, sets the
remote and synchronises.

It is signed by the key of the card it carries, so it proves only that whoever
wrote it holds that card's key: the fingerprint read aloud is what makes the
office trusted, exactly as for a card. Every field is untrusted input, checked
here before anything is written. Signed, not sealed: it holds nothing secret.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app import clock
from app.bundles.card import EnrollmentCard
from app.bundles.envelopes import MAX_CARD, KiB, open_envelope
from app.bundles.errors import BadPayloadError, BundleError
from app.bundles.fields import Fields, iso
from app.crypto import dsse
from app.crypto.encoding import b64decode, b64encode
from app.crypto.errors import MalformedError
from app.crypto.keys import KeyPair
from app.errors import echo
from app.i18n import _

INVITATION = "application/vnd.vaglio.invitation+json;v=1"
MAX_INVITATION = 64 * KiB
INVITATION_FIELDS = {"type", "version", "call_id", "call_title", "exchange_kind", "exchange",
                     "member_key_id", "office_card", "created_at"}  # fmt: skip
EXCHANGE_KINDS = ("folder", "webdav")
CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
MAX_TITLE = 500
MAX_EXCHANGE = 1000
# Control characters (a newline included) have no place in a title, a path or a URL.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class InvitationTooLargeError(BundleError):
    def __init__(self, size: int) -> None:
        super().__init__(
            _(
                "This invitation is too large ({size} bytes, at most {limit}): it was refused "
                "and nothing was changed."
            ).format(size=size, limit=MAX_INVITATION)
        )


class BadExchangeAddressError(BundleError):
    def __init__(self, address: str) -> None:
        super().__init__(
            _(
                "The exchange address in this invitation ({address}) is neither a folder nor an "
                "http(s) WebDAV address without a password: the invitation was refused."
            ).format(address=echo(address, 80))
        )


class NotAnOfficeInvitationError(BundleError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This invitation carries the card of a commission member, not of a secretariat: "
                "it was refused."
            )
        )


def check_exchange(kind: str, address: str) -> str:
    """``address`` if it is a plausible destination of ``kind``; else a refusal."""
    if not address or len(address) > MAX_EXCHANGE or CONTROL.search(address):
        raise BadExchangeAddressError(address)
    looks_web = "://" in address
    if kind == "webdav":
        try:
            parts = urlsplit(address)
            port = parts.port  # a port out of range raises here
        except ValueError:
            raise BadExchangeAddressError(address) from None
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.password is not None
            or " " in address
            or (port is not None and port == 0)
        ):
            raise BadExchangeAddressError(address)
    elif kind != "folder" or looks_web:
        raise BadExchangeAddressError(address)
    return address


@dataclass(frozen=True)
class Invitation:
    """A verified invitation; ``raw`` is the envelope as received."""

    call_id: str
    call_title: str
    exchange_kind: str
    exchange: str
    member_key_id: str | None
    office: EnrollmentCard
    created_at: dt.datetime
    raw: bytes

    @classmethod
    def build(
        cls,
        *,
        call_id: str,
        call_title: str,
        exchange_kind: str,
        exchange: str,
        member_key_id: str | None,
        office_card: bytes,
        office: KeyPair,
    ) -> Invitation:
        """An invitation signed with the office's key (whose card ``office_card`` is)."""
        payload = {
            "type": "invitation",
            "version": 1,
            "call_id": call_id,
            "call_title": call_title,
            "exchange_kind": exchange_kind,
            "exchange": exchange,
            "member_key_id": member_key_id,
            "office_card": b64encode(office_card),
            "created_at": iso(clock.now()),
        }
        raw = dsse.sign(INVITATION, json.dumps(payload, ensure_ascii=False).encode(), office)
        return cls.parse(raw)

    @classmethod
    def parse(cls, data: bytes) -> Invitation:
        """A verified invitation: strict format, the office's card valid and of a
        secretariat, the envelope signed by that card's key, every field checked."""
        if len(data) > MAX_INVITATION:
            raise InvitationTooLargeError(len(data))
        envelope, payload = open_envelope(data, INVITATION, MAX_INVITATION)
        fields = Fields(payload, INVITATION, INVITATION_FIELDS)
        fields.constant("type", "invitation")
        fields.constant("version", 1)
        try:
            card_bytes = b64decode(fields.document.get("office_card"), INVITATION, "office_card")
        except MalformedError as exc:
            raise BadPayloadError(INVITATION, exc.detail) from None
        if len(card_bytes) > MAX_CARD:
            raise fields.fail("office_card", "too large")
        office = EnrollmentCard.parse(card_bytes)
        if office.role != "secretariat":
            raise NotAnOfficeInvitationError()
        # The signature before any other field is believed.
        envelope.verify(office.keys.signing)
        if envelope.keyid != office.key_id:
            raise fields.fail("keyid", "not the key of the office's card")
        call_id = fields.text("call_id", limit=64)
        if not CALL_ID.match(call_id):
            raise fields.fail("call_id", "not a call id")
        title = fields.text("call_title", limit=MAX_TITLE)
        if CONTROL.search(title):
            raise fields.fail("call_title", "control characters")
        kind = fields.text("exchange_kind", limit=16)
        if kind not in EXCHANGE_KINDS:
            raise fields.fail("exchange_kind", "folder or webdav expected")
        exchange = check_exchange(kind, fields.text("exchange", limit=MAX_EXCHANGE))
        return cls(
            call_id=call_id,
            call_title=title,
            exchange_kind=kind,
            exchange=exchange,
            member_key_id=fields.optional_hex64("member_key_id"),
            office=office,
            created_at=fields.moment("created_at"),
            raw=data,
        )
