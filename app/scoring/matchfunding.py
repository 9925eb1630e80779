"""Matchfunding: the city's contribution to projects whose crowd raised enough.

Pure functions on plain values (DESIGN.md, "Matchfunding"). With crowd share
α, cap K per project, fund F:

- walking the ranking, the city **reserves** min(K, (1−α)·B_i) for each
  project while the fund lasts; under ``strict_order`` the walk stops at the
  first project that does not fit, under ``skip`` it moves on;
- a project whose crowd raised C_i ≥ α·B_i within the campaign window is
  **funded** and gets M_i = min(K, B_i − min(C_i, α·B_i));
- a campaign that closed short (or outside the window) has **failed**: its
  reserve is released and the walk goes on with the money freed, so the next
  projects in line may now be reached (*scorrimento*); a reserve already held
  by a project that has not failed is never taken back;
- a funded project whose payments reached M_i is **realised**.

Statuses: ``waiting`` (not reached by the fund, or not yet), ``in_campaign``
(reserve held, no result yet), ``funded``, ``failed``, ``realised``.
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


@dataclass(frozen=True)
class Candidate:
    """A ranked project, in ranking order, with its budget B_i."""

    proposal: str
    rank: int
    budget: Decimal


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


@dataclass(frozen=True)
class FundingResult:
    projects: tuple[ProjectFunding, ...]
    reserved: Decimal
    matched: Decimal
    remaining: Decimal


def cents(value: Decimal) -> Decimal:
    """An amount to the cent, ROUND_HALF_UP."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def reserve_for(rule: Matchfunding, budget: Decimal) -> Decimal:
    """What the city holds for a project: min(K, (1−α)·B), to the cent."""
    return min(rule.cap, cents((1 - rule.crowd_share) * budget))


def crowd_target(rule: Matchfunding, budget: Decimal) -> Decimal:
    """What the crowd must raise: α·B, exact (not rounded: half a cent short is short)."""
    return rule.crowd_share * budget


def matched_for(rule: Matchfunding, budget: Decimal, raised: Decimal) -> Decimal:
    """The city's contribution to a funded project: min(K, B − min(C, α·B)), to the
    cent; with C ≥ α·B it is exactly the reserve."""
    return min(rule.cap, cents(budget - min(raised, crowd_target(rule, budget))))


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


def _walk(
    rule: Matchfunding,
    candidates: Sequence[Candidate],
    failed: set[str],
    held: dict[str, Decimal],
) -> dict[str, Decimal]:
    """Keep the reserves ``held``, then reserve for the next projects in line
    with what is left of the fund."""
    remaining = rule.fund - sum(held.values(), Decimal(0))
    reserved = dict(held)
    for candidate in candidates:
        if candidate.proposal in failed or candidate.proposal in reserved:
            continue
        need = reserve_for(rule, candidate.budget)
        if need <= remaining:
            reserved[candidate.proposal] = need
            remaining -= need
        elif rule.allocation == "strict_order":
            break
    return reserved


def allocate(
    rule: Matchfunding,
    candidates: Sequence[Candidate],
    campaigns: Mapping[str, Campaign],
    *,
    window_start: dt.date | None = None,
    paid: Mapping[str, Decimal] | None = None,
) -> FundingResult:
    """Reservations, campaign outcomes with scorrimento, and contributions."""
    paid = paid or {}
    by_id = {c.proposal: c for c in candidates}
    failed: set[str] = set()
    held: dict[str, Decimal] = {}
    while True:
        reserved = _walk(rule, candidates, failed, held)
        newly = {
            pid
            for pid in reserved
            if pid in campaigns
            and not campaign_succeeded(rule, by_id[pid].budget, campaigns[pid], window_start)
        }
        if newly <= failed:
            break
        failed |= newly
        held = {pid: amount for pid, amount in reserved.items() if pid not in failed}
    # A failed campaign stays failed even if a later walk would not reach it.
    failed |= {
        pid
        for pid, campaign in campaigns.items()
        if pid in by_id and not campaign_succeeded(rule, by_id[pid].budget, campaign, window_start)
    }
    projects = []
    for candidate in candidates:
        pid = candidate.proposal
        campaign = campaigns.get(pid)
        raised = campaign.raised if campaign else None
        if pid in failed:
            projects.append(
                ProjectFunding(
                    pid, candidate.rank, candidate.budget, Decimal(0), raised, FAILED, Decimal(0)
                )
            )
            continue
        if pid not in reserved:
            projects.append(
                ProjectFunding(
                    pid, candidate.rank, candidate.budget, Decimal(0), raised, WAITING, Decimal(0)
                )
            )
            continue
        if campaign is None:
            projects.append(
                ProjectFunding(
                    pid,
                    candidate.rank,
                    candidate.budget,
                    reserved[pid],
                    None,
                    IN_CAMPAIGN,
                    Decimal(0),
                )
            )
            continue
        matched = matched_for(rule, candidate.budget, campaign.raised)
        status = REALISED if paid.get(pid, Decimal(0)) >= matched else FUNDED
        projects.append(
            ProjectFunding(
                pid, candidate.rank, candidate.budget, reserved[pid], raised, status, matched
            )
        )
    total_reserved = sum((p.reserved for p in projects), Decimal(0))
    total_matched = sum((p.matched for p in projects), Decimal(0))
    return FundingResult(tuple(projects), total_reserved, total_matched, rule.fund - total_reserved)
