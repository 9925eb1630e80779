"""The plain values use cases return to screens and the CLI.

Kept apart from the use cases so that the GUI can import them (for its item
models and type hints) without importing SQLAlchemy: the main window is on
screen before the database layer has finished loading. Views embed the
call's rulebook (:mod:`app.models.rules`) rather than copy its fields; its
types are re-exported here for the screens, which import only services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.models.definition import CallDefinition, CallInfo
    from app.models.rules import CallRules, Criterion, Grid, Level, Matchfunding

__all__ = [
    "AttachmentInfo",
    "CallDefinition",
    "CallInfo",
    "CallRules",
    "CallView",
    "Criterion",
    "CriterionSheetView",
    "DeclarationText",
    "DeskRow",
    "DeskView",
    "Grid",
    "IdentityView",
    "Level",
    "Matchfunding",
    "ProposalDetail",
    "ProposalRow",
    "ScoreSheetView",
]


def __getattr__(name: str) -> object:
    # The rulebook's types, for the screens; loaded when first asked for, so
    # that the main window is on screen before the rulebook (and Babel) load.
    if name in ("CallDefinition", "CallInfo"):
        from app.models import definition

        return getattr(definition, name)
    if name in ("CallRules", "Criterion", "Grid", "Level", "Matchfunding"):
        from app.models import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class IdentityView:
    """The workspace owner's identity, public parts only."""

    name: str
    email: str
    role: str
    key_id: str
    fingerprint: str
    signing_public_key: str  # hex
    sealing_public_key: str  # hex
    workspace: str


@dataclass(frozen=True)
class CallView:
    """A call as the screens and the CLI show it: its definition and state."""

    definition: CallDefinition
    status: str
    proposals: int

    @property
    def id(self) -> str:
        return self.definition.info.id

    @property
    def title(self) -> str:
        return self.definition.info.title

    @property
    def info(self) -> CallInfo:
        return self.definition.info

    @property
    def grid(self) -> Grid:
        return self.definition.rules.grid


@dataclass(frozen=True)
class ProposalRow:
    """A proposal as one line of a list."""

    id: str
    title: str
    applicant: str
    neighbourhood: str
    thematic_area: str
    total_cost: Decimal
    requested_contribution: Decimal
    admissible: bool
    inadmissible_reasons: tuple[str, ...]
    attachments: int


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ProposalDetail:
    """Every field of a proposal, and what is attached to it."""

    row: ProposalRow
    applicant_tax_code: str
    legal_representative: str
    partners: tuple[str, ...]
    summary: str
    attachments: tuple[AttachmentInfo, ...]


@dataclass(frozen=True)
class DeskRow:
    """One proposal as a commission member sees it in the list."""

    proposal: ProposalRow
    status: str  # app.scoring.sheet.SheetStatus value
    review_position: int  # 1-based place in this member's own shuffled order
    total: Decimal | None  # this member's own running total, if any value given


@dataclass(frozen=True)
class DeskView:
    """A member's whole desk for one call."""

    call_id: str
    call_title: str
    member_name: str
    general_declared: bool
    general_declared_at: dt.datetime | None
    rows: tuple[DeskRow, ...]
    complete: int
    scorable: int
    ready_to_submit: bool
    # The call's evaluation deadline (None: the call sets none) and today in Rome.
    deadline: dt.date | None = None
    today: dt.date | None = None


@dataclass(frozen=True)
class CriterionSheetView:
    """A criterion of the grid with what this member gave it."""

    rule: Criterion
    value: Decimal | None
    justification: str
    complete: bool


@dataclass(frozen=True)
class ScoreSheetView:
    """Everything the declaration and scoring forms of one proposal need."""

    call_id: str
    proposal_id: str
    title: str
    applicant: str
    applicant_tax_code: str
    legal_representative: str
    partners: tuple[str, ...]
    admissible: bool
    inadmissible_reasons: tuple[str, ...]
    grid: Grid
    general_declared: bool
    declared: bool
    conflicted: bool
    conflict_category: str | None
    conflict_reason: str
    status: str
    criteria: tuple[CriterionSheetView, ...]
    total: Decimal


@dataclass(frozen=True)
class DeclarationText:
    version: str
    text: str
