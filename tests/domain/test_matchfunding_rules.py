"""The independent verifier's money findings, each computed by hand.

1. A failed project that never held a reserve no longer blocks strict order.
2. The match never exceeds the requested contribution.
3. No over-financing: the city covers the remaining cost (or the call says
   ``overshoot = "kept"``).
4. Scorrimento follows the ranking, not the order results were found in.

docs/matchfunding.md walks through the same examples.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal as D

from app.models.rules import Matchfunding
from app.scoring.matchfunding import Campaign, Candidate, allocate, matched_for, reserve_for

CLOSED = dt.date(2021, 3, 31)


def rule(fund: str, allocation: str = "strict_order", overshoot: str = "remaining") -> Matchfunding:
    return Matchfunding(D("0.5"), D("50000"), D("200000"), 60, D(fund), allocation, overshoot)


def failed(pid: str) -> Campaign:
    return Campaign(pid, D("1000"), 12, CLOSED)


def raised(pid: str, amount: str) -> Campaign:
    return Campaign(pid, D(amount), 120, CLOSED)


def table(result):  # type: ignore[no-untyped-def]
    return {p.proposal: (p.status, p.reserved, p.matched) for p in result.projects}


def test_a_failed_project_that_never_held_a_reserve_leaves_the_line() -> None:
    # Fund 50.000, α 0,5, strict order. P01 (60.000) reserves 30.000; P02
    # (80.000) needs 40.000 > 20.000 left, and its campaign failed; P03
    # (30.000) raised exactly its share 15.000. P02 leaves the line: P03 is
    # reached and funded with 15.000, and 5.000 stay in the fund.
    line = [
        Candidate("P01", 1, D("60000")),
        Candidate("P02", 2, D("80000")),
        Candidate("P03", 3, D("30000")),
    ]
    result = allocate(rule("50000"), line, {"P02": failed("P02"), "P03": raised("P03", "15000")})
    assert table(result) == {
        "P01": ("in_campaign", D("30000.00"), D(0)),
        "P02": ("failed", D(0), D(0)),
        "P03": ("funded", D("15000.00"), D("15000.00")),
    }
    assert result.remaining == D("5000.00")


def test_the_match_never_exceeds_the_requested_contribution() -> None:
    # P01 costs 40.000 and asked 16.600; its crowd raised 20.000 (α·B). The
    # rule's share would be 20.000: the request bounds it.
    line = [Candidate("P01", 1, D("40000"), D("16600"))]
    assert reserve_for(rule("100000"), D("40000"), D("16600")) == D("16600.00")
    result = allocate(rule("100000"), line, {"P01": raised("P01", "20000")})
    assert table(result) == {"P01": ("funded", D("16600.00"), D("16600.00"))}


def test_a_crowd_that_raised_the_whole_budget_gets_no_match() -> None:
    # B 40.000, the crowd raised 40.000: the remaining cost is 0. The old rule
    # paid 20.000 on top, income 150 % of the cost.
    line = [Candidate("P01", 1, D("40000"))]
    result = allocate(rule("100000"), line, {"P01": raised("P01", "40000")})
    assert table(result) == {"P01": ("funded", D(0), D(0))}
    # Raised 26.000 of 40.000: the city covers the remaining 14.000.
    assert matched_for(rule("100000"), D("40000"), D("26000")) == D("14000.00")
    # More than the cost raised: still 0, never negative.
    assert matched_for(rule("100000"), D("40000"), D("52000")) == D(0)


def test_overshoot_kept_leaves_the_crowds_excess_with_the_project() -> None:
    kept = rule("100000", overshoot="kept")
    line = [Candidate("P01", 1, D("40000"), D("18000"))]
    result = allocate(kept, line, {"P01": raised("P01", "40000")})
    # min(K 50.000, R 18.000, (1 − α)·B 20.000) whatever the crowd raised.
    assert table(result) == {"P01": ("funded", D("18000.00"), D("18000.00"))}
    assert matched_for(kept, D("40000"), D("26000")) == D("20000.00")


# The worked example of docs/matchfunding.md: skip, fund 60.000, α 0,5.
WORKED = [
    Candidate("P1", 1, D("48000")),  # reserve 24.000
    Candidate("P2", 2, D("48000")),  # reserve 24.000
    Candidate("P3", 3, D("100000")),  # reserve 50.000
    Candidate("P4", 4, D("24000")),  # reserve 12.000
]


def test_freed_money_goes_to_the_best_ranked_project_still_waiting() -> None:
    skip = rule("60000", "skip")
    # Before any result: P1 and P2 hold 48.000, P3 does not fit in 12.000, P4 does.
    assert table(allocate(skip, WORKED, {})) == {
        "P1": ("in_campaign", D("24000.00"), D(0)),
        "P2": ("in_campaign", D("24000.00"), D(0)),
        "P3": ("waiting", D(0), D(0)),
        "P4": ("in_campaign", D("12000.00"), D(0)),
    }
    # P1 and P2 failed: 60.000 are free for the line P3, P4. P3 comes first and
    # takes 50.000; P4's 12.000 no longer fit in the 10.000 left. The old walk
    # kept P4 and left P3 waiting with 48.000 idle.
    expected = {
        "P1": ("failed", D(0), D(0)),
        "P2": ("failed", D(0), D(0)),
        "P3": ("in_campaign", D("50000.00"), D(0)),
        "P4": ("waiting", D(0), D(0)),
    }
    results = {"P1": failed("P1"), "P2": failed("P2")}
    assert table(allocate(skip, WORKED, results)) == expected
    # Whatever order the results were found in, the outcome is the same.
    for order in itertools.permutations(results):
        assert table(allocate(skip, WORKED, {pid: results[pid] for pid in order})) == expected


def test_a_campaign_that_succeeded_keeps_its_match() -> None:
    # If P4's campaign had already succeeded (it ran on its 12.000), its
    # backers gave on the city's promise: P4 keeps its match, and P3 waits
    # with the 48.000 left, short of its 50.000.
    skip = rule("60000", "skip")
    results = {"P1": failed("P1"), "P2": failed("P2"), "P4": raised("P4", "12000")}
    result = allocate(skip, WORKED, results)
    assert table(result) == {
        "P1": ("failed", D(0), D(0)),
        "P2": ("failed", D(0), D(0)),
        "P3": ("waiting", D(0), D(0)),
        "P4": ("funded", D("12000.00"), D("12000.00")),
    }
    assert result.remaining == D("48000.00")
