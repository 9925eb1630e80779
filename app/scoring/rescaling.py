"""Riparametrazione (re-scaling) of the admitted proposals' points, as the
call declares it (``scoring.rescale``), always after the thresholds:

- ``none``;
- ``criterion``: P'_ik = W_k · P_ik / max_i P_ik on each criterion (with the
  coefficient method, W_k · C̄_ik / max_i C̄_ik), 0 when nobody scored above 0;
- ``total``: every criterion of proposal i multiplied by S_max / max_i S_i,
  so that S'_i = S_max · S_i / max_i S_i (S_max: the grid's maximum total);
- ``criterion_then_total``: first per criterion, then on the totals the first
  step produced (S'_i = S_max · S*_i / max_i S*_i, S*_i = Σ_k P'_ik).

Everything is exact (fractions); rounding for publication comes after.
"""

from __future__ import annotations

from fractions import Fraction

from app.models.rules import Grid

Points = dict[str, dict[str, Fraction]]  # proposal id -> criterion key -> exact points


def _per_criterion(grid: Grid, points: Points) -> Points:
    out = {pid: dict(p) for pid, p in points.items()}
    for criterion in grid.criteria:
        best = max(p[criterion.key] for p in out.values())
        for p in out.values():
            p[criterion.key] = (
                Fraction(criterion.max_points) * p[criterion.key] / best if best else Fraction(0)
            )
    return out


def _on_total(grid: Grid, points: Points) -> Points:
    totals = {pid: sum(p.values(), Fraction(0)) for pid, p in points.items()}
    best_total = max(totals.values())
    factor = Fraction(grid.max_total) / best_total if best_total else Fraction(0)
    return {pid: {k: v * factor for k, v in p.items()} for pid, p in points.items()}


def rescaled(grid: Grid, points: Points) -> Points:
    """The exact points of each admitted proposal after the call's re-scaling."""
    if not points or grid.rescale == "none":
        return {pid: dict(p) for pid, p in points.items()}
    if grid.rescale == "criterion":
        return _per_criterion(grid, points)
    if grid.rescale == "total":
        return _on_total(grid, points)
    return _on_total(grid, _per_criterion(grid, points))
