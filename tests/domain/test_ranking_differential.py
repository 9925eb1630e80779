"""The differential comparison: ``app.scoring.ranking.rank`` against the
independent reference of tests/domain/reference_ranking.py on thousands of
generated calls, small and tie-heavy, covering every option: both methods,
levels and free values, thresholds and floors before re-scaling, each
re-scaling, both roundings, quorum, conflicts and missing values, the tie
cascade (criteria, lower request, order of submission), lottery numbers,
full order and ex aequo with the funding line under both allocations.

The generator is seeded, so a failure names a case that can be replayed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal as D

from app.models.rules import Criterion, Grid, Matchfunding
from app.scoring.ranking import Evaluation, ProposalInput, RankingResult, rank
from app.scoring.ties import SubmissionOrderMissingError
from tests.domain.reference_ranking import (
    MissingSubmissionError,
    RefCall,
    RefProposal,
    reference_rank,
)

CASES = 5000
COEFFICIENT_LEVELS = [D("0"), D("0.2"), D("0.4"), D("0.5"), D("0.6"), D("0.8"), D("1")]


def _call(rng: random.Random, number: int) -> tuple[RefCall, Grid, Matchfunding]:
    method = rng.choice(["coefficients", "points"])
    count = rng.randint(1, 3)
    weights = {f"k{n}": D(rng.choice([10, 20, 25, 30, 40])) for n in range(count)}
    floors = {
        k: D(rng.choice([1, 2, 5])) for k in weights if rng.random() < 0.25
    }  # a floor on some criteria
    max_total = sum(weights.values(), D(0))
    threshold = D(rng.choice([0, 0, 10, 20, 30])) if max_total >= 30 else D(0)
    keys = list(weights)
    cascade = rng.sample(
        [*keys, "lower_request", "submission_order"], rng.randint(0, len(keys) + 2)
    )
    decimals = rng.choice([0, 1, 2, 2, 3])
    fund = D(rng.choice([20000, 45000, 60000, 100000, 250000]))
    ref = RefCall(
        call_id=f"CALL-{number}",
        method=method,
        weights=weights,
        floors=floors,
        threshold=threshold,
        rescale=rng.choice(["none", "criterion", "total", "criterion_then_total"]),
        rounding=rng.choice(["total_of_unrounded", "sum_of_rounded"]),
        ties=rng.choice(["full_order", "ex_aequo"]),
        quorum=rng.randint(1, 2),
        decimals=decimals,
        flag=D("0.6") if method == "coefficients" else D(rng.choice([5, 10])),
        cascade=cascade,
        fund=fund,
        alpha=rng.choice([D("0.4"), D("0.5")]),
        cap=D(rng.choice([20000, 50000, 60000])),
        allocation=rng.choice(["strict_order", "skip"]),
        lottery_number=rng.choice([None, None, "7", "12-45-78", str(number)]),
    )
    grid = Grid(
        method=method,
        criteria=tuple(
            Criterion(k, k.upper(), w, min_points=floors.get(k)) for k, w in weights.items()
        ),
        threshold=threshold,
        rescale=ref.rescale,
        min_evaluators=ref.quorum,
        decimals=decimals,
        justification_min_chars=0,
        dispersion_flag=ref.flag,
        tie_break=(*cascade, "lottery") if rng.random() < 0.7 else tuple(cascade),
        rounding=ref.rounding,
        ties=ref.ties,
    )
    money = Matchfunding(ref.alpha, ref.cap, D("200000"), 60, fund, ref.allocation)
    return ref, grid, money


def _value(rng: random.Random, ref: RefCall, weight: D) -> D:
    if ref.method == "coefficients":
        if rng.random() < 0.8:
            return rng.choice(COEFFICIENT_LEVELS)
        return D(rng.randint(0, 100)) / 100
    return D(rng.randint(0, int(weight) * 2)) / 2


def _fill(rng: random.Random, ref: RefCall) -> None:
    members = [f"m{n}" for n in range(rng.randint(2, 4))]
    moments = [dt.datetime(2026, 3, 2, h, tzinfo=dt.UTC) for h in (9, 10, 11)]
    protocols = rng.sample(range(1, 500), 8)
    # A few templates of sheets, reused, so that ties are frequent.
    templates = [
        {k: _value(rng, ref, w) for k, w in ref.weights.items()} for _ in range(rng.randint(1, 2))
    ]
    for index in range(rng.randint(1, 7)):
        pid = f"P{index:02d}"
        missing_order = rng.random() < 0.03
        ref.proposals.append(
            RefProposal(
                id=pid,
                admissible=rng.random() > 0.08,
                request=D(rng.choice([10000, 15000, 20000, 30000])),
                cost=D(rng.choice([30000, 40000, 60000, 90000])),
                protocol=None if missing_order else protocols[index],
                submitted=None if missing_order else rng.choice(moments),
            )
        )
        for member in members:
            conflicted = rng.random() < 0.1
            if rng.random() < 0.85:
                values = dict(rng.choice(templates))
            else:
                values = {k: _value(rng, ref, w) for k, w in ref.weights.items()}
            if rng.random() < 0.05:  # a partial sheet: one criterion left out
                values.pop(rng.choice(list(values)))
            ref.sheets.append((member, pid, conflicted, values))


def _app(result: RankingResult) -> dict[str, object]:
    return {
        "rows": [
            (r.rank, r.proposal, r.total, r.criteria, r.evaluators, r.flags, r.decided_by)
            for r in result.ranking
        ],
        "excluded": [
            (e.proposal, e.reason, e.total, e.criteria, e.evaluators, e.flags)
            for e in result.excluded
        ],
        "lotteries": [(lo.number, lo.tied, lo.seed, lo.order) for lo in result.lotteries],
        "pending": list(result.pending_lottery),
    }


def _compare(number: int) -> str:
    rng = random.Random(number)
    ref, grid, money = _call(rng, number)
    _fill(rng, ref)
    proposals = [
        ProposalInput(
            p.id,
            p.admissible,
            p.request,
            total_cost=p.cost,
            protocol=p.protocol,
            submitted_at=p.submitted,
        )
        for p in ref.proposals
    ]
    evaluations = [Evaluation(m, pid, c, v) for m, pid, c, v in ref.sheets]
    rng.shuffle(evaluations)  # arrival order must not matter
    try:
        expected: object = reference_rank(ref)
    except MissingSubmissionError as exc:
        expected = ("missing", tuple(exc.args[0]))
    try:
        got: object = _app(
            rank(grid, ref.call_id, proposals, evaluations, ref.lottery_number, matchfunding=money)
        )
    except SubmissionOrderMissingError as exc:
        got = ("missing", exc.proposals)
    assert got == expected, f"case {number}: app {got!r} != reference {expected!r}"
    if isinstance(got, tuple):
        return "missing submission order"
    rows = got["rows"]  # type: ignore[index]
    kinds = {row[-1] for row in rows}
    return ",".join(sorted(k for k in kinds if k)) or "no tie"


def test_app_scoring_agrees_with_the_reference_on_generated_calls() -> None:
    outcomes = Counter(_compare(number) for number in range(CASES))
    # Every kind of outcome was met (the generator is not vacuous).
    seen = set(",".join(outcomes).split(","))
    assert {"ex_aequo", "pending", "lottery", "submission_order", "lower_request"} <= seen
    assert outcomes["missing submission order"] > 0
    assert sum(outcomes.values()) == CASES
