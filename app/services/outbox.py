"""The outbox: files waiting for the remote, with a copy on disk for a USB stick.

The copy under ``<workspace>/outbox/`` has the remote's layout; it is sealed
or signed, so it is safe to carry. Remote paths:

- ``<call-id>/package/package-<sequence, six digits>.vaglio`` (full members)
- ``<call-id>/package/<member-key-id>/package-<sequence>.vaglio`` (a substitute)
- ``<call-id>/package/parts/<recipients tag>/<sha256>.vaglio`` (an attachment)
- ``<call-id>/inbox/<member-key-id>/<sequence>-<hash>.vaglio``
- ``<call-id>/receipts/<member-key-id>/<sequence>.vaglio-receipt``
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config.files import ensure_private_dir, write_atomic
from app.models import OutboxItem, ScoreBundleRecord
from app.services.unlocking import OpenWorkspace

OUTBOX_FOLDER = "outbox"


def last_sent_bundle(session: Session, call_id: str, key_id: str) -> ScoreBundleRecord | None:
    """The newest score bundle member ``key_id`` signed for ``call_id``, if any."""
    return session.scalars(
        select(ScoreBundleRecord)
        .where(
            ScoreBundleRecord.call_id == call_id,
            ScoreBundleRecord.member_key_id == key_id,
            ScoreBundleRecord.direction == "sent",
        )
        .order_by(ScoreBundleRecord.sequence.desc())
        .limit(1)
    ).first()


def package_path(call_id: str, sequence: int, substitute_key_id: str | None = None) -> str:
    """The whole package for the full members, or a substitute's own."""
    folder = f"{call_id}/package" + (f"/{substitute_key_id}" if substitute_key_id else "")
    return f"{folder}/package-{sequence:06d}.vaglio"


def bundle_path(call_id: str, member_key_id: str, sequence: int, payload_hash: str) -> str:
    return f"{call_id}/inbox/{member_key_id}/{sequence:06d}-{payload_hash[:16]}.vaglio"


def receipt_path(call_id: str, member_key_id: str, sequence: int) -> str:
    return f"{call_id}/receipts/{member_key_id}/{sequence:06d}.vaglio-receipt"


def sequence_of(name: str) -> int | None:
    """The sequence number at the start of a remote file name, if any."""
    stem = name.removeprefix("package-").split("-", 1)[0].split(".", 1)[0]
    return int(stem) if stem.isdigit() else None


def add(
    session: Session,
    ws: OpenWorkspace,
    *,
    call_id: str,
    kind: str,
    path: str,
    data: bytes,
    copy_only: bool = False,
) -> Path:
    """Queue ``data`` for upload and keep a private copy on disk; returns the copy.

    The row is written at once and let go: the session does not keep the
    bytes of every queued file until the commit. With ``copy_only`` (the
    parts: a regional call's 2.7 GB of sealed attachments) the bytes are kept
    once, in the copy, written and synced before the row; the row keeps
    their SHA-256 and an empty ``content``, and the upload checks the copy
    against it (:func:`queued_bytes`).
    """
    copy = ws.home / OUTBOX_FOLDER / Path(*path.split("/"))
    ensure_private_dir(copy.parent)
    write_atomic(copy, data)
    item = OutboxItem(
        call_id=call_id,
        kind=kind,
        remote_path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        content=b"" if copy_only else data,
    )
    session.add(item)
    session.flush()
    session.expunge(item)
    return copy


def queued_bytes(ws: OpenWorkspace, path: str, content: bytes, sha256: str) -> bytes | None:
    """The bytes to upload for an outbox row: its ``content``, or for a row
    kept as a copy only, the copy if it still has the row's SHA-256 (None if
    it is missing or changed)."""
    if content:
        return content
    copy = ws.home / OUTBOX_FOLDER / Path(*path.split("/"))
    try:
        data = copy.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None
