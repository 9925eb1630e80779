"""The call (avviso) and its rules: criteria grid, scoring rules, matchfunding.

One row per call in the workspace. The secretariat creates it from a TOML
definition; a member's workspace receives it in the signed call package.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, DecimalText, UtcDateTime, utc_now
from app.models.vocabulary import ALLOCATIONS, CALL_STATUSES, METHODS, RESCALES

__all__ = [
    "ALLOCATIONS",
    "CALL_STATUSES",
    "METHODS",
    "RESCALES",
    "Call",
    "Criterion",
    "MatchfundingRule",
    "ScoringRules",
]


class Call(Base):
    """A call for proposals and its administrative identity."""

    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(Text)
    programme: Mapped[str] = mapped_column(Text)
    project_code: Mapped[str] = mapped_column(String(64))
    cup: Mapped[str] = mapped_column(String(15))
    programmed_amount: Mapped[Decimal] = mapped_column(DecimalText)
    submission_deadline: Mapped[dt.date] = mapped_column(Date)
    neighbourhoods: Mapped[list[str]] = mapped_column(JSON)
    thematic_areas: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    definition: Mapped[str] = mapped_column(Text)
    grid_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The call package: its last sequence number, who signed it, when.
    package_sequence: Mapped[int] = mapped_column(Integer, default=0)
    office_key_id: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # After this moment no score bundle is accepted (secretariat).
    evaluation_closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)

    scoring: Mapped[ScoringRules] = relationship(back_populates="call", cascade="all")
    matchfunding: Mapped[MatchfundingRule] = relationship(back_populates="call", cascade="all")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="call", order_by="Criterion.position", cascade="all"
    )


class ScoringRules(Base):
    """How the commission scores: method, levels, thresholds, ties, flags."""

    __tablename__ = "scoring_rules"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(16))
    levels: Mapped[list[str]] = mapped_column(JSON)
    level_labels: Mapped[list[str]] = mapped_column(JSON)
    threshold: Mapped[Decimal] = mapped_column(DecimalText)
    rescale: Mapped[str] = mapped_column(String(16))
    min_evaluators: Mapped[int] = mapped_column(Integer)
    decimals: Mapped[int] = mapped_column(Integer)
    justification_min_chars: Mapped[int] = mapped_column(Integer)
    dispersion_flag: Mapped[Decimal] = mapped_column(DecimalText)
    tie_break: Mapped[list[str]] = mapped_column(JSON)
    individual_scores_in_minutes: Mapped[bool] = mapped_column(Boolean)

    call: Mapped[Call] = relationship(back_populates="scoring")

    @property
    def level_values(self) -> list[Decimal]:
        """The allowed values as decimals (empty: any value in range)."""
        return [Decimal(level) for level in self.levels]


class Criterion(Base):
    """One row of the criteria grid, with its maximum points ``W_k``."""

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("call_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[Decimal] = mapped_column(DecimalText)
    min_points: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)

    call: Mapped[Call] = relationship(back_populates="criteria")


class MatchfundingRule(Base):
    """The city's matching contribution rule for this edition of the call."""

    __tablename__ = "matchfunding_rules"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), primary_key=True)
    crowd_share: Mapped[Decimal] = mapped_column(DecimalText)
    cap: Mapped[Decimal] = mapped_column(DecimalText)
    max_project_cost: Mapped[Decimal] = mapped_column(DecimalText)
    campaign_days: Mapped[int] = mapped_column(Integer)
    fund: Mapped[Decimal] = mapped_column(DecimalText)
    allocation: Mapped[str] = mapped_column(String(16))

    call: Mapped[Call] = relationship(back_populates="matchfunding")

    def max_contribution(self, total_cost: Decimal) -> Decimal:
        """The most the city may give a project of ``total_cost``.

        ``min(K, (1 - alpha) * B)``: the crowd must raise ``alpha * B``.
        """
        return min(
            self.cap,
            ((1 - self.crowd_share) * total_cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        )
