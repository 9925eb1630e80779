"""The plain values use cases return to screens and the CLI.

Kept apart from the use cases so that the GUI can import them (for its item
models and type hints) without importing SQLAlchemy: the main window is on
screen before the database layer has finished loading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


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
class CriterionView:
    key: str
    title: str
    description: str
    max_points: Decimal
    min_points: Decimal | None


@dataclass(frozen=True)
class CallView:
    """A call as the screens and the CLI show it."""

    id: str
    title: str
    authority: str
    programme: str
    project_code: str
    cup: str
    programmed_amount: Decimal
    submission_deadline: dt.date
    status: str
    neighbourhoods: tuple[str, ...]
    thematic_areas: tuple[str, ...]
    method: str
    levels: tuple[Decimal, ...]
    level_labels: tuple[str, ...]
    justification_min_chars: int
    criteria: tuple[CriterionView, ...]
    proposals: int


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


@dataclass(frozen=True)
class LevelView:
    value: Decimal
    label: str


@dataclass(frozen=True)
class CriterionSheetView:
    key: str
    title: str
    description: str
    max_points: Decimal
    min_points: Decimal | None
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
    method: str
    levels: tuple[LevelView, ...]
    decimals: int
    justification_min_chars: int
    general_declared: bool
    declared: bool
    conflicted: bool
    conflict_category: str | None
    conflict_reason: str
    status: str
    criteria: tuple[CriterionSheetView, ...]
    total: Decimal
    max_total: Decimal


@dataclass(frozen=True)
class DeclarationText:
    version: str
    text: str
