"""Sub-criteria: a criterion scored in parts ("Impatto sociale 30 =
destinatari 15 + misurabilità 15").

A :class:`~app.models.rules.Criterion` may hold sub-criteria, each a
criterion of its own (key, title, maximum points, optional floor) but without
sub-criteria of its own. Their maximum points add up to the criterion's.
Members score the sub-criteria (the grid's *leaves*); the criterion's points
are the sum of its sub-criteria's points. Keys are unique across the whole
grid. A grid without sub-criteria is exactly the grid it always was, and its
hash does not change: ``sub`` enters the hashed document only when present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.errors import Problem
from app.i18n import _

if TYPE_CHECKING:
    from app.models.rules import Criterion


def subcriteria_problems(criterion: Criterion) -> list[Problem]:
    """What is wrong with ``criterion``'s sub-criteria, named from the criterion
    (``sub``, ``sub[1].sub``)."""
    if not criterion.sub:
        return []
    problems = [
        Problem(f"sub[{index}].sub", _("a sub-criterion cannot have sub-criteria of its own"))
        for index, sub in enumerate(criterion.sub)
        if sub.sub
    ]
    total = sum((sub.max_points for sub in criterion.sub), Decimal(0))
    if total != criterion.max_points:
        problems.append(
            Problem(
                "sub",
                _(
                    "the sub-criteria's maximum points add up to {total}, not to the "
                    "criterion's {maximum}"
                ).format(total=f"{total:f}", maximum=f"{criterion.max_points:f}"),
            )
        )
    return problems


def grid_places(criteria: Iterable[Criterion]) -> Iterator[tuple[str, Criterion]]:
    """Each criterion and sub-criterion with its place in the call file
    (``criteria[0]``, ``criteria[0].sub[1]``)."""
    for index, criterion in enumerate(criteria):
        yield f"criteria[{index}]", criterion
        for position, sub in enumerate(criterion.sub):
            yield f"criteria[{index}].sub[{position}]", sub


def hashed_criterion(
    criterion: Criterion, text: Callable[[Decimal | None], str | None]
) -> dict[str, Any]:
    """A criterion in the grid hash's document; ``sub`` only when it has some."""
    entry: dict[str, Any] = {
        "key": criterion.key,
        "max_points": text(criterion.max_points),
        "min_points": text(criterion.min_points),
    }
    if criterion.sub:
        entry["sub"] = [hashed_criterion(sub, text) for sub in criterion.sub]
    return entry
