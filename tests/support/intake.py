"""A city office with members whose keys the test holds, and a signed bundle
from each of them, for the tests of the office's intake."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.crypto.keys import KeyPair
from app.models import OutboxItem, ScoreBundleRecord
from app.services.calls import get_call
from app.services.outbox import OUTBOX_FOLDER, bundle_path
from app.services.publication import publish_call
from app.services.roster import enroll_member
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity, verify_audit
from tests.support.bundle_factory import Parties, honest_bundle
from tests.support.workspaces import CALL_ID

NAMES = ("Elena Colombo", "Luca Ferri", "Ada Neri", "Marco Villa")


@dataclass(frozen=True)
class Sent:
    """One member's sealed bundle and where a sync finds it on the remote."""

    member: str
    remote_path: str
    sealed: bytes


def office_with_bundles(ws: OpenWorkspace, names: tuple[str, ...] = NAMES) -> list[Sent]:
    """Enrol ``names`` (keys held by the test), publish, and seal bundle 1 of each."""
    members = {name: KeyPair.generate() for name in names}
    for name, keys in members.items():
        enroll_member(ws, CALL_ID, name=name, email="", public_keys=keys.public)
    publish_call(ws, CALL_ID)
    with ws.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        grid_hash = get_call(session, CALL_ID).grid_hash
    sent = []
    for name, keys in members.items():
        bundle, sealed = honest_bundle(Parties(office, keys, CALL_ID, grid_hash))
        path = bundle_path(CALL_ID, bundle.author_key_id, 1, bundle.payload_hash)
        sent.append(Sent(name, path, sealed))
    return sent


def drop(folder: Path, sent: list[Sent]) -> list[Path]:
    """Each bundle written under ``folder`` at its remote path."""
    paths = []
    for item in sent:
        target = folder / item.remote_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.sealed)
        paths.append(target)
    return paths


@dataclass(frozen=True)
class Taken:
    """What the office holds of the intake: bundles, receipts queued and on
    disk, audit entries."""

    bundles: int
    receipts: int
    receipt_files: int
    audit_entries: int


def taken(ws: OpenWorkspace) -> Taken:
    with ws.session() as session:
        bundles = session.scalar(
            select(func.count())
            .select_from(ScoreBundleRecord)
            .where(ScoreBundleRecord.direction == "received")
        )
        receipts = session.scalar(
            select(func.count()).select_from(OutboxItem).where(OutboxItem.kind == "receipt")
        )
    files = list((ws.home / OUTBOX_FOLDER).rglob("*.vaglio-receipt"))
    return Taken(int(bundles or 0), int(receipts or 0), len(files), verify_audit(ws).entries)
