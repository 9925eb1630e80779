"""The approved ranking, the crowdfunding campaigns and the city's money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, DecimalText, UtcDateTime, utc_now

# The stages of the city's financial progress that are recorded by hand; the
# programmed amount comes from the call and the amount admitted to funding
# from the allocation.
RECORDED_STAGES = ("giuridicamente_vincolante", "erogato")


class RankingRecord(Base):
    """The lottery number drawn for a call and, once approved, the frozen ranking."""

    __tablename__ = "rankings"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), primary_key=True)
    lottery_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lottery_recorded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    document: Mapped[str | None] = mapped_column(Text, nullable=True)  # canonical JSON
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CampaignResult(Base):
    """The outcome of a project's crowdfunding campaign, as the platform reported it."""

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    raised: Mapped[Decimal] = mapped_column(DecimalText)
    backers: Mapped[int] = mapped_column(Integer)
    closed_on: Mapped[dt.date] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class FundingRecord(Base):
    """A commitment or a payment to a project, with its date and document."""

    __tablename__ = "funding_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    stage: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    on_date: Mapped[dt.date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
