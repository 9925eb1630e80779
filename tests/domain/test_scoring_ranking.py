"""The ranking rules on hand-computed fixtures, and their properties."""

from __future__ import annotations

import hashlib
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.rules import Criterion, Grid
from app.scoring import ranking
from app.scoring.ranking import (
    Evaluation,
    ProposalInput,
    RankingResult,
    lottery_seed,
    publish,
    shuffle,
)

CALL = "MI-CC-2020"


def crit(key: str, maximum: D, floor: D | None = None) -> Criterion:
    return Criterion(key, key.capitalize(), maximum, min_points=floor)


def rank(grid: Grid, proposals, evaluations, lottery_number=None) -> RankingResult:  # type: ignore[no-untyped-def]
    return ranking.rank(grid, CALL, proposals, evaluations, lottery_number)


def rules(**changes) -> Grid:  # type: ignore[no-untyped-def]
    base = dict(
        method="coefficients",
        decimals=2,
        threshold=D("60"),
        rescale="none",
        min_evaluators=2,
        dispersion_flag=D("0.6"),
        tie_break=("impact", "innovation", "lower_request", "lottery"),
        criteria=(crit("innovation", D("40")), crit("impact", D("60"), D("18"))),
        justification_min_chars=0,
    )
    base.update(changes)
    return Grid(**base)  # type: ignore[arg-type]


def p(pid: str, admissible: bool = True, request: str = "30000") -> ProposalInput:
    return ProposalInput(pid, admissible, D(request))


def ev(member: str, pid: str, conflicted: bool = False, **values: str) -> Evaluation:
    return Evaluation(member, pid, conflicted, {k: D(v) for k, v in values.items()})


def sheet(pid: str, innovation: list[str], impact: list[str]) -> list[Evaluation]:
    return [
        ev(f"m{n}", pid, innovation=i, impact=m)
        for n, (i, m) in enumerate(zip(innovation, impact, strict=True))
    ]


def test_coefficient_method_by_hand() -> None:
    # P1 innovation: (0.8 + 0.6 + 0.6) / 3 = 0.6666…; × 40 = 26.666… → 26.67
    #    impact: (1 + 0.8 + 0.8) / 3 = 0.8666…; × 60 = 52.0
    #    total: 26.666… + 52 = 78.666… → 78.67 (sum of the unrounded points)
    result = rank(rules(), [p("P1")], sheet("P1", ["0.8", "0.6", "0.6"], ["1", "0.8", "0.8"]))
    ranked = result.ranking[0]
    assert ranked.criteria == {"innovation": D("26.67"), "impact": D("52.00")}
    assert ranked.total == D("78.67") and ranked.evaluators == 3 and ranked.rank == 1


def test_the_total_is_the_sum_of_unrounded_points() -> None:
    # innovation 40 × 0.000125 = 0.005 → 0.01 ; impact 60 × 0.000125 = 0.0075 → 0.01
    # total: 0.005 + 0.0075 = 0.0125 → 0.01, not 0.01 + 0.01 = 0.02.
    no_floor = (crit("innovation", D("40")), crit("impact", D("60")))
    loose = rules(min_evaluators=1, threshold=D("0"), criteria=no_floor)
    result = rank(loose, [p("P1")], [ev("m", "P1", innovation="0.000125", impact="0.000125")])
    ranked = result.ranking[0]
    assert ranked.criteria == {"innovation": D("0.01"), "impact": D("0.01")}
    assert ranked.total == D("0.01")
    assert publish(D("12.345"), 2) == D("12.35") and publish(D("-0.005"), 2) == D("-0.01")


def test_points_method_by_hand() -> None:
    points = rules(method="points", dispersion_flag=D("15"))
    result = rank(points, [p("P1")], sheet("P1", ["30", "35", "38"], ["40", "50", "57"]))
    # innovation (30+35+38)/3 = 34.333… → 34.33 ; impact 147/3 = 49 ; total 83.33
    assert result.ranking[0].criteria == {"innovation": D("34.33"), "impact": D("49.00")}
    assert result.ranking[0].total == D("83.33")
    assert result.ranking[0].flags == ("impact",)  # 57 − 40 = 17 ≥ 15


def test_threshold_and_floor_apply_to_published_values() -> None:
    proposals = [p("LOW"), p("EDGE"), p("FLOOR")]
    evaluations = (
        sheet("LOW", ["0.5", "0.5"], ["0.6", "0.6"])  # 20 + 36 = 56 < 60
        + sheet("EDGE", ["0.6", "0.6"], ["0.6", "0.6"])  # 24 + 36 = 60 ≥ 60
        + sheet("FLOOR", ["1", "1"], ["0.2", "0.3"])  # impact 15 < floor 18, total 55
    )
    result = rank(rules(), proposals, evaluations)
    assert [r.proposal for r in result.ranking] == ["EDGE"]
    assert {e.proposal: e.reason for e in result.excluded} == {
        "FLOOR": "below_criterion_floor",
        "LOW": "below_threshold",
    }
    floor = next(e for e in result.excluded if e.proposal == "FLOOR")
    assert floor.total == D("55.00") and floor.criteria["impact"] == D("15.00")


def test_rescaling_per_criterion_after_the_threshold() -> None:
    proposals = [p("A"), p("B"), p("C")]
    evaluations = (
        sheet("A", ["0.8", "0.8"], ["0.5", "0.5"])  # 32 + 30 = 62
        + sheet("B", ["0.4", "0.4"], ["0.9", "0.9"])  # 16 + 54 = 70
        + sheet("C", ["1", "1"], ["0.1", "0.1"])  # 40 + 6 = 46 → below threshold, not in the max
    )
    result = rank(rules(rescale="criterion"), proposals, evaluations)
    # The best admitted innovation is A's 32 (C is excluded first): A 40, B 40·16/32 = 20.
    # The best impact is B's 54: A 60·30/54 = 33.333… , B 60.
    totals = {r.proposal: (r.criteria, r.total) for r in result.ranking}
    assert totals["A"] == ({"innovation": D("40.00"), "impact": D("33.33")}, D("73.33"))
    assert totals["B"] == ({"innovation": D("20.00"), "impact": D("60.00")}, D("80.00"))
    assert [r.proposal for r in result.ranking] == ["B", "A"]
    assert result.excluded[0].proposal == "C" and result.excluded[0].total == D("46.00")


def test_rescaling_on_the_total() -> None:
    proposals = [p("A"), p("B")]
    evaluations = sheet("A", ["0.8", "0.8"], ["0.5", "0.5"]) + sheet(
        "B", ["0.4", "0.4"], ["0.9", "0.9"]
    )
    result = rank(rules(rescale="total"), proposals, evaluations)
    # factor = 100 / 70: B → 100.00 ; A → 62 × 100/70 = 88.571… → 88.57
    totals = {r.proposal: r.total for r in result.ranking}
    assert totals == {"B": D("100.00"), "A": D("88.57")}
    a = next(r for r in result.ranking if r.proposal == "A")
    assert a.criteria == {"innovation": D("45.71"), "impact": D("42.86")}


def test_quorum_conflicts_and_missing_scores() -> None:
    evaluations = [
        ev("m1", "P1", innovation="0.8", impact="0.8"),
        ev("m2", "P1", conflicted=True, innovation="0", impact="0"),  # never counted
        ev("m3", "P1", innovation="0.6"),  # impact missing: not a zero
        ev("m1", "P2", innovation="1", impact="1"),
        ev("m2", "P2", conflicted=True),
    ]
    result = rank(rules(), [p("P1"), p("P2")], evaluations)
    # P1: impact has only m1 → below the quorum of 2.
    assert {e.proposal: e.reason for e in result.excluded} == {"P1": "no_quorum", "P2": "no_quorum"}
    result = rank(rules(min_evaluators=1), [p("P1")], evaluations)
    ranked = result.ranking[0]
    # innovation (0.8 + 0.6)/2 × 40 = 28 ; impact 0.8 × 60 = 48 (m3's missing value is not 0).
    assert (
        ranked.criteria == {"innovation": D("28.00"), "impact": D("48.00")}
        and ranked.evaluators == 2
    )


def test_inadmissible_proposals_are_excluded_with_their_reason() -> None:
    result = rank(rules(), [p("X", admissible=False)], sheet("X", ["1", "1"], ["1", "1"]))
    assert result.ranking == () and result.excluded[0].reason == "inadmissible"


def test_each_tie_break_level() -> None:
    same = ["0.5", "0.5"], ["0.5", "0.5"]  # 20 + 30 = 50 → threshold lowered below
    r = rules(threshold=D("0"))
    # Level 1: the same total, higher impact first.
    evaluations = sheet("A", ["0.75", "0.75"], ["0.5", "0.5"]) + sheet(
        "B", ["0.5", "0.5"], ["0.666666", "0.666666"]
    )
    result = rank(r, [p("A"), p("B")], evaluations)
    assert [(x.proposal, x.total) for x in result.ranking] == [("B", D("60.00")), ("A", D("60.00"))]
    assert result.ranking[0].decided_by == "impact"
    # Level 3: same total, impact and innovation: lower requested contribution first.
    evaluations = sheet("A", *same) + sheet("B", *same)
    result = rank(r, [p("A", request="30000"), p("B", request="25000")], evaluations)
    assert [x.proposal for x in result.ranking] == ["B", "A"]
    assert result.ranking[0].decided_by == "lower_request"
    # Down to the lottery: no number yet, so the ranking waits.
    result = rank(r, [p("A"), p("B")], evaluations)
    assert not result.complete and result.pending_lottery == (("A", "B"),)


def test_the_lottery_ends_every_cascade_even_when_the_call_omits_it() -> None:
    r = rules(threshold=D("0"), tie_break=("impact",))
    evaluations = [e for pid in ("A", "B") for e in sheet(pid, ["0.5", "0.5"], ["0.5", "0.5"])]
    assert rank(r, [p("A"), p("B")], evaluations).pending_lottery == (("A", "B"),)
    drawn = rank(r, [p("A"), p("B")], evaluations, lottery_number="7")
    assert drawn.complete and [x.decided_by for x in drawn.ranking] == ["lottery", "lottery"]


def test_totals_are_rounded_from_exact_figures() -> None:
    # Six members; one gives 0.35 and 0.05, the others 0. P = 5 · 0.35/6 +
    # 10 · 0.05/6 = 2.25/6 = 0.375 exactly, which publishes as 0.38. Computed
    # in 28-digit decimals the sum is 0.37499…98 and would publish as 0.37.
    r = rules(threshold=D("0"), min_evaluators=1, tie_break=(),
              criteria=(crit("a", D("5")), crit("b", D("10"))))  # fmt: skip
    evaluations = [ev("m0", "P1", a="0.35", b="0.05")] + [
        ev(f"m{n}", "P1", a="0", b="0") for n in range(1, 6)
    ]
    ranked = rank(r, [p("P1")], evaluations).ranking[0]
    assert ranked.total == D("0.38")
    assert ranked.criteria == {"a": D("0.29"), "b": D("0.08")}  # 0.2916…, 0.0833…
    assert publish(Fraction(3, 8), 2) == D("0.38") and publish(Fraction(1, 3), 2) == D("0.33")
    assert publish(Fraction(2, 3), 0) == D("1") and publish(Fraction(1, 200), 2) == D("0.01")


def test_the_lottery_is_verifiable_with_a_published_seed() -> None:
    r = rules(threshold=D("0"))
    ids = ["P003", "P007", "P012"]
    evaluations = [e for pid in ids for e in sheet(pid, ["0.5", "0.5"], ["0.5", "0.5"])]
    result = rank(r, [p(pid) for pid in ids], evaluations, lottery_number="4817")
    lottery = result.lotteries[0]
    # Published: SHA-256("MI-CC-2020\n4817\nP003,P007,P012").
    expected = hashlib.sha256(b"MI-CC-2020\n4817\nP003,P007,P012").hexdigest()
    assert (
        lottery.seed
        == expected
        == "9567625cce168bfd1398e3b8e21f94621005bb99922d1cffc6e2dc2d04ce273c"
    )
    assert lottery.order == ("P012", "P003", "P007")
    assert [x.proposal for x in result.ranking] == ["P012", "P003", "P007"]
    assert all(x.decided_by == "lottery" for x in result.ranking)
    assert (
        lottery_seed("MI-CC-2020", "4817", reversed(ids)) == expected
    )  # the order of ids does not matter
    assert shuffle(expected, ["P012", "P007", "P003"]) == lottery.order


def test_dispersion_flags_inform_only() -> None:
    result = rank(rules(min_evaluators=1), [p("P1")], sheet("P1", ["0.2", "1"], ["0.6", "0.8"]))
    ranked = result.ranking[0]
    assert ranked.flags == ("innovation",)  # 1 − 0.2 = 0.8 ≥ 0.6
    assert ranked.criteria["innovation"] == D("24.00")


# -- properties --------------------------------------------------------------------

LEVELS = [D(x) for x in ("0", "0.2", "0.4", "0.6", "0.8", "1")]
PROPOSALS = [p(f"P{n}", request=str(10000 + n)) for n in range(6)]
MEMBERS = ["m1", "m2", "m3", "m4"]


@st.composite
def commissions(draw):  # type: ignore[no-untyped-def]
    evaluations = []
    for proposal in PROPOSALS:
        for member in MEMBERS:
            conflicted = draw(st.booleans()) and draw(st.booleans())
            values = {}
            for key in ("innovation", "impact"):
                if draw(st.integers(0, 9)) > 0:  # now and then a missing value
                    values[key] = draw(st.sampled_from(LEVELS))
            evaluations.append(Evaluation(member, proposal.id, conflicted, values))
    return evaluations


SETTINGS = settings(max_examples=150, deadline=None)
RULES = rules(threshold=D("30"), min_evaluators=1)


@SETTINGS
@given(commissions(), st.randoms(use_true_random=False))
def test_the_order_bundles_arrive_in_does_not_matter(evaluations, rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(evaluations)
    rnd.shuffle(shuffled)
    proposals = list(PROPOSALS)
    rnd.shuffle(proposals)
    assert rank(RULES, proposals, shuffled, "1234") == rank(RULES, PROPOSALS, evaluations, "1234")


@SETTINGS
@given(commissions(), st.sampled_from(LEVELS), st.sampled_from(LEVELS))
def test_a_conflicted_members_scores_change_no_figure(evaluations, a, b) -> None:  # type: ignore[no-untyped-def]
    base = rank(RULES, PROPOSALS, evaluations, "1234")
    extra = [
        Evaluation("intruder", pr.id, True, {"innovation": a, "impact": b}) for pr in PROPOSALS
    ]
    assert rank(RULES, PROPOSALS, evaluations + extra, "1234") == base
    changed = [
        Evaluation(e.member, e.proposal, e.conflicted, {k: a for k in e.values})
        if e.conflicted
        else e
        for e in evaluations
    ]
    assert rank(RULES, PROPOSALS, changed, "1234") == base


@SETTINGS
@given(
    commissions(),
    st.integers(0, len(PROPOSALS) * len(MEMBERS) - 1),
    st.sampled_from(["innovation", "impact"]),
)
def test_raising_a_coefficient_never_lowers_the_total(evaluations, index, key) -> None:  # type: ignore[no-untyped-def]
    target = evaluations[index]
    if target.conflicted or key not in target.values or target.values[key] == LEVELS[-1]:
        return
    raised = dict(target.values)
    raised[key] = LEVELS[LEVELS.index(raised[key]) + 1]
    after = list(evaluations)
    after[index] = Evaluation(target.member, target.proposal, False, raised)
    loose = rules(threshold=D("0"), min_evaluators=1)

    def total(result) -> D | None:  # type: ignore[no-untyped-def]
        found = [r.total for r in result.ranking if r.proposal == target.proposal]
        return found[0] if found else None

    before_total = total(rank(loose, PROPOSALS, evaluations, "1"))
    after_total = total(rank(loose, PROPOSALS, after, "1"))
    if before_total is None:  # not ranked (no evaluator on a criterion): nothing to compare
        return
    assert after_total is not None and after_total >= before_total


@SETTINGS
@given(commissions())
def test_a_missing_score_is_not_a_zero(evaluations) -> None:  # type: ignore[no-untyped-def]
    loose = rules(threshold=D("0"), min_evaluators=1)
    result = rank(loose, PROPOSALS, evaluations, "1")
    for ranked in result.ranking:
        for key, weight in (("innovation", D("40")), ("impact", D("60"))):
            given_values = [
                e.values[key]
                for e in evaluations
                if e.proposal == ranked.proposal and not e.conflicted and key in e.values
            ]
            expected = publish(weight * sum(given_values, D(0)) / len(given_values), 2)
            assert ranked.criteria[key] == expected
