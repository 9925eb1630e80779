"""Why a proposal is out of the ranking, with the numbers that put it out.

The category (``below_criterion_floor``…) says which rule; the minutes, the
``vaglio ranking`` listing and the exports also state the figures a reader
can check by hand:

- below a criterion's (or sub-criterion's) minimum: ``«Impatto sociale»
  10,00 < minimo 12,00``, for each one missed;
- below the threshold: ``totale 55,00 < soglia 60``;
- quorum not reached: ``2 valutatori < 3 richiesti`` (the call's
  ``min_evaluators``, which the ranking applies to every criterion: when the
  proposal has enough evaluators overall but not on some criterion, that is
  what it says);
- waiting for collegial scores: the criteria without the commission's agreed
  value;
- not admissible: the reasons recorded at import or by the secretariat.

Everything comes from the frozen ranking (its published points, its rules,
its collegial decisions) and, for inadmissibility, the recorded reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.i18n import _, format_decimal, n_
from app.scoring.subcriteria import below_floor
from app.scoring.views import ExcludedRow, RankingView


def _plain(value: Decimal) -> str:
    """A rule's number as the call writes it (``60``, ``12,5``)."""
    text = f"{value.normalize():f}"
    return format_decimal(value, len(text.partition(".")[2]))


def exclusion_grounds(view: RankingView, row: ExcludedRow, inadmissible: Sequence[str] = ()) -> str:
    """The figures behind ``row``'s exclusion, in the current language ("" when
    there is nothing more to say than its category)."""
    grid = view.grid
    places = grid.decimals
    if row.reason == "below_criterion_floor":
        return "; ".join(
            _("«{criterion}» {points} < minimum {minimum}").format(
                criterion=c.title,
                points=format_decimal(row.criteria[c.key], places),
                minimum=_plain(c.min_points),
            )
            for c in below_floor(grid, row.criteria)
            if c.min_points is not None
        )
    if row.reason == "below_threshold" and row.total is not None:
        return _("total {total} < threshold {threshold}").format(
            total=format_decimal(row.total, places), threshold=_plain(grid.threshold)
        )
    if row.reason == "no_quorum":
        required = grid.min_evaluators
        if row.evaluators < required:
            return n_(
                "{evaluators} evaluator < {required} required",
                "{evaluators} evaluators < {required} required",
                row.evaluators,
            ).format(evaluators=row.evaluators, required=required)
        return n_(
            "fewer than {required} evaluator on some criterion ({evaluators} in all)",
            "fewer than {required} evaluators on some criterion ({evaluators} in all)",
            required,
        ).format(evaluators=row.evaluators, required=required)
    if row.reason == "collegial_pending":
        agreed = {d.criterion for d in view.collegial if d.proposal == row.proposal}
        waiting = [f"«{c.title}»" for c in grid.criteria if c.key not in agreed]
        if waiting:
            return _("no collegial score yet on {criteria}").format(criteria=", ".join(waiting))
        return ""
    if row.reason == "inadmissible":
        return "; ".join(inadmissible)
    return ""
