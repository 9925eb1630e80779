"""What travels between the laptops and the city office, as each workspace
records it: trusted office keys, remotes, the outbox, bundles, receipts, and
the inbox files already processed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.models.base import Base, UtcDateTime, utc_now


class TrustedOffice(Base):
    """A city office (secretariat) identity pinned by a member with ``vaglio trust``."""

    __tablename__ = "trusted_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    signing_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealing_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    trusted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class Remote(Base):
    """Where a call's artefacts are exchanged: a folder path or a WebDAV URL.

    Keyed by call id without a foreign key: a member sets the remote before
    the call package has arrived.
    """

    __tablename__ = "remotes"

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    destination: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # "folder" or "webdav"
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class OutboxItem(Base):
    """A file waiting to be uploaded (or uploaded) to the remote."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("call_id", "remote_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "package", "part", "bundle", "receipt"
    remote_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ScoreBundleRecord(Base):
    """A score bundle sent (member side) or accepted (secretariat side)."""

    __tablename__ = "score_bundles"
    __table_args__ = (UniqueConstraint("call_id", "member_key_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    member_key_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    payload_hash: Mapped[str] = mapped_column(String(64))
    sealed_sha256: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    direction: Mapped[str] = mapped_column(String(16))  # "sent" or "received"
    received_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    receipt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # The run of sequence numbers this bundle skipped (withheld or lost), if any.
    missing_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    missing_to: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReceiptRecord(Base):
    """A receipt issued (secretariat side) or received (member side)."""

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("call_id", "member_key_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    member_key_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    bundle_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    envelope: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    direction: Mapped[str] = mapped_column(String(16))  # "issued" or "received"


class InboxEntry(Base):
    """A remote file already looked at, and what came of it (pulls are idempotent)."""

    __tablename__ = "inbox_entries"
    __table_args__ = (UniqueConstraint("call_id", "remote_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    remote_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # "accepted", "duplicate", "refused"
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    processed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
