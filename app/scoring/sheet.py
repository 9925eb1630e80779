"""One member's score sheet for one proposal: what values are allowed, when a
criterion counts as scored, and the member's own running total.

Pure functions on plain values (DESIGN.md, "Evaluation rules"):

- **coefficient method**: the member gives ``c`` in [0, 1], restricted to the
  call's levels when it lists them; the criterion is worth ``W_k * c``;
- **points method**: the member gives points in [0, W_k], at most the call's
  decimals, restricted to the levels when the call lists them;
- a motivation of at least the call's minimum length is required for each
  criterion score (a value without it leaves the sheet *partial*).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from app.models.numbers import places_of
from app.models.rules import Criterion, Grid


class SheetStatus(StrEnum):
    """Where a member stands on one proposal."""

    INADMISSIBLE = "inadmissible"
    TO_DECLARE = "to_declare"
    CONFLICTED = "conflicted"
    TO_SCORE = "to_score"
    PARTIAL = "partial"
    COMPLETE = "complete"


def value_problem(grid: Grid, criterion: Criterion, value: Decimal) -> str | None:
    """Why ``value`` is not allowed for ``criterion`` (a code), or None if it is.

    Codes: ``not_a_level``, ``out_of_range``, ``too_many_decimals``.
    """
    if not value.is_finite():
        return "out_of_range"
    if grid.levels:
        return None if value in grid.level_values else "not_a_level"
    if not Decimal(0) <= value <= grid.scoring.upper(criterion):
        return "out_of_range"
    if places_of(value.normalize()) > grid.scoring.places(grid.decimals):
        return "too_many_decimals"
    return None


def motivation_ok(grid: Grid, text: str) -> bool:
    """Whether a motivation is long enough (spaces at the ends do not count)."""
    return len(text.strip()) >= grid.justification_min_chars


def criterion_complete(grid: Grid, value: Decimal | None, justification: str) -> bool:
    """A criterion is scored when it has a value and a long-enough motivation."""
    return value is not None and motivation_ok(grid, justification)


def points(grid: Grid, criterion: Criterion, value: Decimal) -> Decimal:
    """What the value is worth in points: ``W_k * c`` or the points themselves."""
    return grid.scoring.points(criterion, value)


def member_total(grid: Grid, values: Mapping[str, Decimal]) -> Decimal:
    """This member's own running total over the criteria given so far (unrounded)."""
    total = Decimal(0)
    for criterion in grid.leaves:
        if criterion.key in values:
            total += points(grid, criterion, values[criterion.key])
    return total


def sheet_status(
    grid: Grid,
    *,
    admissible: bool,
    declared: bool,
    conflicted: bool,
    values: Mapping[str, Decimal],
    justifications: Mapping[str, str],
) -> SheetStatus:
    """The status of one member's sheet for one proposal."""
    if not admissible:
        return SheetStatus.INADMISSIBLE
    if not declared:
        return SheetStatus.TO_DECLARE
    if conflicted:
        return SheetStatus.CONFLICTED
    if not values and not any(text.strip() for text in justifications.values()):
        return SheetStatus.TO_SCORE
    if all(
        criterion_complete(grid, values.get(c.key), justifications.get(c.key, ""))
        for c in grid.leaves
    ):
        return SheetStatus.COMPLETE
    return SheetStatus.PARTIAL


def scorable(status: SheetStatus) -> bool:
    """Whether a sheet in ``status`` is one the member must complete."""
    return status not in (SheetStatus.INADMISSIBLE, SheetStatus.CONFLICTED)


def ready_to_submit(statuses: Sequence[SheetStatus]) -> bool:
    """Every proposal declared, and every scorable one complete."""
    return all(s == SheetStatus.COMPLETE for s in statuses if scorable(s))
