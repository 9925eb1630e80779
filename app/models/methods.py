"""Scoring methods: how a member's value on a criterion becomes points.

A registry, so that the rest of Vaglio never compares a method's name: the
bounds of a value, its decimal places, what it is worth in points, the
limits a call may set, and the words that describe it all come from here.
Adding a method is one class and its labels (see docs/architecture.md).

- **coefficients** ("metodo aggregativo compensatore"): each member gives a
  coefficient c in [0, 1]; the criterion is worth W_k · c.
- **points**: each member gives points in [0, W_k] directly.
- **collegial**: each member gives a coefficient as under *coefficients*
  (their preparatory work); the commission then agrees, in a sitting, one
  coefficient per criterion ("La Commissione, all'unanimità / a maggioranza,
  attribuisce…"), and the criterion is worth W_k times the agreed one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from app.i18n import _

if TYPE_CHECKING:
    from app.models.rules import Criterion

Number = TypeVar("Number", Decimal, Fraction)

# A free coefficient (no levels in the call) is written to the hundredth.
COEFFICIENT_PLACES = 2


class ScoringMethod(ABC):
    """One way of scoring a criterion; instances are stateless."""

    name: str
    # True when the points come from the commission's agreed value
    # (app/models/collegial.py), not from the members' mean.
    collegial: bool = False

    @abstractmethod
    def upper(self, criterion: Criterion) -> Decimal:
        """The highest value a member may give on ``criterion``."""

    @abstractmethod
    def places(self, decimals: int) -> int:
        """How many decimal places a free value may have (the call publishes ``decimals``)."""

    @abstractmethod
    def points(self, criterion: Criterion, value: Number) -> Number:
        """What ``value`` (a member's, or a mean of them) is worth in points."""

    def level_limit(self) -> Decimal | None:
        """The highest level a call may list (None: any non-negative value)."""
        return None

    def dispersion_limit(self) -> Decimal | None:
        """The highest dispersion flag that makes sense (None: no limit)."""
        return None

    @abstractmethod
    def label(self) -> str:
        """The method as the call editor offers it."""

    @abstractmethod
    def note(self) -> str:
        """What the call editor says of the method, its levels and its dispersion flag."""

    @abstractmethod
    def allowed(self, criterion: Criterion) -> str:
        """The values allowed on ``criterion`` when the call lists no levels."""

    @abstractmethod
    def sentence(self) -> str:
        """The method in words, as the minutes state it."""


class Coefficients(ScoringMethod):
    name = "coefficients"

    def upper(self, criterion: Criterion) -> Decimal:
        return Decimal(1)

    def places(self, decimals: int) -> int:
        return COEFFICIENT_PLACES

    def points(self, criterion: Criterion, value: Number) -> Number:
        if isinstance(value, Fraction):
            return Fraction(criterion.max_points) * value
        return criterion.max_points * value

    def level_limit(self) -> Decimal | None:
        return Decimal(1)

    def dispersion_limit(self) -> Decimal | None:
        return Decimal(1)

    def label(self) -> str:
        return _("coefficients from 0 to 1 (metodo aggregativo compensatore)")

    def note(self) -> str:
        return _(
            "Members give a coefficient from 0 to 1 for each criterion (one of the levels, "
            "if any); points are the coefficient times the criterion's maximum."
        )

    def allowed(self, criterion: Criterion) -> str:
        return _("from 0 to {upper}").format(upper="1")

    def sentence(self) -> str:
        return _(
            "Method: weighted aggregate (metodo aggregativo compensatore). Each member "
            "gives every criterion a coefficient between 0 and 1; the mean coefficient of "
            "the members without a conflict of interest, multiplied by the criterion's "
            "maximum points, gives the criterion's points; the total is the sum of the "
            "criteria's points."
        )


class Points(ScoringMethod):
    name = "points"

    def upper(self, criterion: Criterion) -> Decimal:
        return criterion.max_points

    def places(self, decimals: int) -> int:
        return decimals

    def points(self, criterion: Criterion, value: Number) -> Number:
        return value

    def label(self) -> str:
        return _("points from 0 to each criterion's maximum")

    def note(self) -> str:
        return _(
            "Members give points from 0 to each criterion's maximum; levels are optional "
            "(points they may choose). The dispersion flag is in points."
        )

    def allowed(self, criterion: Criterion) -> str:
        from app.i18n import format_decimal
        from app.models.numbers import places_of

        upper = criterion.max_points
        return _("from 0 to {upper}").format(
            upper=format_decimal(upper, places_of(upper.normalize()))
        )

    def sentence(self) -> str:
        return _(
            "Method: points. Each member gives every criterion points between 0 and the "
            "criterion's maximum; the criterion's points are the mean of the points given "
            "by the members without a conflict of interest; the total is their sum."
        )


class Collegial(Coefficients):
    """Members score coefficients alone; the commission's agreed coefficient counts."""

    name = "collegial"
    collegial = True

    def label(self) -> str:
        return _("collegial coefficients: the commission agrees one value in a sitting")

    def note(self) -> str:
        return _(
            "Members give a coefficient from 0 to 1 for each criterion (one of the levels, "
            "if any) as preparatory work; in a sitting the commission agrees one coefficient "
            "per criterion, unanimously or by majority, and the secretariat records it with "
            "its motivation. Points are the agreed coefficient times the criterion's maximum."
        )

    def sentence(self) -> str:
        return _(
            "Method: collegial scores. Each member gives every criterion a coefficient "
            "between 0 and 1 as preparatory work; in a sitting the commission agrees, "
            "unanimously or by majority, one coefficient per criterion with its motivation; "
            "the agreed coefficient multiplied by the criterion's maximum points gives the "
            "criterion's points; the total is the sum of the criteria's points. A proposal "
            "is ranked only once every criterion has its agreed coefficient. The members' "
            "individual coefficients only mark the spread for discussion."
        )


METHODS: dict[str, ScoringMethod] = {m.name: m for m in (Coefficients(), Points(), Collegial())}


def scoring_method(name: str) -> ScoringMethod:
    """The method called ``name``; KeyError for an unknown one."""
    return METHODS[name]
