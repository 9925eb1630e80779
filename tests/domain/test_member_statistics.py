"""The secretariat's statistics per member, against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from app.models.rules import Criterion, Grid, Level
from app.scoring.member_statistics import MemberSheet, member_statistics, pearson


def grid(method: str = "coefficients", levels: tuple[str, ...] = ()) -> Grid:
    return Grid(
        method=method,
        criteria=(Criterion("a", "A", D(10)), Criterion("b", "B", D(20))),
        threshold=D(0),
        rescale="none",
        min_evaluators=1,
        decimals=2,
        justification_min_chars=1,
        dispersion_flag=D("0.6") if method == "coefficients" else D(10),
        levels=tuple(Level(D(x)) for x in levels),
    )


# Three members, two proposals, two criteria (coefficients):
#            P1.a  P1.b  P2.a  P2.b
#   Anna      0     1    0.5    1
#   Bruno    0.5   0.5   0.5   0.5
#   Carla     1     0     0    0.5
SHEETS = {
    "anna": {"P1": ("0", "1"), "P2": ("0.5", "1")},
    "bruno": {"P1": ("0.5", "0.5"), "P2": ("0.5", "0.5")},
    "carla": {"P1": ("1", "0"), "P2": ("0", "0.5")},
}


def sheets(scale: dict[str, int] | None = None) -> list[MemberSheet]:
    scale = scale or {"a": 1, "b": 1}
    return [
        MemberSheet(member, proposal, {"a": D(a) * scale["a"], "b": D(b) * scale["b"]})
        for member, given in SHEETS.items()
        for proposal, (a, b) in given.items()
    ]


def test_the_figures_computed_by_hand() -> None:
    anna, bruno, carla = member_statistics(grid(), sheets(), ["anna", "bruno", "carla"])
    # Anna: values 0, 1, 0.5, 1. Mean 2.5 / 4 = 0.625. Squared deviations
    # 0.390625 + 0.140625 + 0.015625 + 0.140625 = 0.6875; / 4 = 0.171875;
    # its square root 0.41458 -> 0.4146. One value of four at 0, two at 1.
    assert (anna.values, anna.proposals) == (4, 2)
    assert (anna.mean, anna.spread) == (D("0.6250"), D("0.4146"))
    assert (anna.at_lowest, anna.at_highest) == (D("0.2500"), D("0.5000"))
    # The others' means on the same cells: 0.75, 0.25, 0.25, 0.5.
    # Deviations x: -0.625, 0.375, -0.125, 0.375; y: 0.3125, -0.1875, -0.1875, 0.0625.
    # sxy = -0.21875, sxx = 0.6875, syy = 0.171875, sqrt(sxx * syy) = 0.34375:
    # r = -0.21875 / 0.34375 = -7/11 = -0.6364.
    assert (anna.pairs, anna.correlation) == (4, D("-0.6364"))
    # Bruno gave 0.5 everywhere: no spread, nothing at the ends, and a
    # correlation that is not defined (his values do not vary).
    assert (bruno.mean, bruno.spread, bruno.at_lowest, bruno.at_highest) == (
        D("0.5000"), D("0.0000"), D("0.0000"), D("0.0000"),
    )  # fmt: skip
    assert bruno.pairs == 4 and bruno.correlation is None
    # Carla: values 1, 0, 0, 0.5, mean 0.375, the same spread as Anna's;
    # two values at 0, one at 1; others' means 0.25, 0.75, 0.5, 0.75: r = -7/11.
    assert (carla.mean, carla.spread) == (D("0.3750"), D("0.4146"))
    assert (carla.at_lowest, carla.at_highest) == (D("0.5000"), D("0.2500"))
    assert carla.correlation == D("-0.6364")


def test_points_are_put_on_the_same_scale_by_each_maximum() -> None:
    # The same sheets in points: a out of 10, b out of 20.
    coefficients = member_statistics(grid(), sheets(), ["anna", "bruno", "carla"])
    points = member_statistics(
        grid("points"), sheets({"a": 10, "b": 20}), ["anna", "bruno", "carla"]
    )
    assert points == coefficients


def test_the_ends_are_the_calls_lowest_and_highest_level() -> None:
    levelled = grid(levels=("0.2", "0.4", "0.6", "0.8"))
    given = [
        MemberSheet("anna", "P1", {"a": D("0.2"), "b": D("0.8")}),
        MemberSheet("anna", "P2", {"a": D("0.4"), "b": D("0.8")}),
    ]
    (anna,) = member_statistics(levelled, given)
    # One value of four at the lowest level (0.2), two at the highest (0.8);
    # the mean 2.2 / 4 = 0.55 stays on the 0..1 scale.
    assert (anna.at_lowest, anna.at_highest, anna.mean) == (D("0.25"), D("0.5"), D("0.55"))
    # Nobody else scored: no pairs, no correlation.
    assert anna.pairs == 0 and anna.correlation is None


def test_a_member_without_values_is_listed_with_nothing_defined() -> None:
    (dora, anna) = member_statistics(grid(), sheets()[:1], ["dora", "anna"])
    assert dora.member == "dora" and dora.values == 0
    assert (dora.mean, dora.spread, dora.at_lowest, dora.correlation) == (None, None, None, None)
    assert anna.values == 2 and anna.pairs == 0 and anna.correlation is None


def test_fewer_than_three_pairs_is_not_a_correlation() -> None:
    two = [(D("0"), D("1")), (D("1"), D("0"))]
    from fractions import Fraction as F

    assert pearson([(F(x), F(y)) for x, y in two]) is None
    three = [(F(0), F(0)), (F(1, 2), F(1, 2)), (F(1), F(1))]
    assert pearson(three) == D("1.0000")
    assert pearson([(x, 1 - y) for x, y in three]) == D("-1.0000")
    assert pearson([(x, F(1, 2)) for x, _y in three]) is None  # the others do not vary


def test_the_order_of_the_sheets_changes_nothing() -> None:
    forward = member_statistics(grid(), sheets(), ["anna", "bruno", "carla"])
    backward = member_statistics(grid(), list(reversed(sheets())), ["anna", "bruno", "carla"])
    assert forward == backward


LEVELS = ("0", "0.2", "0.4", "0.6", "0.8", "1")


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["anna", "bruno", "carla", "dora"]),
                  st.sampled_from(["P1", "P2", "P3", "P4"])),
        st.tuples(st.sampled_from(LEVELS), st.sampled_from(LEVELS)),
        max_size=16,
    )
)  # fmt: skip
def test_figures_stay_in_their_ranges_whatever_the_scores(
    given_values: dict[tuple[str, str], tuple[str, str]],
) -> None:
    levelled = grid(levels=LEVELS)
    sheets = [MemberSheet(m, p, {"a": D(a), "b": D(b)}) for (m, p), (a, b) in given_values.items()]
    figures = member_statistics(levelled, sheets)
    assert {f.member for f in figures} == {m for m, _p in given_values}
    for f in figures:
        assert f.values == 2 * f.proposals
        assert f.mean is not None and D(0) <= f.mean <= D(1)
        assert f.spread is not None and D(0) <= f.spread <= D("0.5")
        assert f.at_lowest is not None and f.at_highest is not None
        assert f.at_lowest + f.at_highest <= D(1)
        assert f.correlation is None or D(-1) <= f.correlation <= D(1)
        assert f.pairs <= f.values
    assert member_statistics(levelled, list(reversed(sheets))) == figures


def test_sub_criteria_count_as_what_members_score() -> None:
    """Under points, a sub-criterion's value is read on its own maximum: 7.5 of
    a 15-point part is 0.5, as 10 of the 20-point criterion b is."""
    split = Grid(
        method="points",
        criteria=(
            Criterion(
                "a",
                "A",
                D(30),
                sub=(Criterion("a1", "A1", D(15)), Criterion("a2", "A2", D(15))),
            ),
            Criterion("b", "B", D(20)),
        ),
        threshold=D(0),
        rescale="none",
        min_evaluators=1,
        decimals=2,
        justification_min_chars=1,
        dispersion_flag=D(10),
    )
    (anna,) = member_statistics(
        split, [MemberSheet("anna", "P1", {"a1": D("7.5"), "a2": D(15), "b": D(10)})], ["anna"]
    )
    # 0.5, 1 and 0.5: three values, mean 2/3, one at the top.
    assert (anna.values, anna.mean, anna.at_highest) == (3, D("0.6667"), D("0.3333"))
