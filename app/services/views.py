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
