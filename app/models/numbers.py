"""The one reader of numbers that people and files write: the call file, the
call editor, the proposal importer, campaign results, payments and scores.

A text is read twice, strictly, with Babel's ``parse_decimal``: the Italian
way (``12.500,00``, ``0,6``) and the English or machine way (``12500.00``,
``12,500.00``, ``0.6``). If only one reading accepts it, that is the number.
If both accept it with the same value (``60000``), fine. If both accept it
with **different** values (``550.000``: five hundred and fifty thousand in
Italian, 550 in English), it is ambiguous and refused, so that ``550.000`` in
a call file is never read as € 550. Exponents, ``NaN`` and infinities are
never numbers here.

Amounts are non-negative euro to the cent; ``€`` and spaces (also the
non-breaking and thin ones a spreadsheet writes) are ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from app.errors import echo
from app.i18n import _

CENT = Decimal("0.01")
# What a number may be made of, once spaces and the euro sign are gone.
_SHAPE = re.compile(r"-?[0-9][0-9.,]*\Z|-?[.,][0-9]+\Z")
_IGNORED = re.compile(r"[\s\u00a0\u202f€]")
# Shapes only one reading can take, read without Babel (an import of a thousand
# proposals reads two thousand amounts): digits alone; digits, a point and
# digits that are not a group of three after one to three digits (Italian
# refuses the point there); the same with a comma (English refuses it).
_WHOLE = re.compile(r"-?[0-9]+\Z")
_POINT = re.compile(r"-?[0-9]+\.[0-9]+\Z")
_COMMA = re.compile(r"-?[0-9]+,[0-9]+\Z")
_GROUPED = re.compile(r"-?[0-9]{1,3}[.,][0-9]{3}\Z")
# More digits than any amount or score has; Decimal's 28-digit arithmetic (the
# quantize to the cent, Babel's own check) needs room for two more places.
MAX_DIGITS = 24


class NumberError(ValueError):
    """A text that is not a number of the kind asked for.

    ``reason`` is ``empty``, ``unreadable``, ``too_long``, ``ambiguous``,
    ``negative`` or ``too_many_places``; :attr:`sentence` says it in the current language.
    """

    def __init__(
        self,
        text: str,
        reason: str,
        readings: tuple[Decimal, ...] = (),
        places: int = 0,
        *,
        amount: bool = False,
    ) -> None:
        super().__init__(f"{reason}: {echo(text)!r}")
        self.text = text
        self.reason = reason
        self.readings = readings
        self.places = places
        self.amount = amount  # an amount in euro: the sentence says so

    @property
    def sentence(self) -> str:
        """Why the text was refused, with what to write instead."""
        shown = echo(self.text.strip())
        if self.reason == "empty" and self.amount:
            return _("the amount is missing: write it in euro, for example 12.500,00")
        if self.reason == "empty":
            return _("a number is required")
        if self.reason == "ambiguous":
            italian, english = self.readings
            return _(
                "«{text}» is ambiguous: {italian} or {english}? Write it without a "
                "thousands separator (e.g. {example})"
            ).format(
                text=shown,
                italian=plain(italian),
                english=plain(english),
                example=plain(italian),
            )
        if self.reason == "negative":
            return _("«{text}» is negative: it must be zero or more").format(text=shown)
        if self.reason == "too_long":
            return _(
                "«{text}» has more than {digits} digits: no amount or score is that long"
            ).format(text=shown, digits=MAX_DIGITS)
        if self.reason == "too_many_places":
            return _("«{text}» has more than {places} decimal places").format(
                text=shown, places=self.places
            )
        if self.amount:
            return _(
                "«{text}» is not an amount in euro: write for example 12500,00 or 12.500,00"
            ).format(text=shown)
        return _("«{text}» is not a number").format(text=shown)


def plain(value: Decimal) -> str:
    """A decimal written plainly, without exponent or needless trailing zeros."""
    text = f"{value.normalize():f}"
    return text


def places_of(value: Decimal) -> int:
    """How many decimal places ``value`` is written with (``1.50`` has 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _reading(text: str, locale: str) -> Decimal | None:
    try:
        return parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, ValueError):
        return None


def read_number(
    text: str, *, places: int | None = None, negative: bool = False, ignore: str = ""
) -> Decimal:
    """The number written in ``text``, or :class:`NumberError`.

    ``places`` caps the decimal places (None: any); ``negative`` allows a
    sign; characters in ``ignore`` (besides spaces) are dropped first.
    """
    cleaned = _IGNORED.sub("", text)
    for char in ignore:
        cleaned = cleaned.replace(char, "")
    if not cleaned:
        raise NumberError(text, "empty")
    if not _SHAPE.match(cleaned):
        raise NumberError(text, "unreadable")
    if sum(char.isdigit() for char in cleaned) > MAX_DIGITS:
        raise NumberError(text, "too_long")
    value = _plain(cleaned)
    if value is None:
        value = by_both_readings(text, cleaned)
    return _bounded(text, value, places=places, negative=negative)


def by_both_readings(text: str, cleaned: str) -> Decimal:
    """The value the Italian and the English readings agree on, or a refusal."""
    italian, english = _reading(cleaned, "it"), _reading(cleaned, "en")
    if italian is None and english is None:
        raise NumberError(text, "unreadable")
    if italian is not None and english is not None and italian != english:
        raise NumberError(text, "ambiguous", (italian, english))
    value = italian if italian is not None else english
    assert value is not None
    return value


def _plain(cleaned: str) -> Decimal | None:
    """The value of a text only one reading accepts, without Babel; None otherwise."""
    if _WHOLE.match(cleaned):
        return Decimal(cleaned)
    if _GROUPED.match(cleaned):
        return None  # 12.500 or 12,500: for both readings to judge
    if _POINT.match(cleaned):
        return Decimal(cleaned)
    if _COMMA.match(cleaned):
        return Decimal(cleaned.replace(",", "."))
    return None


def _bounded(text: str, value: Decimal, *, places: int | None, negative: bool) -> Decimal:
    if not value.is_finite():
        raise NumberError(text, "unreadable")
    if value < 0 and not negative:
        raise NumberError(text, "negative")
    if places is not None and places_of(value.normalize()) > places:
        raise NumberError(text, "too_many_places", places=places)
    return value


def read_amount(text: str) -> Decimal:
    """A non-negative euro amount, to the cent (``€ 12.500,00``, ``12500``)."""
    try:
        return read_number(text, places=2, ignore="€").quantize(CENT)
    except NumberError as exc:
        raise NumberError(text, exc.reason, exc.readings, exc.places, amount=True) from None
