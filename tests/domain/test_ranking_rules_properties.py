"""Properties of the rules a call declares (issue 13), checked by hypothesis:
under ``sum_of_rounded`` the published criteria add up to the published total;
under ``ex_aequo`` a tie below the funding line never triggers a lottery."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.rules import Criterion, Grid, Matchfunding
from app.scoring.ranking import Evaluation, ProposalInput, rank

CALL = "MI-CC-2026"
WEIGHTS = (D("10"), D("15"), D("25"), D("30"), D("35"))
coefficient = st.integers(0, 20).map(lambda n: D(n) / 20)


@st.composite
def scored_calls(draw):  # type: ignore[no-untyped-def]
    """A grid (any re-scaling, decimals, points or coefficients) with sheets."""
    method = draw(st.sampled_from(["coefficients", "points"]))
    weights = draw(st.lists(st.sampled_from(WEIGHTS), min_size=1, max_size=4))
    criteria = tuple(Criterion(f"k{n}", f"K{n}", w) for n, w in enumerate(weights))
    members = draw(st.integers(1, 4))
    count = draw(st.integers(1, 6))
    evaluations = []
    for index in range(count):
        for member in range(members):
            values = {
                c.key: draw(coefficient)
                if method == "coefficients"
                else D(draw(st.integers(0, int(c.max_points) * 4))) / 4
                for c in criteria
            }
            evaluations.append(Evaluation(f"m{member}", f"P{index}", False, values))
    grid = dict(
        method=method,
        criteria=criteria,
        threshold=D(0),
        rescale=draw(st.sampled_from(["none", "criterion", "total", "criterion_then_total"])),
        min_evaluators=1,
        decimals=draw(st.integers(0, 3)),
        justification_min_chars=0,
        dispersion_flag=D("1") if method == "coefficients" else D("100"),
        tie_break=("lottery",),
    )
    return grid, count, evaluations


@settings(max_examples=300, deadline=None)
@given(scored_calls())
def test_under_sum_of_rounded_the_criteria_add_up_to_the_total(call) -> None:  # type: ignore[no-untyped-def]
    fields, count, evaluations = call
    grid = Grid(**fields, rounding="sum_of_rounded")
    proposals = [ProposalInput(f"P{i}", True, D("10000")) for i in range(count)]
    result = rank(grid, CALL, proposals, evaluations, "1")
    for row in result.ranking:
        assert sum(row.criteria.values(), D(0)) == row.total
        assert row.total.as_tuple().exponent == -grid.decimals


@st.composite
def tied_calls(draw):  # type: ignore[no-untyped-def]
    """Proposals on few distinct totals (ties everywhere), with costs and requests."""
    count = draw(st.integers(2, 8))
    levels = draw(st.lists(coefficient, min_size=1, max_size=3))
    proposals, evaluations = [], []
    for index in range(count):
        pid = f"P{index}"
        cost = D(draw(st.sampled_from([20000, 40000, 60000, 100000])))
        request = D(draw(st.sampled_from([5000, 10000, 20000, 30000])))
        proposals.append(ProposalInput(pid, True, request, total_cost=cost))
        value = draw(st.sampled_from(levels))
        evaluations.append(Evaluation("m", pid, False, {"a": value}))
    return proposals, evaluations


def needs(rule: Matchfunding, proposals: list[ProposalInput]) -> list[D]:
    return [min(rule.max_contribution(p.total_cost), p.requested_contribution) for p in proposals]


@settings(max_examples=300, deadline=None)
@given(
    tied_calls(),
    st.sampled_from(["strict_order", "skip"]),
    st.booleans(),
    st.sampled_from([(), ("lower_request",)]),
)
def test_under_ex_aequo_a_tie_below_the_funding_line_never_draws_lots(
    call, allocation: str, everyone_fits: bool, cascade: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    proposals, evaluations = call
    probe = Matchfunding(D("0.5"), D("50000"), D("200000"), 60, D("1"), allocation)
    all_needs = needs(probe, proposals)
    # The fund covers every need, or none (then every tie is below the line).
    fund = sum(all_needs, D(0)) if everyone_fits else min(all_needs) - D("0.01")
    if fund <= 0:
        return
    rule = Matchfunding(D("0.5"), D("50000"), D("200000"), 60, fund, allocation)
    grid = Grid(
        method="coefficients",
        criteria=(Criterion("a", "A", D("100")),),
        threshold=D(0),
        rescale="none",
        min_evaluators=1,
        decimals=2,
        justification_min_chars=0,
        dispersion_flag=D("1"),
        tie_break=(*cascade, "lottery"),
        ties="ex_aequo",
    )
    result = rank(grid, CALL, proposals, evaluations, None, matchfunding=rule)
    assert result.complete and result.pending_lottery == ()
    drawn = rank(grid, CALL, proposals, evaluations, "42", matchfunding=rule)
    assert drawn.lotteries == ()
    # Equal totals, and only they, share a rank.
    for one in result.ranking:
        for other in result.ranking:
            assert (one.total == other.total) == (one.rank == other.rank)
