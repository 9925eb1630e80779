"""Consolidation of the commission's scores into the graduatoria (ranking).

Pure functions on plain values, implementing DESIGN.md "Evaluation rules":

- **Coefficient method** ("metodo aggregativo compensatore"): each member
  gives c_ijk in [0, 1]; C̄_ik is their mean over the evaluators J_ik;
  P_ik = W_k · C̄_ik; S_i = Σ_k P_ik. **Points method**: P_ik is the mean of
  the members' points.
- A conflicted member's values never enter any figure; a missing value is
  never counted as 0 (the mean runs over the members who gave it).
- **Quorum**: each criterion of a proposal needs at least the call's number
  of evaluators, otherwise the proposal is not ranked (``no_quorum``).
- **Publication rounding** (:mod:`app.scoring.rounding`): each P_ik is
  rounded ROUND_HALF_UP to the call's decimals, and S_i is either the sum of
  the unrounded P_ik, rounded (the default), or the sum of the rounded P_ik
  (``rounding = "sum_of_rounded"``); thresholds, the
  ranking and tie-breaks compare these published values. Until then every
  figure is an exact fraction: a mean such as 0.35/6 has no exact decimal,
  and 28 digits of it can turn an exact …5 into …4999 before rounding.
- **Thresholds before re-scaling**: a criterion below its floor
  (``below_criterion_floor``) or a total below the threshold
  (``below_threshold``) excludes the proposal; only then, if the call says
  so, **riparametrazione** per criterion (P'_ik = W_k · P_ik / max_i P_ik),
  on the total (S'_i = S_max · S_i / max_i S_i), or both in that order, over
  the admitted proposals (:mod:`app.scoring.rescaling`).
- **Ties** (:mod:`app.scoring.ties`): the call's cascade (a criterion key:
  higher points first; ``lower_request``: lower requested contribution
  first; ``submission_order``: earlier submission first), then always the
  **verifiable lottery**, whether or not the call names it last; with
  ``ties = "ex_aequo"``, only for ties that cross the funding line.
- **Dispersion**: max − min of the members' values on a criterion at or
  above the call's flag marks it for discussion; flags never change a score.
- **Sub-criteria**: members score a divided criterion's sub-criteria; each
  is computed as a criterion (quorum, points, dispersion, floor) and the
  criterion is their sum (:mod:`app.scoring.subcriteria`).
- **Collegial scores** (``method = "collegial"``): the quorum and the flags
  still come from the members' own values, but P_ik = W_k · the coefficient
  the commission agreed (``agreed``), per criterion; a proposal lacking an
  agreed value on some criterion is not ranked yet (``collegial_pending``).

The result is the same whatever order the inputs come in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from app.models.rules import Grid, Matchfunding
from app.scoring import subcriteria
from app.scoring.rescaling import rescaled
from app.scoring.rounding import publish, published
from app.scoring.ties import (
    Entry,
    Lottery,
    SubmissionOrderMissingError,
    lottery_seed,
    missing_submission_order,
    order,
    shuffle,
)

__all__ = ["Lottery", "lottery_seed", "publish", "rank", "shuffle"]

BELOW_THRESHOLD = "below_threshold"
BELOW_CRITERION_FLOOR = "below_criterion_floor"
NO_QUORUM = "no_quorum"
COLLEGIAL_PENDING = "collegial_pending"
INADMISSIBLE = "inadmissible"


@dataclass(frozen=True)
class ProposalInput:
    id: str
    admissible: bool
    requested_contribution: Decimal
    # For the funding line of ``ties = "ex_aequo"`` and ``submission_order``.
    total_cost: Decimal = Decimal(0)
    protocol: int | None = None
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Evaluation:
    """One member's sheet for one proposal, as the member's latest bundle gave it."""

    member: str
    proposal: str
    conflicted: bool
    values: Mapping[str, Decimal]


@dataclass(frozen=True)
class RankedProposal:
    rank: int
    proposal: str
    total: Decimal
    criteria: dict[str, Decimal]
    evaluators: int
    flags: tuple[str, ...]
    decided_by: str = ""  # the tie-break level that settled its place, if any
    # ("ex_aequo": shares its rank; "pending": provisional rank shared until the lottery)


@dataclass(frozen=True)
class Excluded:
    proposal: str
    reason: str
    total: Decimal | None = None
    criteria: dict[str, Decimal] = field(default_factory=dict)
    evaluators: int = 0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankingResult:
    ranking: tuple[RankedProposal, ...]
    excluded: tuple[Excluded, ...]
    lotteries: tuple[Lottery, ...]
    pending_lottery: tuple[tuple[str, ...], ...]  # tied groups waiting for a drawn number

    @property
    def complete(self) -> bool:
        """False while a tie waits for the lottery."""
        return not self.pending_lottery


@dataclass
class _Scored:
    proposal: ProposalInput
    means: dict[str, Fraction]  # unrounded P_ik, exact
    evaluators: int
    flags: tuple[str, ...]
    parts: dict[str, Fraction] = field(default_factory=dict)  # sub-criteria's points


def _score(
    grid: Grid,
    proposal: ProposalInput,
    evaluations: list[Evaluation],
    agreed: Mapping[str, Decimal] | None = None,
) -> _Scored | Excluded:
    valid = [e for e in evaluations if not e.conflicted and e.values]
    flags: list[str] = []
    means: dict[str, Fraction] = {}
    short = False
    for criterion in grid.leaves:
        given = [e.values[criterion.key] for e in valid if criterion.key in e.values]
        if len(given) < grid.min_evaluators or not given:
            short = True
            continue
        mean = Fraction(sum(given, Decimal(0))) / len(given)
        means[criterion.key] = grid.scoring.points(criterion, mean)
        if max(given) - min(given) >= grid.dispersion_flag:
            flags.append(criterion.key)
    evaluators = len(valid)
    if short:
        return Excluded(proposal.id, NO_QUORUM, evaluators=evaluators, flags=tuple(flags))
    if grid.scoring.collegial:
        agreed = agreed or {}
        if any(c.key not in agreed for c in grid.criteria):
            return Excluded(
                proposal.id, COLLEGIAL_PENDING, evaluators=evaluators, flags=tuple(flags)
            )
        points = {c.key: grid.scoring.points(c, Fraction(agreed[c.key])) for c in grid.criteria}
        return _Scored(proposal, points, evaluators, tuple(flags))
    return _Scored(
        proposal,
        subcriteria.criterion_points(grid, means),
        evaluators,
        tuple(flags),
        subcriteria.subcriterion_points(grid, means),
    )


def rank(
    grid: Grid,
    call_id: str,
    proposals: Iterable[ProposalInput],
    evaluations: Iterable[Evaluation],
    lottery_number: str | None = None,
    *,
    matchfunding: Matchfunding | None = None,
    agreed: Mapping[str, Mapping[str, Decimal]] | None = None,
    each: Callable[[int, int], None] | None = None,
) -> RankingResult:
    """The graduatoria of ``proposals`` from the commission's ``evaluations``
    (and, under the collegial method, the ``agreed`` coefficients: proposal
    id -> criterion key -> value).

    ``matchfunding`` gives the funding line that ``ties = "ex_aequo"`` needs
    (see :mod:`app.scoring.ties`); :class:`SubmissionOrderMissingError` if
    the cascade names ``submission_order`` and a ranked proposal lacks it.
    ``each(index, total)`` is called before each proposal is scored (a long
    step's progress; it may raise to stop the ranking there).
    """
    by_proposal: dict[str, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_proposal.setdefault(evaluation.proposal, []).append(evaluation)
    excluded: list[Excluded] = []
    admitted: list[_Scored] = []
    ordered = sorted(proposals, key=lambda p: p.id)
    for index, proposal in enumerate(ordered, start=1):
        if each is not None:
            each(index, len(ordered))
        if not proposal.admissible:
            excluded.append(Excluded(proposal.id, INADMISSIBLE))
            continue
        scored = _score(
            grid,
            proposal,
            sorted(by_proposal.get(proposal.id, []), key=lambda e: e.member),
            (agreed or {}).get(proposal.id),
        )
        if isinstance(scored, Excluded):
            excluded.append(scored)
            continue
        total, criteria = published(grid, scored.means)
        criteria.update(published(grid, scored.parts)[1])
        if subcriteria.below_floor(grid, criteria):
            excluded.append(
                Excluded(
                    proposal.id,
                    BELOW_CRITERION_FLOOR,
                    total,
                    criteria,
                    scored.evaluators,
                    scored.flags,
                )
            )
        elif total < grid.threshold:
            excluded.append(
                Excluded(
                    proposal.id, BELOW_THRESHOLD, total, criteria, scored.evaluators, scored.flags
                )
            )
        else:
            admitted.append(scored)
    points = rescaled(grid, {s.proposal.id: s.means for s in admitted})
    entries = []
    for scored in admitted:
        total, criteria = published(grid, points[scored.proposal.id])
        parts = subcriteria.rescaled_parts(
            grid, scored.parts, scored.means, points[scored.proposal.id]
        )
        criteria.update(published(grid, parts)[1])
        entries.append(Entry(scored.proposal, total, criteria))
    missing = missing_submission_order(grid, entries)
    if missing:
        raise SubmissionOrderMissingError(missing)
    places, lotteries, pending = order(grid, call_id, entries, lottery_number, matchfunding)
    info = {s.proposal.id: s for s in admitted}
    figures = {e.proposal.id: e for e in entries}
    ranking = tuple(
        RankedProposal(
            rank=place.rank,
            proposal=place.proposal,
            total=figures[place.proposal].total,
            criteria=figures[place.proposal].criteria,
            evaluators=info[place.proposal].evaluators,
            flags=info[place.proposal].flags,
            decided_by=place.decided_by,
        )
        for place in places
    )
    return RankingResult(ranking, tuple(excluded), tuple(lotteries), tuple(pending))
