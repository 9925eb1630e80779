"""What the member's declarations page shows (:mod:`app.services.declaration_review`
computes it): plain values, so that the window imports them without the
database layer (docs/performance.md, "Window first")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# What a proposal's declaration is.
UNDECLARED, NO_CONFLICT, CONFLICT = "undeclared", "no_conflict", "conflict"
# How it stands against the newest submitted bundle.
NOT_SENT, AS_SENT, CHANGED = "not_sent", "as_sent", "changed"


@dataclass(frozen=True)
class DeclarationRow:
    proposal: str
    title: str
    applicant: str
    admissible: bool
    state: str  # UNDECLARED, NO_CONFLICT or CONFLICT
    category: str | None
    reason: str
    declared_at: dt.datetime | None
    sent: str  # NOT_SENT, AS_SENT or CHANGED


@dataclass(frozen=True)
class DeclarationsView:
    call_id: str
    call_title: str
    general_declared: bool
    submitted_sequence: int | None
    rows: tuple[DeclarationRow, ...]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)
