"""Matchfunding by hand: the 2015 and 2020 editions, a failed campaign and scorrimento.

The city covers the remaining cost (M = min(K, R, B − C)), the default rule
since the seed call's words; docs/matchfunding.md has the worked examples.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from app.models.rules import Matchfunding
from app.scoring.matchfunding import Campaign, Candidate, allocate, matched_for

EDITION_2015 = Matchfunding(
    crowd_share=D("0.50"),
    cap=D("50000"),
    max_project_cost=D("100000"),
    fund=D("150000"),
    campaign_days=60,
    allocation="strict_order",
)
EDITION_2020 = Matchfunding(
    crowd_share=D("0.40"),
    cap=D("60000"),
    max_project_cost=D("100000"),
    fund=D("100000"),
    campaign_days=60,
    allocation="strict_order",
)
CLOSED = dt.date(2015, 11, 20)


def campaign(pid: str, raised: str, closed_on: dt.date = CLOSED) -> Campaign:
    return Campaign(pid, D(raised), 120, closed_on)


def candidates(*budgets: str) -> list[Candidate]:
    return [Candidate(f"P{n}", n, D(b)) for n, b in enumerate(budgets, start=1)]


def by_id(result):  # type: ignore[no-untyped-def]
    return {p.proposal: p for p in result.projects}


def test_2015_reservations_stop_at_the_first_project_that_does_not_fit() -> None:
    # Reserves min(50.000, 50 % of B): 50.000 + 40.000 + 45.000 = 135.000; P4 needs 30.000 > 15.000 left.
    result = allocate(EDITION_2015, candidates("100000", "80000", "90000", "60000"), {})
    projects = by_id(result)
    assert [projects[p].reserved for p in ("P1", "P2", "P3", "P4")] == [
        D("50000.00"),
        D("40000.00"),
        D("45000.00"),
        D(0),
    ]
    assert [projects[p].status for p in ("P1", "P2", "P3", "P4")] == ["in_campaign"] * 3 + [
        "waiting"
    ]
    assert result.reserved == D("135000.00") and result.remaining == D("15000.00")


def test_2015_a_failed_campaign_releases_its_reserve_to_the_next_in_line() -> None:
    campaigns = {
        "P1": campaign("P1", "50000"),  # α·B = 50.000 reached
        "P2": campaign("P2", "30000"),  # 30.000 < 40.000: failed
        "P3": campaign("P3", "47000"),  # above 45.000
    }
    result = allocate(EDITION_2015, candidates("100000", "80000", "90000", "60000"), campaigns)
    projects = by_id(result)
    assert projects["P2"].status == "failed" and projects["P2"].reserved == D(0)
    # Scorrimento: without P2's 40.000, P4's 30.000 now fits.
    assert projects["P4"].status == "in_campaign" and projects["P4"].reserved == D("30000.00")
    # M = min(K, B − C): P1 100.000 − 50.000 = 50.000; P3 90.000 − 47.000 = 43.000
    # (its crowd's extra 2.000 lowers the city's share: the remaining cost).
    assert (projects["P1"].status, projects["P1"].matched) == ("funded", D("50000.00"))
    assert (projects["P3"].status, projects["P3"].matched) == ("funded", D("43000.00"))
    # What the city holds: the two matches and P4's reserve.
    assert result.matched == D("93000.00") and result.reserved == D("123000.00")


def test_2020_crowd_40_city_60_with_cap_and_skip() -> None:
    budgets = candidates("100000", "90000", "50000")
    strict = allocate(EDITION_2020, budgets, {})
    assert [p.reserved for p in strict.projects] == [D("60000.00"), D(0), D(0)]
    skip = Matchfunding(D("0.40"), D("60000"), D("100000"), 60, D("100000"), "skip")
    projects = by_id(allocate(skip, budgets, {"P1": campaign("P1", "45000")}))
    # P2 needs 54.000 > 40.000 left and is skipped; P3's 30.000 fits.
    assert projects["P2"].status == "waiting" and projects["P3"].reserved == D("30000.00")
    # The crowd raised 45.000, more than its 40 %: the city covers the remaining 55.000.
    assert projects["P1"].matched == D("55000.00") == matched_for(skip, D("100000"), D("45000"))
    assert matched_for(skip, D("80000"), D("50000")) == D("30000.00")  # 80.000 − 50.000


def test_the_campaign_window_and_realisation() -> None:
    start = dt.date(2020, 10, 1)
    late = {"P1": campaign("P1", "45000", dt.date(2020, 12, 15))}
    projects = by_id(allocate(EDITION_2020, candidates("100000"), late, window_start=start))
    assert projects["P1"].status == "failed"  # closed after 60 days
    on_time = {"P1": campaign("P1", "45000", dt.date(2020, 11, 30))}
    projects = by_id(
        allocate(
            EDITION_2020, candidates("100000"), on_time, window_start=start, paid={"P1": D("60000")}
        )
    )
    assert projects["P1"].status == "realised"
    projects = by_id(
        allocate(
            EDITION_2020, candidates("100000"), on_time, window_start=start, paid={"P1": D("30000")}
        )
    )
    assert projects["P1"].status == "funded"


def test_scorrimento_never_takes_back_a_reserve_already_held() -> None:
    # α = 50 %: reserves A 30, B 80, C 50, D 20 from a fund of 100. Skip: A, C
    # and D are reached, B is skipped. A fails: its 30 join the 0 left, still
    # short of B's 80; C, already funded, keeps its 50.
    rule = Matchfunding(D("0.5"), D("1000"), D("100000"), 60, D("100"), "skip")
    pairs = (("A", "60"), ("B", "160"), ("C", "100"), ("D", "40"))
    budgets = [Candidate(p, n, D(b)) for n, (p, b) in enumerate(pairs, start=1)]
    result = by_id(allocate(rule, budgets, {"A": campaign("A", "10"), "C": campaign("C", "50")}))
    assert {p: (r.status, r.reserved) for p, r in result.items()} == {
        "A": ("failed", D(0)),
        "B": ("waiting", D(0)),
        "C": ("funded", D("50.00")),
        "D": ("in_campaign", D("20.00")),
    }
    assert result["C"].matched == D("50.00")


def test_half_a_cent_short_is_short_and_amounts_round_half_up() -> None:
    rule = Matchfunding(D("0.5"), D("50000"), D("100000"), 60, D("100000"), "strict_order")
    # B = 10.000,01: the crowd must raise 5.000,005, the city holds 5.000,01.
    budget = [Candidate("P1", 1, D("10000.01"))]
    assert by_id(allocate(rule, budget, {"P1": campaign("P1", "5000.00")}))["P1"].status == "failed"
    funded = by_id(allocate(rule, budget, {"P1": campaign("P1", "5000.01")}))["P1"]
    # The city holds 5.000,01 until the result; then the remaining cost, 5.000,00.
    assert by_id(allocate(rule, budget, {}))["P1"].reserved == D("5000.01")
    assert (funded.status, funded.reserved, funded.matched) == (
        "funded", D("5000.00"), D("5000.00"),
    )  # fmt: skip


def test_a_campaign_closed_before_the_window_opened_has_failed() -> None:
    start = dt.date(2020, 10, 1)
    early = {"P1": campaign("P1", "45000", dt.date(2020, 9, 30))}
    projects = by_id(allocate(EDITION_2020, candidates("100000"), early, window_start=start))
    assert projects["P1"].status == "failed"
