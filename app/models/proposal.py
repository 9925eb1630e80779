"""A proposal submitted to a call, and its attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Base, DecimalText, UtcDateTime, utc_now

# Why a proposal is not admissible: the codes, re-exported from their own module.
from app.models.reasons import (
    REASON_COST_ABOVE_MAXIMUM,
    REASON_REQUEST_ABOVE_RULE,
    REASON_SET_BY_SECRETARIAT,
)

__all__ = [
    "REASON_COST_ABOVE_MAXIMUM",
    "REASON_REQUEST_ABOVE_RULE",
    "REASON_SET_BY_SECRETARIAT",
    "Attachment",
    "Proposal",
]


class Proposal(Base):
    """A project proposal by a third-sector organisation.

    ``code`` is the call's own identifier (``P001``); ``id`` is the row key.
    """

    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("call_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    applicant: Mapped[str] = mapped_column(Text)
    applicant_tax_code: Mapped[str] = mapped_column(String(16))
    legal_representative: Mapped[str] = mapped_column(Text)
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    neighbourhood: Mapped[str] = mapped_column(Text)
    thematic_area: Mapped[str] = mapped_column(Text)
    total_cost: Mapped[Decimal] = mapped_column(DecimalText)
    requested_contribution: Mapped[Decimal] = mapped_column(DecimalText)
    summary: Mapped[str] = mapped_column(Text, default="")
    admissible: Mapped[bool] = mapped_column(Boolean, default=True)
    # [{"code": REASON_…, "params": {...}}]
    inadmissible_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The order of submission (tie-break ``submission_order``), when imported.
    protocol: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime, nullable=True, default=None
    )

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="proposal", order_by="Attachment.position", cascade="all"
    )


class Attachment(Base):
    """A PDF attached to a proposal, stored (encrypted) inside the workspace."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("proposal_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(64), default="application/pdf")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: listing proposals never loads the PDFs.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
