"""The plain values of the ranking and of the matchfunding, for screens,
the CLI, the exports and the minutes (which take them from here, never from
the database). The screens import them through
:mod:`app.services.ranking_views`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from app.models.rules import Criterion, Grid, Matchfunding
from app.scoring.college import CollegeRecord
from app.scoring.collegial import CollegialDecision

# What a publicly drawn lottery number may look like: digits, or several
# numbers separated by '-' (a draw of the Lotto: 12-45-78).
LOTTERY_NUMBER = re.compile(r"[0-9]{1,12}(-[0-9]{1,12}){0,7}\Z")

# Why a proposal is not in the ranking (DESIGN.md, CLI contract).
EXCLUSION_REASONS = (
    "below_threshold", "below_criterion_floor", "no_quorum", "inadmissible", "collegial_pending",
)  # fmt: skip


@dataclass(frozen=True)
class RankedRow:
    rank: int
    proposal: str
    title: str
    applicant: str
    total: Decimal
    criteria: dict[str, Decimal]  # published points per criterion key
    evaluators: int
    flags: tuple[str, ...]  # criterion keys flagged for dispersion
    decided_by: str  # "" or the tie-break level that settled the place
    total_cost: Decimal
    requested_contribution: Decimal


@dataclass(frozen=True)
class ExcludedRow:
    proposal: str
    title: str
    applicant: str
    reason: str  # one of EXCLUSION_REASONS
    total: Decimal | None
    criteria: dict[str, Decimal]
    evaluators: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class LotteryView:
    number: str
    tied: tuple[str, ...]
    seed: str
    order: tuple[str, ...]


@dataclass(frozen=True)
class BundleRef:
    """A score bundle the city office accepted: the minutes' annex."""

    member: str
    fingerprint: str
    sequence: int
    payload_hash: str
    sealed_sha256: str
    received_at: dt.datetime | None


@dataclass(frozen=True)
class RankingView:
    """The consolidated ranking of a call, live or as approved."""

    call_id: str
    call_title: str
    grid: Grid
    rows: tuple[RankedRow, ...]
    excluded: tuple[ExcludedRow, ...]
    lotteries: tuple[LotteryView, ...]
    pending_lottery: tuple[tuple[str, ...], ...]
    lottery_number: str | None
    bundles: tuple[BundleRef, ...]
    members_without_bundle: tuple[str, ...]
    approved_at: dt.datetime | None = None
    document_sha256: str | None = None
    # The college at approval (None in documents frozen before substitutes).
    college: CollegeRecord | None = None
    # The commission's agreed scores (method "collegial"), frozen with the ranking.
    collegial: tuple[CollegialDecision, ...] = ()

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The grid's criteria, in the call's order (the ranking's columns)."""
        return self.grid.criteria

    @property
    def waiting_for_lottery(self) -> bool:
        return bool(self.pending_lottery)


@dataclass(frozen=True)
class MemberEvaluation:
    """One member's sheet for a proposal, as the member's latest bundle gave it."""

    member: str
    fingerprint: str
    declared: bool
    conflicted: bool
    conflict_category: str | None
    conflict_reason: str
    values: dict[str, Decimal]  # criterion key -> coefficient or points given
    motivations: dict[str, str]


@dataclass(frozen=True)
class CriterionSpread:
    key: str
    title: str
    points: Decimal | None  # published points, None without quorum
    lowest: Decimal | None
    highest: Decimal | None
    evaluators: int
    flagged: bool
    # False for a criterion members score through its sub-criteria.
    scored: bool = True

    @property
    def spread(self) -> Decimal | None:
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest


@dataclass(frozen=True)
class ProposalDrillDown:
    """Everything behind one line of the ranking."""

    call_id: str
    proposal: str
    title: str
    applicant: str
    rank: int | None
    reason: str | None  # the exclusion reason, None when ranked
    total: Decimal | None
    criteria: tuple[CriterionSpread, ...]
    evaluations: tuple[MemberEvaluation, ...]


@dataclass(frozen=True)
class ProjectFundingView:
    proposal: str
    title: str
    rank: int
    budget: Decimal
    reserved: Decimal
    raised: Decimal | None
    backers: int | None
    closed_on: dt.date | None
    status: str  # waiting, in_campaign, funded, failed, realised
    matched: Decimal
    committed: Decimal  # giuridicamente vincolante
    paid: Decimal  # erogato
    # Why a waiting project waits: fund_exhausted or line_stopped (None otherwise).
    note: str | None = None


@dataclass(frozen=True)
class FundingRecordView:
    id: int
    proposal: str
    stage: str  # giuridicamente_vincolante or erogato
    amount: Decimal
    on_date: dt.date
    document: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class FundingTotals:
    reserved: Decimal
    matched: Decimal
    programmato: Decimal
    ammesso: Decimal
    giuridicamente_vincolante: Decimal
    erogato: Decimal


@dataclass(frozen=True)
class FundingView:
    call_id: str
    rule: Matchfunding
    window_start: dt.date | None
    window_end: dt.date | None
    projects: tuple[ProjectFundingView, ...]
    records: tuple[FundingRecordView, ...]
    totals: FundingTotals
    remaining: Decimal
