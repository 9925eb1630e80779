"""What a commission member records: declarations and scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, DecimalText, UtcDateTime, utc_now
from app.models.vocabulary import CONFLICT_CATEGORIES

__all__ = [
    "CONFLICT_CATEGORIES",
    "ConflictDeclaration",
    "ConflictHistoryEntry",
    "GeneralDeclaration",
    "Score",
]


class GeneralDeclaration(Base):
    """The member's declaration of no incompatibility for the whole call.

    Required before any per-proposal declaration or score
    (art. 35-bis d.lgs. 165/2001).
    """

    __tablename__ = "general_declarations"
    __table_args__ = (UniqueConstraint("member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    text_version: Mapped[str] = mapped_column(String(32))
    declared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ConflictDeclaration(Base):
    """A member's statement on one proposal: no conflict, or a conflict and why."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("member_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    has_conflict: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ConflictHistoryEntry(Base):
    """One declaration as the office took it in, or a change of one: append-only.

    The first entry of a member on a proposal is their declaration; each later
    one is a change that arrived in bundle ``bundle_sequence`` (a conflict
    declared, revised or withdrawn). A trigger refuses updates.
    """

    __tablename__ = "conflict_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    has_conflict: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    bundle_sequence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class Score(Base):
    """One member's value on one criterion of one proposal, with its motivation.

    ``value`` is a coefficient in [0, 1] (coefficient method) or points in
    [0, W_k] (points method); it is empty while the member has written the
    motivation but not yet chosen the value.
    """

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("member_id", "proposal_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    value: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    justification: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
