"""Publication rounding, as the call declares it (``scoring.rounding``).

Every figure is an exact fraction until it is published. Each criterion's
points P_ik are rounded ROUND_HALF_UP to the call's decimals; the total is
then either

- ``total_of_unrounded`` (the default, today's rule): S_i = Σ_k P_ik on the
  unrounded points, rounded once; the published criteria may then add up to
  one unit of the last place more or less than the published total
  (3.333… + 3.333… is published as 3.33 and 3.33 with a total of 6.67);
- ``sum_of_rounded``: the sum of the published criteria, so that they always
  add up to the published total (3.33 + 3.33 = 6.66).

Thresholds, floors, the ranking and the tie-breaks compare published values.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.models.rules import SUM_OF_ROUNDED, Grid


def publish(value: Decimal | Fraction, decimals: int) -> Decimal:
    """Round for publication: ROUND_HALF_UP to the call's decimals (exactly,
    from a fraction as from a decimal)."""
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Decimal):
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    scaled = abs(value) * 10**decimals
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return (Decimal(-units if value < 0 else units) * quantum).quantize(quantum)


def published(grid: Grid, points: Mapping[str, Fraction]) -> tuple[Decimal, dict[str, Decimal]]:
    """The published total and criteria of one proposal from its exact points."""
    criteria = {k: publish(v, grid.decimals) for k, v in points.items()}
    if grid.rounding == SUM_OF_ROUNDED:
        quantum = Decimal(1).scaleb(-grid.decimals)
        total = sum(criteria.values(), Decimal(0)).quantize(quantum)
    else:
        total = publish(sum(points.values(), Fraction(0)), grid.decimals)
    return total, criteria
