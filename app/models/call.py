"""The call (avviso) as stored: its identity, the text of its definition and
the criteria rows that scores refer to.

One row per call in the workspace. The secretariat creates it from a TOML
definition; a member's workspace receives it in the signed call package. The
definition's text is the one source of the call's rulebook: :attr:`Call.rules`
reads it (:mod:`app.models.definition`), and nothing else stores a copy of a
rule. The ``criteria`` rows only anchor scores to a criterion key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, DecimalText, UtcDateTime, utc_now
from app.models.definition import CallDefinition
from app.models.rules import CallRules, Grid, Matchfunding
from app.models.vocabulary import CALL_STATUSES

__all__ = ["CALL_STATUSES", "Call", "CriterionRow"]


class Call(Base):
    """A call for proposals: its administrative identity and its definition."""

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

    criteria: Mapped[list[CriterionRow]] = relationship(
        back_populates="call", order_by="CriterionRow.position", cascade="all, delete-orphan"
    )

    @classmethod
    def from_definition(cls, definition: CallDefinition) -> Call:
        """A new draft call (not yet added to a session)."""
        call = cls(id=definition.id, status="draft")
        call.apply(definition)
        return call

    def apply(self, definition: CallDefinition) -> None:
        """Take ``definition`` as this call's: its text, identity and criteria keys."""
        info = definition.info
        self.title = info.title
        self.authority = info.authority
        self.programme = info.programme
        self.project_code = info.project_code
        self.cup = info.cup
        self.programmed_amount = info.programmed_amount
        self.submission_deadline = info.submission_deadline
        self.neighbourhoods = list(info.neighbourhoods)
        self.thematic_areas = list(info.thematic_areas)
        self.definition = definition.source or definition.to_toml()
        self.grid_hash = definition.grid_hash
        # Keep the row of a key that stays (scores refer to its id), add the
        # new keys, let the ones that went away go.
        rows = {row.key: row for row in self.criteria}
        kept = []
        for position, criterion in enumerate(definition.grid.every_criterion):
            row = rows.get(criterion.key) or CriterionRow(key=criterion.key)
            row.position = position
            kept.append(row)
        self.criteria = kept

    @property
    def parsed(self) -> CallDefinition:
        """The definition, read from its text (cached per text)."""
        return CallDefinition.from_toml(self.definition, self.id)

    @property
    def rules(self) -> CallRules:
        """The call's rulebook."""
        return self.parsed.rules

    @property
    def grid(self) -> Grid:
        """How the commission scores this call."""
        return self.parsed.rules.grid

    @property
    def matchfunding(self) -> Matchfunding:
        """How the city matches the crowd."""
        return self.parsed.rules.matchfunding

    def criterion_keys(self) -> dict[int, str]:
        """The criteria rows' ids and keys (what a score row refers to)."""
        return {row.id: row.key for row in self.criteria}


class CriterionRow(Base):
    """The anchor of a criterion in the database: scores refer to its id.

    What the criterion *is* (title, maximum, floor) lives in the rulebook.
    """

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("call_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))

    call: Mapped[Call] = relationship(back_populates="criteria")
