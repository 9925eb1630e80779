"""Sub-criteria in the ranking: from the points of what members score (the
grid's leaves) to the points of each criterion.

- Members score the sub-criteria; each sub-criterion's points come from the
  members' values as a criterion's do (W_s · C̄_isk under coefficients, the
  mean points under points), and so does its dispersion flag.
- A criterion with sub-criteria is worth the sum of their (unrounded) points;
  the total is the sum of the criteria's, as always.
- Floors apply at both levels, on the published values, before any
  re-scaling: a proposal below a sub-criterion's or a criterion's minimum is
  excluded (``below_criterion_floor``).
- Re-scaling works on the criteria (or the total); a sub-criterion's points
  are then scaled by its criterion's factor, so they still add up to it.

Without sub-criteria every function here is the identity of the rules before.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from app.models.rules import Criterion, Grid


def criterion_points(grid: Grid, leaf_points: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """The unrounded points of each criterion: its own, or its sub-criteria's sum."""
    return {
        c.key: sum((leaf_points[leaf.key] for leaf in c.leaves), Fraction(0)) for c in grid.criteria
    }


def subcriterion_points(grid: Grid, leaf_points: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """The unrounded points of each sub-criterion (empty without sub-criteria)."""
    return {s.key: leaf_points[s.key] for c in grid.criteria for s in c.sub}


def rescaled_parts(
    grid: Grid,
    parts: Mapping[str, Fraction],
    before: Mapping[str, Fraction],
    after: Mapping[str, Fraction],
) -> dict[str, Fraction]:
    """The sub-criteria's points scaled as their criterion was (``before`` and
    ``after`` re-scaling); a criterion of 0 points leaves its parts at 0."""
    scaled: dict[str, Fraction] = {}
    for criterion in grid.criteria:
        for sub in criterion.sub:
            old = before[criterion.key]
            scaled[sub.key] = parts[sub.key] * after[criterion.key] / old if old else Fraction(0)
    return scaled


def below_floor(grid: Grid, published: Mapping[str, Decimal]) -> tuple[Criterion, ...]:
    """The criteria and sub-criteria whose published points are below their
    minimum (``published`` holds both levels' keys)."""
    return tuple(
        c
        for c in grid.every_criterion
        if c.min_points is not None and c.key in published and published[c.key] < c.min_points
    )
