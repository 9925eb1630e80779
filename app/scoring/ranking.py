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
- **Publication rounding**: each P_ik and each S_i (the sum of the unrounded
  P_ik) is rounded ROUND_HALF_UP to the call's decimals; thresholds, the
  ranking and tie-breaks compare these published values. Until then every
  figure is an exact fraction: a mean such as 0.35/6 has no exact decimal,
  and 28 digits of it can turn an exact …5 into …4999 before rounding.
- **Thresholds before re-scaling**: a criterion below its floor
  (``below_criterion_floor``) or a total below the threshold
  (``below_threshold``) excludes the proposal; only then, if the call says
  so, **riparametrazione** per criterion (P'_ik = W_k · P_ik / max_i P_ik) or
  on the total (S'_i = S_max · S_i / max_i S_i) over the admitted proposals.
- **Ties**: the call's cascade (a criterion key: higher points first;
  ``lower_request``: lower requested contribution first), then always the
  **verifiable lottery** (see :func:`lottery_seed` and :func:`shuffle`),
  whether or not the call names it last.
- **Dispersion**: max − min of the members' values on a criterion at or
  above the call's flag marks it for discussion; flags never change a score.
- **Collegial scores** (``method = "collegial"``): the quorum and the flags
  still come from the members' own values, but P_ik = W_k · the coefficient
  the commission agreed (``agreed``); a proposal lacking an agreed value on
  some criterion is not ranked yet (``collegial_pending``).

The result is the same whatever order the inputs come in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import groupby

from app.models.rules import LOWER_REQUEST, Grid

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


@dataclass(frozen=True)
class Evaluation:
    """One member's sheet for one proposal, as the member's latest bundle gave it."""

    member: str
    proposal: str
    conflicted: bool
    values: Mapping[str, Decimal]


@dataclass(frozen=True)
class Lottery:
    """A lottery drawn among tied proposals: everything needed to check it."""

    number: str
    tied: tuple[str, ...]  # sorted ids
    seed: str  # hex SHA-256
    order: tuple[str, ...]  # the drawn order


@dataclass(frozen=True)
class RankedProposal:
    rank: int
    proposal: str
    total: Decimal
    criteria: dict[str, Decimal]
    evaluators: int
    flags: tuple[str, ...]
    decided_by: str = ""  # the tie-break level that settled its place, if any


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


def publish(value: Decimal | Fraction, decimals: int) -> Decimal:
    """Round for publication: ROUND_HALF_UP to the call's decimals (exactly,
    from a fraction as from a decimal)."""
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Decimal):
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    scaled = abs(value) * 10**decimals
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return (Decimal(-units if value < 0 else units) * quantum).quantize(quantum)


def lottery_seed(call_id: str, number: str, tied: Iterable[str]) -> str:
    """SHA-256(call id ‖ publicly drawn number ‖ sorted tied ids), in hex.

    The parts are UTF-8 and separated by a newline: ``call_id \\n number \\n
    id1,id2,…`` with the ids sorted as strings.
    """
    text = f"{call_id}\n{number}\n{','.join(sorted(tied))}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _uniform(seed: bytes, counter: int, bound: int) -> tuple[int, int]:
    """An integer uniform in [0, bound) from SHA-256(seed ‖ counter), by rejection."""
    limit = (2**256 // bound) * bound
    while True:
        value = int.from_bytes(hashlib.sha256(seed + counter.to_bytes(8, "big")).digest(), "big")
        counter += 1
        if value < limit:
            return value % bound, counter


def shuffle(seed_hex: str, items: Sequence[str]) -> tuple[str, ...]:
    """Fisher–Yates shuffle of ``items`` (sorted first) driven by the seed.

    For i from n−1 down to 1, j = U(0..i) from SHA-256(seed ‖ counter) with a
    64-bit big-endian counter starting at 0 (rejection sampling), then swap.
    """
    order = sorted(items)
    seed = bytes.fromhex(seed_hex)
    counter = 0
    for i in range(len(order) - 1, 0, -1):
        j, counter = _uniform(seed, counter, i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


@dataclass
class _Scored:
    proposal: ProposalInput
    means: dict[str, Fraction]  # unrounded P_ik, exact
    evaluators: int
    flags: tuple[str, ...]


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
    for criterion in grid.criteria:
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
        means = {c.key: grid.scoring.points(c, Fraction(agreed[c.key])) for c in grid.criteria}
    return _Scored(proposal, means, evaluators, tuple(flags))


def _published(grid: Grid, points: Mapping[str, Fraction]) -> tuple[Decimal, dict[str, Decimal]]:
    criteria = {k: publish(v, grid.decimals) for k, v in points.items()}
    total = publish(sum(points.values(), Fraction(0)), grid.decimals)
    return total, criteria


def _rescaled(grid: Grid, admitted: list[_Scored]) -> dict[str, dict[str, Fraction]]:
    """The unrounded points of each admitted proposal after riparametrazione."""
    points = {s.proposal.id: dict(s.means) for s in admitted}
    if not admitted or grid.rescale == "none":
        return points
    if grid.rescale == "criterion":
        for criterion in grid.criteria:
            best = max(p[criterion.key] for p in points.values())
            for p in points.values():
                p[criterion.key] = (
                    Fraction(criterion.max_points) * p[criterion.key] / best
                    if best
                    else Fraction(0)
                )
        return points
    totals = {pid: sum(p.values(), Fraction(0)) for pid, p in points.items()}
    best_total = max(totals.values())
    factor = Fraction(grid.max_total) / best_total if best_total else Fraction(0)
    return {pid: {k: v * factor for k, v in p.items()} for pid, p in points.items()}


def _tie_key(entry: tuple[ProposalInput, Decimal, dict[str, Decimal]], level: str) -> Decimal:
    proposal, _total, criteria = entry
    if level == LOWER_REQUEST:
        return proposal.requested_contribution
    return -criteria.get(level, Decimal(0))


def _order(
    grid: Grid,
    call_id: str,
    entries: list[tuple[ProposalInput, Decimal, dict[str, Decimal]]],
    lottery_number: str | None,
) -> tuple[list[tuple[str, str]], list[Lottery], list[tuple[str, ...]]]:
    """The ranked ids with the tie-break level that placed each, lotteries, pending ties."""
    lotteries: list[Lottery] = []
    pending: list[tuple[str, ...]] = []
    levels = list(grid.cascade)

    def settle(
        group: list[tuple[ProposalInput, Decimal, dict[str, Decimal]]], depth: int
    ) -> list[tuple[str, str]]:
        if len(group) == 1:
            return [(group[0][0].id, levels[depth - 1] if depth else "")]
        if depth < len(levels):
            level = levels[depth]
            ordered = sorted(group, key=lambda e: (_tie_key(e, level), e[0].id))
            placed: list[tuple[str, str]] = []
            for _key, same in groupby(ordered, key=lambda e: _tie_key(e, level)):
                placed += settle(list(same), depth + 1)
            return placed
        ids = tuple(sorted(e[0].id for e in group))
        if lottery_number is not None:
            seed = lottery_seed(call_id, lottery_number, ids)
            order = shuffle(seed, ids)
            lotteries.append(Lottery(lottery_number, ids, seed, order))
            return [(pid, "lottery") for pid in order]
        pending.append(ids)
        return [(pid, "pending") for pid in ids]

    ordered = sorted(entries, key=lambda e: (-e[1], e[0].id))
    placed: list[tuple[str, str]] = []
    for _total, group in groupby(ordered, key=lambda e: e[1]):
        placed += settle(list(group), 0)
    return placed, lotteries, pending


def rank(
    grid: Grid,
    call_id: str,
    proposals: Iterable[ProposalInput],
    evaluations: Iterable[Evaluation],
    lottery_number: str | None = None,
    *,
    agreed: Mapping[str, Mapping[str, Decimal]] | None = None,
) -> RankingResult:
    """The graduatoria of ``proposals`` from the commission's ``evaluations``
    (and, under the collegial method, the ``agreed`` coefficients: proposal
    id -> criterion key -> value)."""
    by_proposal: dict[str, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_proposal.setdefault(evaluation.proposal, []).append(evaluation)
    excluded: list[Excluded] = []
    admitted: list[_Scored] = []
    for proposal in sorted(proposals, key=lambda p: p.id):
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
        total, criteria = _published(grid, scored.means)
        floors = [
            c for c in grid.criteria if c.min_points is not None and criteria[c.key] < c.min_points
        ]
        if floors:
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
    points = _rescaled(grid, admitted)
    entries = []
    published: dict[str, tuple[Decimal, dict[str, Decimal]]] = {}
    for scored in admitted:
        total, criteria = _published(grid, points[scored.proposal.id])
        published[scored.proposal.id] = (total, criteria)
        entries.append((scored.proposal, total, criteria))
    placed, lotteries, pending = _order(grid, call_id, entries, lottery_number)
    info = {s.proposal.id: s for s in admitted}
    ranking = tuple(
        RankedProposal(
            rank=position,
            proposal=pid,
            total=published[pid][0],
            criteria=published[pid][1],
            evaluators=info[pid].evaluators,
            flags=info[pid].flags,
            decided_by=level,
        )
        for position, (pid, level) in enumerate(placed, start=1)
    )
    return RankingResult(ranking, tuple(excluded), tuple(lotteries), tuple(pending))
