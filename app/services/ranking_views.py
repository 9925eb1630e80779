"""The ranking and matchfunding views, for the screens (which may import
services but not :mod:`app.scoring`). Importable without SQLAlchemy."""

from __future__ import annotations

from app.scoring.views import (
    EXCLUSION_REASONS,
    LOTTERY_NUMBER,
    BundleRef,
    CriterionSpread,
    ExcludedRow,
    FundingRecordView,
    FundingTotals,
    FundingView,
    LotteryView,
    MemberEvaluation,
    ProjectFundingView,
    ProposalDrillDown,
    RankedRow,
    RankingView,
)

__all__ = [
    "EXCLUSION_REASONS",
    "LOTTERY_NUMBER",
    "BundleRef",
    "CriterionSpread",
    "ExcludedRow",
    "FundingRecordView",
    "FundingTotals",
    "FundingView",
    "LotteryView",
    "MemberEvaluation",
    "ProjectFundingView",
    "ProposalDrillDown",
    "RankedRow",
    "RankingView",
]
