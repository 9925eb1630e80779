"""The pure rules of one member's score sheet."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scoring.sheet import (
    CriterionRule,
    GridRule,
    SheetStatus,
    member_total,
    ready_to_submit,
    sheet_status,
    value_problem,
)

LEVELS = tuple(D(x) for x in ("0", "0.2", "0.4", "0.6", "0.8", "1"))
GRID = GridRule(
    method="coefficients",
    levels=LEVELS,
    decimals=2,
    justification_min_chars=20,
    criteria=(CriterionRule("innovation", D(25)), CriterionRule("impact", D(30))),
)
POINTS = GridRule("points", (), 1, 10, (CriterionRule("impact", D(30)),))
FREE = GridRule("coefficients", (), 2, 0, (CriterionRule("impact", D(30)),))
WHY = "una motivazione sufficiente"


@pytest.mark.parametrize(
    ("grid", "value", "problem"),
    [
        (GRID, D("0.6"), None),
        (GRID, D("0.60"), None),
        (GRID, D("0.5"), "not_a_level"),
        (POINTS, D("30"), None),
        (POINTS, D("12.5"), None),
        (POINTS, D("30.5"), "out_of_range"),
        (POINTS, D("12.25"), "too_many_decimals"),
        (FREE, D("0.75"), None),
        (FREE, D("0.755"), "too_many_decimals"),
        (FREE, D("1.1"), "out_of_range"),
    ],
)
def test_allowed_values(grid: GridRule, value: D, problem: str | None) -> None:
    assert value_problem(grid, grid.criteria[0], value) == problem


def test_member_total_coefficients_and_points() -> None:
    assert member_total(GRID, {"innovation": D("0.6"), "impact": D("1")}) == D("45.0")
    assert member_total(POINTS, {"impact": D("12.5")}) == D("12.5")
    assert member_total(GRID, {}) == 0


def status(**kwargs: object) -> SheetStatus:
    base: dict[str, object] = {
        "admissible": True,
        "declared": True,
        "conflicted": False,
        "values": {},
        "justifications": {},
    }
    base.update(kwargs)
    return sheet_status(GRID, **base)  # type: ignore[arg-type]


def test_statuses() -> None:
    assert status(admissible=False) == SheetStatus.INADMISSIBLE
    assert status(declared=False) == SheetStatus.TO_DECLARE
    assert status(conflicted=True) == SheetStatus.CONFLICTED
    assert status() == SheetStatus.TO_SCORE
    assert status(values={"impact": D(1)}) == SheetStatus.PARTIAL
    assert status(justifications={"impact": "scritto prima del voto"}) == SheetStatus.PARTIAL
    both = {"innovation": D("0.2"), "impact": D(1)}
    assert status(values=both, justifications={"innovation": WHY, "impact": "corta"}) == (
        SheetStatus.PARTIAL
    )
    assert status(values=both, justifications={"innovation": WHY, "impact": WHY}) == (
        SheetStatus.COMPLETE
    )


def test_ready_to_submit() -> None:
    done, conflicted = SheetStatus.COMPLETE, SheetStatus.CONFLICTED
    assert ready_to_submit([done, conflicted, SheetStatus.INADMISSIBLE])
    assert not ready_to_submit([done, SheetStatus.TO_DECLARE])
    assert not ready_to_submit([done, SheetStatus.PARTIAL])


@given(st.dictionaries(st.sampled_from(["innovation", "impact"]), st.sampled_from(LEVELS)))
def test_raising_a_value_never_lowers_the_total(values: dict[str, D]) -> None:
    for key in ("innovation", "impact"):
        higher = dict(values)
        current = values.get(key, D(0))
        higher[key] = max(level for level in LEVELS if level >= current)
        assert member_total(GRID, higher) >= member_total(GRID, values)
