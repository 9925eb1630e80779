"""The city office's side of an invitation, driven through the services: a
call with proposals, one member enrolled from their card, a shared folder as
the exchange, the package published there."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from app.services.unlocking import OpenWorkspace
from tests.support.workspaces import CALL_ID


def publish_to_folder(office: OpenWorkspace, member_card: bytes, exchange: Path) -> None:
    """Enrol the card's owner in the fixture call, set the folder, publish and sync."""
    from app.services.cards import enroll_cards
    from app.services.exchange import sync
    from app.services.publication import publish_call
    from app.services.remotes import set_remote

    exchange.mkdir(parents=True, exist_ok=True)
    enroll_cards(office, CALL_ID, [(member_card, "member")])
    set_remote(office, CALL_ID, str(exchange))
    publish_call(office, CALL_ID)
    report = sync(office)
    assert not report.failures, report.failures


def envelope_parts(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The envelope and its decoded payload, to tamper with in tests."""
    envelope = json.loads(raw)
    return envelope, json.loads(base64.b64decode(envelope["payload"]))


def with_payload(raw: bytes, payload: dict[str, Any]) -> bytes:
    """The same envelope (same signature) around another payload: a forgery."""
    envelope = json.loads(raw)
    envelope["payload"] = base64.b64encode(json.dumps(payload).encode()).decode()
    return json.dumps(envelope).encode()


def resigned(payload: dict[str, Any], keys: Any) -> bytes:
    """``payload`` signed by ``keys`` (a well-signed invitation with bad fields)."""
    from app.bundles.invitation import INVITATION
    from app.crypto import dsse

    return dsse.sign(INVITATION, json.dumps(payload).encode(), keys)
