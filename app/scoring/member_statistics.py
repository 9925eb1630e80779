"""How each member of the commission scored: figures for the secretariat to
bring to the sitting, as HotCRP shows its reviewers' score distributions.

They help the commission discuss a harsh or a lenient member; they are never
applied to any score (no correction, no weight, no exclusion).

Pure functions on plain values. Over the values a member gave in the newest
accepted bundle, on the proposals without a conflict of interest:

- every value is first put on one scale from 0 to 1: a coefficient as it is,
  points divided by the criterion's maximum ``W_k`` (the method's registry
  says what the highest value is), so that criteria of different weight can
  be compared;
- **mean**: the mean of those values;
- **spread**: their standard deviation, over the member's own values taken as
  a whole (population formula: divide by n);
- **at the lowest end / at the highest end**: the share of the member's values
  equal to the lowest / highest value the call allows on that criterion (the
  call's lowest and highest level when it lists levels; otherwise 0 and the
  maximum: 1 for a coefficient, ``W_k`` for points);
- **agreement with the others**: Pearson's correlation between the member's
  value and the mean of the other members' values on the same proposal and
  criterion, over every such pair; not defined (None, printed "n/d") with
  fewer than 3 pairs or when either side does not vary.

Arithmetic is exact (:class:`fractions.Fraction`) up to the one square root
of the spread and of the correlation, taken with :mod:`decimal` at 28
digits; every figure is then rounded ROUND_HALF_UP to :data:`PLACES` decimal
places, so the figures can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from app.models.rules import Criterion, Grid

PLACES = 4
MIN_PAIRS = 3
_QUANTUM = Decimal(1).scaleb(-PLACES)
_CONTEXT = Context(prec=28)


@dataclass(frozen=True)
class MemberSheet:
    """What one member gave one proposal (criterion key -> value), without a conflict."""

    member: str
    proposal: str
    values: Mapping[str, Decimal]


@dataclass(frozen=True)
class MemberStatistics:
    """One member's figures; None where a figure is not defined ("n/d")."""

    member: str
    proposals: int  # proposals with at least one value
    values: int  # values counted
    mean: Decimal | None  # on the 0..1 scale
    spread: Decimal | None  # standard deviation, on the 0..1 scale
    at_lowest: Decimal | None  # share of values at the lowest end, 0..1
    at_highest: Decimal | None  # share of values at the highest end, 0..1
    pairs: int  # (value, others' mean) pairs behind the correlation
    correlation: Decimal | None  # Pearson, -1..1


def _round(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def _sqrt(value: Fraction) -> Decimal:
    return _CONTEXT.sqrt(_CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator)))


def scale_ends(grid: Grid, criterion: Criterion) -> tuple[Decimal, Decimal]:
    """The lowest and highest value a member may give on ``criterion``."""
    if grid.levels:
        return min(grid.level_values), max(grid.level_values)
    return Decimal(0), grid.scoring.upper(criterion)


def normalised(grid: Grid, criterion: Criterion, value: Decimal) -> Fraction:
    """``value`` on the 0..1 scale: divided by the highest value of the method."""
    return Fraction(value) / Fraction(grid.scoring.upper(criterion))


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def pearson(pairs: Sequence[tuple[Fraction, Fraction]]) -> Decimal | None:
    """Pearson's r of ``pairs``; None with fewer than 3 pairs or no variation."""
    if len(pairs) < MIN_PAIRS:
        return None
    mean_x = _mean([x for x, _y in pairs])
    mean_y = _mean([y for _x, y in pairs])
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in pairs), Fraction(0))
    sxx = sum(((x - mean_x) ** 2 for x, _y in pairs), Fraction(0))
    syy = sum(((y - mean_y) ** 2 for _x, y in pairs), Fraction(0))
    if sxx == 0 or syy == 0:
        return None
    # r = sxy / sqrt(sxx * syy): exact up to the one square root.
    r = _sqrt(sxy * sxy / (sxx * syy))
    return _round(r if sxy >= 0 else -r)


def member_statistics(
    grid: Grid, sheets: Iterable[MemberSheet], members: Sequence[str] = ()
) -> tuple[MemberStatistics, ...]:
    """The figures of every member in ``members`` (in that order; a member
    with no values gets "n/d" everywhere), then of any other member who gave
    values, by name."""
    criteria = {c.key: c for c in grid.leaves}  # what members score (sub-criteria too)
    # (proposal, criterion) -> member -> value on the 0..1 scale
    cells: dict[tuple[str, str], dict[str, Fraction]] = {}
    ends: dict[str, list[tuple[bool, bool]]] = {}
    proposals: dict[str, set[str]] = {}
    for sheet in sheets:
        for key, value in sheet.values.items():
            criterion = criteria.get(key)
            if criterion is None:
                continue
            low, high = scale_ends(grid, criterion)
            cells.setdefault((sheet.proposal, key), {})[sheet.member] = normalised(
                grid, criterion, value
            )
            ends.setdefault(sheet.member, []).append((value == low, value == high))
            proposals.setdefault(sheet.member, set()).add(sheet.proposal)
    order = list(dict.fromkeys(members)) + sorted(set(ends) - set(members))
    own: dict[str, list[Fraction]] = {}
    pairs: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for _cell, given in sorted(cells.items()):
        for member, mine in given.items():
            own.setdefault(member, []).append(mine)
            others = [v for m, v in given.items() if m != member]
            if others:
                pairs.setdefault(member, []).append((mine, _mean(others)))
    return tuple(_figures(m, own.get(m, []), ends.get(m, []), pairs.get(m, []),
                          len(proposals.get(m, ()))) for m in order)  # fmt: skip


def _figures(
    member: str,
    values: list[Fraction],
    ends: list[tuple[bool, bool]],
    pairs: list[tuple[Fraction, Fraction]],
    proposals: int,
) -> MemberStatistics:
    if not values:
        return MemberStatistics(member, 0, 0, None, None, None, None, 0, None)
    n = len(values)
    mean = _mean(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / n
    return MemberStatistics(
        member=member,
        proposals=proposals,
        values=n,
        mean=_round(mean),
        spread=_round(_sqrt(variance)),
        at_lowest=_round(Fraction(sum(1 for low, _high in ends if low), n)),
        at_highest=_round(Fraction(sum(1 for _low, high in ends if high), n)),
        pairs=len(pairs),
        correlation=pearson(pairs),
    )
