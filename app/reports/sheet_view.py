"""What a member's individual evaluation sheet (scheda individuale) shows, as
plain values: built by :mod:`app.services.member_sheet`, laid out by
:mod:`app.reports.member_sheet`, both for the member's own print and for the
minutes' annex."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.models.definition import CallInfo
from app.models.rules import Grid


@dataclass(frozen=True)
class SheetCriterion:
    """One scored leaf: the printed value, and what the last bundle sent said."""

    key: str
    title: str  # "Criterion › sub-criterion" for a sub-criterion
    value: Decimal | None
    points: Decimal | None
    motivation: str
    sent_value: Decimal | None
    sent_motivation: str | None  # None: not in the last bundle sent

    @property
    def changed(self) -> bool:
        return self.value != self.sent_value or (self.motivation or "") != (
            self.sent_motivation or ""
        )


@dataclass(frozen=True)
class SheetProposal:
    code: str
    title: str
    applicant: str
    declared: bool
    conflict: bool
    category: str | None
    reason: str
    declared_at: dt.datetime | None
    declaration_changed: bool  # differs from the last bundle sent
    # What the last bundle sent declared: None not declared, else whether a conflict.
    sent_conflict: bool | None
    criteria: tuple[SheetCriterion, ...]
    total: Decimal | None  # the member's own points on this proposal


@dataclass(frozen=True)
class SentBundle:
    """The score bundle the sheet is compared with (or printed from)."""

    sequence: int
    payload_hash: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SheetView:
    call: CallInfo
    grid: Grid
    member: str
    role: str  # the commission role
    fingerprint: str
    general_declared_at: dt.datetime | None
    general_version: str
    bundle: SentBundle | None  # the member's last bundle sent (or the one accepted)
    from_bundle: bool  # True: printed from the bundle itself (the minutes' annex)
    proposals: tuple[SheetProposal, ...]
    printed_at: dt.datetime | None = None  # the member's own print; None in the annex

    @property
    def unsent(self) -> bool:
        """Whether the printed values differ from the last bundle sent (or none was)."""
        if self.bundle is None:
            return True
        return any(
            p.declaration_changed or any(c.changed for c in p.criteria) for p in self.proposals
        )
