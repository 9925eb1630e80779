"""The pure rules of one member's score sheet."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.rules import Criterion, Grid, Level
from app.scoring.sheet import (
    SheetStatus,
    member_total,
    ready_to_submit,
    sheet_status,
    value_problem,
)

LEVELS = tuple(Level(D(x)) for x in ("0", "0.2", "0.4", "0.6", "0.8", "1"))


def grid(
    method: str, levels: tuple[Level, ...], decimals: int, chars: int, *criteria: Criterion
) -> Grid:
    return Grid(
        method=method,
        criteria=criteria,
        threshold=D(0),
        rescale="none",
        min_evaluators=1,
        decimals=decimals,
        justification_min_chars=chars,
        dispersion_flag=D("0.6") if method == "coefficients" else D(10),
        levels=levels,
    )


def crit(key: str, maximum: int) -> Criterion:
    return Criterion(key, key.capitalize(), D(maximum))


GRID = grid("coefficients", LEVELS, 2, 20, crit("innovation", 25), crit("impact", 30))
POINTS = grid("points", (), 1, 10, crit("impact", 30))
FREE = grid("coefficients", (), 2, 0, crit("impact", 30))
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
def test_allowed_values(grid: Grid, value: D, problem: str | None) -> None:
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


@given(
    st.dictionaries(
        st.sampled_from(["innovation", "impact"]), st.sampled_from([v.value for v in LEVELS])
    )
)
def test_raising_a_value_never_lowers_the_total(values: dict[str, D]) -> None:
    for key in ("innovation", "impact"):
        higher = dict(values)
        current = values.get(key, D(0))
        higher[key] = max(level.value for level in LEVELS if level.value >= current)
        assert member_total(GRID, higher) >= member_total(GRID, values)
