"""Matchfunding: the city's contribution to projects whose crowd raised enough.

Pure functions on plain values (DESIGN.md, "Matchfunding"; the rule with worked
examples in docs/matchfunding.md). With crowd share α, cap K per project, fund
F, and for each project its cost B_i and requested contribution R_i:

- a project's **reserve** is min(K, R_i, (1−α)·B_i), to the cent;
- its campaign **succeeded** if the crowd raised C_i ≥ α·B_i within the
  campaign window, and then its **match** is M_i = min(K, R_i, B_i − C_i)
  (the city covers the remaining cost), or min(K, R_i, (1−α)·B_i) when the
  call says ``overshoot = "kept"``; it never exceeds the reserve;
- a campaign that closed short or outside the window has **failed**: the
  project leaves the line, whether or not it ever held a reserve;
- the allocation depends only on the ranking and the recorded results, never
  on the order in which they arrived: first every project whose campaign
  succeeded keeps its match (its backers gave on the city's promise), in
  ranking order; then, walking the ranking, every project without a result
  gets its reserve while the fund lasts ("strict_order" stops at the first
  that does not fit, "skip" moves on). Money a failure frees therefore goes
  to the best-ranked project still waiting whose campaign can still run
  (*scorrimento*);
- a funded project whose payments reached M_i is **realised**.

Statuses: ``waiting`` (not reached by the fund), ``in_campaign`` (reserve
held, no result yet), ``funded``, ``failed``, ``realised``. A waiting project
carries a note saying why: ``fund_exhausted`` (what is left of the fund cannot
hold its reserve, or its match when its campaign already succeeded) or
``line_stopped`` (under ``strict_order``, a better-ranked project did not fit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.models.rules import Matchfunding

CENT = Decimal("0.01")
WAITING, IN_CAMPAIGN, FUNDED, FAILED, REALISED = (
    "waiting", "in_campaign", "funded", "failed", "realised",
)  # fmt: skip
FUND_EXHAUSTED, LINE_STOPPED = "fund_exhausted", "line_stopped"


@dataclass(frozen=True)
class Candidate:
    """A ranked project, in ranking order, with its cost B_i and requested
    contribution R_i (None: only K and (1−α)·B_i bound what it may get)."""

    proposal: str
    rank: int
    budget: Decimal
    requested: Decimal | None = None


@dataclass(frozen=True)
class Campaign:
    proposal: str
    raised: Decimal
    backers: int
    closed_on: dt.date


@dataclass(frozen=True)
class ProjectFunding:
    proposal: str
    rank: int
    budget: Decimal
    reserved: Decimal
    raised: Decimal | None
    status: str
    matched: Decimal
    note: str | None = None  # why a waiting project waits


@dataclass(frozen=True)
class FundingResult:
    projects: tuple[ProjectFunding, ...]
    reserved: Decimal
    matched: Decimal
    remaining: Decimal


def cents(value: Decimal) -> Decimal:
    """An amount to the cent, ROUND_HALF_UP."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def reserve_for(rule: Matchfunding, budget: Decimal, requested: Decimal | None = None) -> Decimal:
    """What the city holds for a project: min(K, R, (1−α)·B), to the cent."""
    held = min(rule.cap, cents((1 - rule.crowd_share) * budget))
    return held if requested is None else min(held, cents(requested))


def crowd_target(rule: Matchfunding, budget: Decimal) -> Decimal:
    """What the crowd must raise: α·B, exact (not rounded: half a cent short is short)."""
    return rule.crowd_share * budget


def matched_for(
    rule: Matchfunding, budget: Decimal, raised: Decimal, requested: Decimal | None = None
) -> Decimal:
    """The city's contribution to a funded project, to the cent: by default
    min(K, R, B − C), the remaining cost (never below 0); with ``overshoot =
    "kept"``, min(K, R, (1−α)·B), the reserve. Never more than the reserve."""
    reserve = reserve_for(rule, budget, requested)
    if rule.overshoot == "kept":
        return reserve
    return min(reserve, max(Decimal(0), cents(budget - raised)))


def campaign_succeeded(
    rule: Matchfunding, budget: Decimal, campaign: Campaign, window_start: dt.date | None
) -> bool:
    """The crowd reached α·B, and the campaign closed within the window."""
    if campaign.raised < crowd_target(rule, budget):
        return False
    if window_start is None:
        return True
    end = window_start + dt.timedelta(days=rule.campaign_days)
    return window_start <= campaign.closed_on <= end


def _held(
    rule: Matchfunding,
    candidates: Sequence[Candidate],
    outcome: Mapping[str, bool],
    raised: Mapping[str, Decimal],
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """What the city holds per project: first the matches of the projects whose
    campaign succeeded, in ranking order; then the reserves of the projects
    without a result, walking the ranking while the fund lasts. With it, why
    each project left without money waits."""
    remaining = rule.fund
    held: dict[str, Decimal] = {}
    notes: dict[str, str] = {}
    for candidate in candidates:
        if outcome.get(candidate.proposal) is True:
            match = matched_for(
                rule, candidate.budget, raised[candidate.proposal], candidate.requested
            )
            if match <= remaining:
                held[candidate.proposal] = match
                remaining -= match
            else:
                notes[candidate.proposal] = FUND_EXHAUSTED
    stopped = False
    for candidate in candidates:
        if candidate.proposal in outcome:
            continue  # failed: out of the line; succeeded: served above
        if stopped:
            notes[candidate.proposal] = LINE_STOPPED
            continue
        need = reserve_for(rule, candidate.budget, candidate.requested)
        if need <= remaining:
            held[candidate.proposal] = need
            remaining -= need
        else:
            notes[candidate.proposal] = FUND_EXHAUSTED
            stopped = rule.allocation == "strict_order"
    return held, notes


def allocate(
    rule: Matchfunding,
    candidates: Sequence[Candidate],
    campaigns: Mapping[str, Campaign],
    *,
    window_start: dt.date | None = None,
    paid: Mapping[str, Decimal] | None = None,
) -> FundingResult:
    """Reserves, campaign outcomes with scorrimento, and contributions."""
    paid = paid or {}
    ranked = {c.proposal: c for c in candidates}
    outcome = {
        pid: campaign_succeeded(rule, ranked[pid].budget, campaign, window_start)
        for pid, campaign in campaigns.items()
        if pid in ranked
    }
    held, notes = _held(rule, candidates, outcome, {pid: c.raised for pid, c in campaigns.items()})
    projects = []
    for candidate in candidates:
        pid = candidate.proposal
        raised = campaigns[pid].raised if pid in campaigns else None
        amount = held.get(pid, Decimal(0))
        if outcome.get(pid) is False:
            status, amount = FAILED, Decimal(0)
        elif pid not in held:
            status = WAITING
        elif pid not in outcome:
            status = IN_CAMPAIGN
        else:
            # A match of 0 (the crowd covered the whole cost) has nothing to pay.
            done = amount > 0 and paid.get(pid, Decimal(0)) >= amount
            status = REALISED if done else FUNDED
        matched = amount if status in (FUNDED, REALISED) else Decimal(0)
        note = notes.get(pid) if status == WAITING else None
        projects.append(
            ProjectFunding(
                pid, candidate.rank, candidate.budget, amount, raised, status, matched, note
            )
        )
    total_reserved = sum((p.reserved for p in projects), Decimal(0))
    total_matched = sum((p.matched for p in projects), Decimal(0))
    return FundingResult(tuple(projects), total_reserved, total_matched, rule.fund - total_reserved)
