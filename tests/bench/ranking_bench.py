"""Consolidating the commission's scores into the ranking (issue: ranking).

1,000 proposals x 9 members x 6 criteria (54,000 coefficients): the pure
rules (means, publication rounding, floors, threshold, dispersion, the tie
cascade) against merely summing the same values in plain Python; then the
same through the use case, reading the scores from the encrypted workspace
that the intake bench filled.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from tests.bench.harness import Figure, median_ms
from tests.bench.intake_bench import CRITERIA, MEMBERS, PASSPHRASE, PROPOSALS

LEVELS = [Decimal(v) for v in ("0", "0.2", "0.4", "0.6", "0.8", "1")]


def _inputs() -> tuple[object, list[object], list[object]]:
    from app.models.rules import Criterion, Grid
    from app.scoring.ranking import Evaluation, ProposalInput

    rules = Grid(
        method="coefficients", decimals=2, threshold=Decimal(50), justification_min_chars=0,
        rescale="none", min_evaluators=3, dispersion_flag=Decimal("0.6"),
        tie_break=("impact", "innovation", "lower_request", "lottery"),
        criteria=tuple(Criterion(k, k, Decimal(20), min_points=Decimal(4)) for k in CRITERIA),
    )  # fmt: skip
    rng = random.Random(2020)
    proposals = [
        ProposalInput(f"B{n:05d}", True, Decimal(rng.randrange(10_000, 60_000)))
        for n in range(PROPOSALS)
    ]
    evaluations = [
        Evaluation(f"M{m}", p.id, m == 0 and n % 50 == 0,
                   {k: rng.choice(LEVELS[2:]) for k in CRITERIA})
        for m in range(MEMBERS)
        for n, p in enumerate(proposals)
    ]  # fmt: skip
    return rules, proposals, evaluations  # type: ignore[return-value]


def _plain_sum_ms(evaluations: list[object]) -> float:
    """The floor: adding up the same values, proposal by proposal."""

    def plain_sum() -> None:
        totals: dict[str, Decimal] = {}
        for evaluation in evaluations:
            key = evaluation.proposal  # type: ignore[attr-defined]
            values = evaluation.values.values()  # type: ignore[attr-defined]
            totals[key] = totals.get(key, Decimal(0)) + sum(values, Decimal(0))

    return median_ms(plain_sum)


def consolidation() -> Figure:
    from app.scoring.ranking import rank

    rules, proposals, evaluations = _inputs()
    result = rank(rules, "BENCH", proposals, evaluations)  # type: ignore[arg-type]
    assert len(result.ranking) + len(result.excluded) == PROPOSALS
    return Figure(
        "ranking of 1,000 proposals x 9 members x 6 criteria (pure rules)",
        median_ms(lambda: rank(rules, "BENCH", proposals, evaluations)),  # type: ignore[arg-type]
        "summing the same 54,000 values",
        _plain_sum_ms(evaluations),
        "< 1 s",
    )


def from_workspace(home: Path) -> Figure:
    """The use case on the intake bench's workspace (9 bundles accepted; every
    value 0.6, so every proposal ties and the whole cascade runs)."""
    from app.services.ranking import ranking_view
    from app.services.workspace import unlock

    ws = unlock(home, PASSPHRASE)
    try:
        view = ranking_view(ws, "MI-CC-2020")
        assert len(view.rows) + len(view.excluded) == PROPOSALS
        value = median_ms(lambda: ranking_view(ws, "MI-CC-2020"), repeat=3)
    finally:
        ws.close()
    return Figure(
        "ranking view from the encrypted workspace (reads the 54,000 scores)",
        value,
        "summing the same 54,000 values",
        _plain_sum_ms(_inputs()[2]),
        "< 1 s",
    )
