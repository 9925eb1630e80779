"""Why a ranked project waits for the city's money (issue 15, finding 9: a
campaign that raised its share stayed *in attesa* with no word that the fund
was exhausted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from app.labels import funding_status_text
from app.models.rules import Matchfunding
from app.scoring.matchfunding import Campaign, Candidate, allocate

CLOSED = dt.date(2021, 3, 31)


def rule(allocation: str) -> Matchfunding:
    return Matchfunding(
        crowd_share=D("0.40"),
        cap=D("60000"),
        max_project_cost=D("100000"),
        fund=D("100000"),
        campaign_days=60,
        allocation=allocation,
    )


def candidates(*budgets: str) -> list[Candidate]:
    return [Candidate(f"P{n}", n, D(b)) for n, b in enumerate(budgets, start=1)]


def test_a_campaign_that_raised_its_share_waits_because_the_fund_is_exhausted() -> None:
    # Both crowds raised 40 % of 100.000: each match is 60.000, the fund 100.000.
    campaigns = {pid: Campaign(pid, D("40000"), 300, CLOSED) for pid in ("P1", "P2")}
    result = allocate(rule("skip"), candidates("100000", "100000"), campaigns)
    first, second = result.projects
    assert (first.status, first.note) == ("funded", None)
    assert (second.status, second.raised, second.note) == ("waiting", D("40000"), "fund_exhausted")
    assert funding_status_text(second.status, second.note) == "in attesa: fondo esaurito"
    assert funding_status_text(first.status, first.note) == "finanziato"


def test_under_strict_order_the_projects_behind_wait_for_the_line() -> None:
    # Reserves 60.000 + 60.000 > 100.000: P2 does not fit, P3 (12.000) waits behind it.
    result = allocate(rule("strict_order"), candidates("100000", "100000", "20000"), {})
    notes = [(p.status, p.note) for p in result.projects]
    assert notes == [
        ("in_campaign", None),
        ("waiting", "fund_exhausted"),
        ("waiting", "line_stopped"),
    ]
    assert funding_status_text("waiting", "line_stopped") == ("in attesa: in coda")


def test_skip_lets_a_smaller_project_in_and_says_nothing_of_it() -> None:
    result = allocate(rule("skip"), candidates("100000", "100000", "20000"), {})
    assert [(p.status, p.note) for p in result.projects] == [
        ("in_campaign", None),
        ("waiting", "fund_exhausted"),
        ("in_campaign", None),
    ]
