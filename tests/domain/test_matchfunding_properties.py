"""Properties of the money that must hold on every call (Hypothesis).

- the match never exceeds the request, the cap or, under the default rule,
  the remaining cost B − C;
- the city never holds more than the fund;
- money goes to the best-ranked project still waiting whose campaign can
  still run: every such project left waiting did not fit in what was left
  once the funded projects and the better-ranked reserves were served;
- the outcome depends on the results, not on the order they are listed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.rules import Matchfunding
from app.scoring.matchfunding import Campaign, Candidate, allocate

CENT = Decimal("0.01")
CLOSED = dt.date(2021, 3, 31)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@st.composite
def calls(draw: Any) -> tuple[Matchfunding, list[Candidate], dict[str, Campaign]]:
    share = draw(st.sampled_from(["0.35", "0.4", "0.5", "0.6"]))
    rule = Matchfunding(
        crowd_share=Decimal(share),
        cap=Decimal(draw(st.integers(5, 80)) * 1000),
        max_project_cost=Decimal("200000"),
        campaign_days=60,
        fund=Decimal(draw(st.integers(1, 300)) * 1000),
        allocation=draw(st.sampled_from(["strict_order", "skip"])),
        overshoot=draw(st.sampled_from(["remaining", "kept"])),
    )
    count = draw(st.integers(1, 9))
    candidates = []
    campaigns = {}
    for n in range(1, count + 1):
        pid = f"P{n:02d}"
        budget = Decimal(draw(st.integers(100_000, 20_000_000))) / 100
        ceiling = cents((1 - rule.crowd_share) * budget)
        requested = draw(
            st.one_of(st.none(), st.integers(1, int(ceiling * 100)).map(lambda c: Decimal(c) / 100))
        )
        candidates.append(Candidate(pid, n, budget, requested))
        outcome = draw(st.sampled_from(["none", "failed", "exact", "more", "all"]))
        target = rule.crowd_share * budget
        if outcome == "failed":
            raised = Decimal(draw(st.integers(0, max(0, int(target * 100) - 1)))) / 100
        elif outcome == "exact":
            raised = target.quantize(CENT, rounding="ROUND_CEILING")
        elif outcome == "more":
            raised = cents(target + Decimal(draw(st.integers(1, 5_000_000))) / 100)
        elif outcome == "all":
            raised = budget
        if outcome != "none":
            campaigns[pid] = Campaign(pid, raised, 10, CLOSED)
    return rule, candidates, campaigns


def need(rule: Matchfunding, c: Candidate) -> Decimal:
    """min(K, R, (1−α)·B) to the cent, from the docs."""
    share = cents((1 - rule.crowd_share) * c.budget)
    return min([rule.cap, share] + ([cents(c.requested)] if c.requested is not None else []))


@settings(max_examples=400, deadline=None)
@given(calls())
def test_the_money_obeys_the_call(call: Any) -> None:
    rule, candidates, campaigns = call
    result = allocate(rule, candidates, campaigns)
    by_id = {c.proposal: c for c in candidates}
    projects = {p.proposal: p for p in result.projects}
    # The city never holds more than the fund.
    assert sum(p.reserved for p in result.projects) == result.reserved <= rule.fund
    assert result.remaining >= 0
    for p in result.projects:
        c = by_id[p.proposal]
        assert 0 <= p.matched <= p.reserved <= need(rule, c)
        assert p.matched <= rule.cap
        if c.requested is not None:
            assert p.matched <= c.requested
        if p.status in ("funded", "realised") and rule.overshoot == "remaining":
            assert p.matched <= max(Decimal(0), c.budget - campaigns[p.proposal].raised)
        if p.status == "failed":
            assert p.reserved == 0
    # Money goes to the best-ranked project still waiting whose campaign can run.
    funded = sum((p.reserved for p in result.projects if p.status == "funded"), Decimal(0))
    held_above = Decimal(0)
    waiting_seen = False
    for c in candidates:
        p = projects[c.proposal]
        if c.proposal in campaigns:
            continue
        if p.status == "waiting":
            # It did not fit (strict order: the first one did not, and the walk stopped).
            if rule.allocation == "skip" or not waiting_seen:
                assert need(rule, c) > rule.fund - funded - held_above, c.proposal
            waiting_seen = True
        else:
            assert p.status == "in_campaign" and p.reserved == need(rule, c)
            # Strict order: nobody behind a project left waiting is reached.
            assert not (rule.allocation == "strict_order" and waiting_seen)
            held_above += p.reserved


@settings(max_examples=150, deadline=None)
@given(calls(), st.randoms(use_true_random=False))
def test_the_order_results_are_listed_in_does_not_matter(call: Any, random: Any) -> None:
    rule, candidates, campaigns = call
    shuffled = list(campaigns.items())
    random.shuffle(shuffled)
    assert allocate(rule, candidates, campaigns) == allocate(rule, candidates, dict(shuffled))
