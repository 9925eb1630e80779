"""The rules a call declares (issue 13) on hand-computed fixtures: two-stage
re-scaling, both roundings, ex aequo ties and the funding line, the order of
submission in the cascade, pending ties sharing a provisional rank.

Every figure in a comment is worked out by hand from docs/rules.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from app.models.rules import Criterion, Grid, Matchfunding
from app.scoring.ranking import Evaluation, ProposalInput, RankingResult, rank
from app.scoring.ties import SubmissionOrderMissingError, lottery_seed, shuffle

CALL = "MI-CC-2026"
UTC = dt.UTC


def grid(**changes) -> Grid:  # type: ignore[no-untyped-def]
    base = dict(
        method="coefficients",
        decimals=2,
        threshold=D("0"),
        rescale="none",
        min_evaluators=1,
        dispersion_flag=D("1"),
        tie_break=(),
        criteria=(Criterion("a", "A", D("60")), Criterion("b", "B", D("40"))),
        justification_min_chars=0,
    )
    base.update(changes)
    return Grid(**base)  # type: ignore[arg-type]


def money(fund: str, allocation: str = "strict_order") -> Matchfunding:
    # α = 0.5, K = 50,000: a project of cost B needs min(50,000, R, B/2).
    return Matchfunding(D("0.5"), D("50000"), D("200000"), 60, D(fund), allocation)


def prop(pid: str, cost: str = "40000", request: str = "20000", **more) -> ProposalInput:  # type: ignore[no-untyped-def]
    return ProposalInput(pid, True, D(request), total_cost=D(cost), **more)


def ev(pid: str, member: str = "m1", **values: str) -> Evaluation:
    return Evaluation(member, pid, False, {k: D(v) for k, v in values.items()})


def table(result: RankingResult) -> list[tuple[int, str, str, str]]:
    return [(r.rank, r.proposal, f"{r.total:f}", r.decided_by) for r in result.ranking]


# -- two-stage re-scaling ------------------------------------------------------

SCORES = [
    ev("A", a="0.8", b="0.25"),  # P = 48 + 10 = 58
    ev("B", a="0.4", b="0.5"),  # P = 24 + 20 = 44
    ev("C", a="0.6", b="0.25"),  # P = 36 + 10 = 46
]


def test_two_stage_rescaling_by_hand() -> None:
    # Stage 1, per criterion: a: max C̄ = 0.8 → A 60, B 30, C 45;
    #                         b: max C̄ = 0.5 → A 20, B 40, C 20.
    #   Totals: A 80, B 70, C 65.
    # Stage 2, on the total: × 100/80 = 1.25 → A 75 + 25 = 100,
    #   B 37.5 + 50 = 87.5, C 56.25 + 25 = 81.25.
    result = rank(grid(rescale="criterion_then_total"), CALL, [prop(x) for x in "ABC"], SCORES)
    assert [(r.proposal, r.criteria, r.total) for r in result.ranking] == [
        ("A", {"a": D("75.00"), "b": D("25.00")}, D("100.00")),
        ("B", {"a": D("37.50"), "b": D("50.00")}, D("87.50")),
        ("C", {"a": D("56.25"), "b": D("25.00")}, D("81.25")),
    ]


def test_the_single_rescalings_give_other_figures_on_the_same_scores() -> None:
    proposals = [prop(x) for x in "ABC"]
    per_criterion = rank(grid(rescale="criterion"), CALL, proposals, SCORES)
    assert [(r.proposal, r.total) for r in per_criterion.ranking] == [
        ("A", D("80.00")),
        ("B", D("70.00")),
        ("C", D("65.00")),
    ]
    # On the total alone: × 100/58: B 44·100/58 = 75.862… → 75.86 falls below
    # C 46·100/58 = 79.310… → 79.31.
    on_total = rank(grid(rescale="total"), CALL, proposals, SCORES)
    assert [(r.proposal, r.total) for r in on_total.ranking] == [
        ("A", D("100.00")),
        ("C", D("79.31")),
        ("B", D("75.86")),
    ]


def test_thresholds_apply_before_the_two_stage_rescaling() -> None:
    # B's unrescaled total 44 is below 45: out, although re-scaled it would
    # have 87.5; the others are re-scaled among themselves: stage 1 on A and C
    # (a: max 0.8 → A 60, C 45; b: both 0.25 → 40, 40), totals 100 and 85.
    result = rank(
        grid(rescale="criterion_then_total", threshold=D("45")),
        CALL,
        [prop(x) for x in "ABC"],
        SCORES,
    )
    assert [(e.proposal, e.reason, e.total) for e in result.excluded] == [
        ("B", "below_threshold", D("44.00"))
    ]
    assert [(r.proposal, r.total) for r in result.ranking] == [
        ("A", D("100.00")),
        ("C", D("85.00")),
    ]


# -- rounding ------------------------------------------------------------------

THIRDS = [ev("P", f"m{n}", a=v, b=v) for n, v in enumerate(("1", "0", "0"))]
TEN_AND_TEN = (Criterion("a", "A", D("10")), Criterion("b", "B", D("10")))


def test_total_of_unrounded_points_by_hand() -> None:
    # Each criterion: 10 × 1/3 = 3.333… → 3.33; total 6.666… → 6.67.
    result = rank(grid(criteria=TEN_AND_TEN), CALL, [prop("P")], THIRDS)
    row = result.ranking[0]
    assert row.criteria == {"a": D("3.33"), "b": D("3.33")} and row.total == D("6.67")


def test_sum_of_rounded_points_by_hand() -> None:
    # Each criterion 3.33; total 3.33 + 3.33 = 6.66.
    result = rank(grid(criteria=TEN_AND_TEN, rounding="sum_of_rounded"), CALL, [prop("P")], THIRDS)
    row = result.ranking[0]
    assert row.criteria == {"a": D("3.33"), "b": D("3.33")} and row.total == D("6.66")


def test_the_threshold_reads_the_total_the_call_publishes() -> None:
    # Threshold 6.67: met by 6.67 (total of unrounded), missed by 6.66.
    kept = rank(grid(criteria=TEN_AND_TEN, threshold=D("6.67")), CALL, [prop("P")], THIRDS)
    assert [r.proposal for r in kept.ranking] == ["P"]
    summed = grid(criteria=TEN_AND_TEN, threshold=D("6.67"), rounding="sum_of_rounded")
    out = rank(summed, CALL, [prop("P")], THIRDS)
    assert [(e.reason, e.total) for e in out.excluded] == [("below_threshold", D("6.66"))]


# -- ties: ex aequo and the funding line ---------------------------------------

# A alone at 80 (a 1, b 0.5), B and C tied at 70 (a 0.5, b 1), D at 60 (a 1, b 0).
TIED = [
    ev("A", a="1", b="0.5"),
    ev("B", a="0.5", b="1"),
    ev("C", a="0.5", b="1"),
    ev("D", a="1", b="0"),
]
# Needs (α 0.5, K 50,000): A costs 60,000 → 30,000; B, C, D cost 40,000 → 20,000.
FOUR = [prop("A", "60000", "30000"), prop("B"), prop("C"), prop("D")]


def test_a_tie_below_the_funding_line_shares_its_position_without_a_lottery() -> None:
    # Fund 100,000: A takes 30,000, 70,000 left; B + C need 40,000 ≤ 70,000:
    # both are funded whatever their order, so they share place 2; D is 4th.
    result = rank(
        grid(ties="ex_aequo", tie_break=("lottery",)),
        CALL,
        FOUR,
        TIED,
        matchfunding=money("100000"),
    )
    assert table(result) == [
        (1, "A", "80.00", ""),
        (2, "B", "70.00", "ex_aequo"),
        (2, "C", "70.00", "ex_aequo"),
        (4, "D", "60.00", ""),
    ]
    assert result.complete and result.lotteries == ()


def test_a_tie_none_of_which_fits_shares_its_position_too() -> None:
    # Fund 45,000: A takes 30,000, 15,000 left; B and C need 20,000 each:
    # neither fits in any order.
    result = rank(
        grid(ties="ex_aequo", tie_break=("lottery",)),
        CALL,
        FOUR,
        TIED,
        matchfunding=money("45000", "skip"),
    )
    assert [r.rank for r in result.ranking] == [1, 2, 2, 4] and result.complete


def test_a_tie_crossing_the_line_runs_the_cascade() -> None:
    # Fund 60,000: A takes 30,000, 30,000 left; B + C need 40,000 > 30,000
    # and 20,000 ≤ 30,000: only one of them is funded, so the tie crosses.
    # The cascade: lower requested contribution first; C asks 19,000.
    proposals = [*FOUR[:2], prop("C", request="19000"), FOUR[3]]
    result = rank(
        grid(ties="ex_aequo", tie_break=("lower_request", "lottery")),
        CALL,
        proposals,
        TIED,
        matchfunding=money("60000"),
    )
    assert table(result) == [
        (1, "A", "80.00", ""),
        (2, "C", "70.00", "lower_request"),
        (3, "B", "70.00", "lower_request"),
        (4, "D", "60.00", ""),
    ]


def test_a_crossing_tie_the_cascade_leaves_waits_for_the_lottery_then_is_drawn() -> None:
    ex_aequo = grid(ties="ex_aequo", tie_break=("b", "lottery"))
    waiting = rank(ex_aequo, CALL, FOUR, TIED, matchfunding=money("60000"))
    # Before the number: B and C share the provisional place 2, pending.
    assert table(waiting) == [
        (1, "A", "80.00", ""),
        (2, "B", "70.00", "pending"),
        (2, "C", "70.00", "pending"),
        (4, "D", "60.00", ""),
    ]
    assert waiting.pending_lottery == (("B", "C"),)
    drawn = rank(ex_aequo, CALL, FOUR, TIED, "17", matchfunding=money("60000"))
    order = shuffle(lottery_seed(CALL, "17", ("B", "C")), ("B", "C"))
    assert [r.proposal for r in drawn.ranking] == ["A", *order, "D"]
    assert [r.rank for r in drawn.ranking] == [1, 2, 3, 4]
    assert [lo.tied for lo in drawn.lotteries] == [("B", "C")]


def test_full_order_settles_every_tie_and_pending_ties_share_a_provisional_rank() -> None:
    full = grid(tie_break=("lottery",))
    waiting = rank(full, CALL, FOUR, TIED, matchfunding=money("100000"))
    assert [(r.rank, r.decided_by) for r in waiting.ranking] == [
        (1, ""),
        (2, "pending"),
        (2, "pending"),
        (4, ""),
    ]
    drawn = rank(full, CALL, FOUR, TIED, "17")
    assert [r.rank for r in drawn.ranking] == [1, 2, 3, 4]


def test_after_a_strict_stop_no_tie_crosses_the_line() -> None:
    # Fund 25,000, strict order: A (30,000) does not fit and stops the walk;
    # nothing is reserved after it, so B and C share place 2.
    result = rank(
        grid(ties="ex_aequo", tie_break=("lottery",)),
        CALL,
        FOUR,
        TIED,
        matchfunding=money("25000"),
    )
    assert [r.rank for r in result.ranking] == [1, 2, 2, 4] and result.complete


def test_ex_aequo_needs_the_funding_rule() -> None:
    with pytest.raises(ValueError, match="funding line"):
        rank(grid(ties="ex_aequo"), CALL, FOUR, TIED)


# -- the order of submission -----------------------------------------------------


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def test_submission_order_earlier_time_first_then_lower_protocol() -> None:
    # All three tied at 70. C was submitted at 9:00, B and D at 10:00 with
    # protocol 12 (D) and 40 (B): C, D, B.
    proposals = [
        prop("B", protocol=40, submitted_at=at(10)),
        prop("C", protocol=55, submitted_at=at(9)),
        prop("D", protocol=12, submitted_at=at(10)),
    ]
    same = [ev(x, a="0.5", b="1") for x in "BCD"]
    result = rank(grid(tie_break=("submission_order", "lottery")), CALL, proposals, same)
    assert table(result) == [
        (1, "C", "70.00", "submission_order"),
        (2, "D", "70.00", "submission_order"),
        (3, "B", "70.00", "submission_order"),
    ]


def test_a_ranked_proposal_without_its_submission_order_stops_the_ranking() -> None:
    proposals = [prop("B", protocol=40, submitted_at=at(10)), prop("C", protocol=55)]
    same = [ev(x, a="0.5", b="1") for x in "BC"]
    with pytest.raises(SubmissionOrderMissingError) as caught:
        rank(grid(tie_break=("submission_order",)), CALL, proposals, same)
    assert caught.value.proposals == ("C",)
    assert "C" in str(caught.value) and "protocol" in str(caught.value)


def test_an_excluded_proposal_needs_no_submission_order() -> None:
    # C has no protocol but is below the threshold: the ranking goes ahead.
    proposals = [prop("B", protocol=40, submitted_at=at(10)), prop("C")]
    scores = [ev("B", a="0.5", b="1"), ev("C", a="0", b="0")]
    result = rank(grid(tie_break=("submission_order",), threshold=D("10")), CALL, proposals, scores)
    assert [r.proposal for r in result.ranking] == ["B"]
    assert [e.proposal for e in result.excluded] == ["C"]
