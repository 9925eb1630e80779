"""How the minutes state sub-criteria: the rule in words. (Which criterion or
sub-criterion kept a proposal below its minimum: :mod:`app.scoring.exclusion_grounds`.)"""

from __future__ import annotations

from app.i18n import _
from app.models.rules import Criterion, Grid
from app.reports.minutes_labels import plain_number


def subcriteria_sentences(rules: Grid) -> list[str]:
    """The sub-criteria rule in words, with each split (none without sub-criteria)."""
    if not rules.has_subcriteria:
        return []
    splits = "; ".join(
        _("«{criterion}» ({points}) = {parts}").format(
            criterion=c.title,
            points=plain_number(c.max_points),
            parts=" + ".join(f"«{s.title}» ({plain_number(s.max_points)})" for s in c.sub),
        )
        for c in rules.criteria
        if c.sub
    )
    return [
        _(
            "Some criteria are divided into sub-criteria, each with its own maximum points: "
            "{splits}. Members score the sub-criteria; the points of a sub-criterion are "
            "computed as a criterion's, and a criterion's points are the sum of its "
            "sub-criteria's. A minimum may be set on a criterion and on a sub-criterion: a "
            "proposal below either is not ranked. The spread that marks a score for "
            "discussion is measured on the sub-criteria. A re-scaling applies to the criteria "
            "and scales their sub-criteria by the same factor."
        ).format(splits=splits)
    ]


def is_subcriterion(rules: Grid, criterion: Criterion) -> bool:
    return rules.parent(criterion.key) is not None
