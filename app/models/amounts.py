"""Reading euro amounts written the way people write them.

Accepted: ``12500``, ``12500.00``, ``12500,5``, ``12.500,00`` (Italian),
``12,500.00`` (English), with an optional ``€`` and spaces. Refused as
ambiguous: ``12.500`` and ``12,500`` (thousands or decimals?).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")

_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_ITALIAN = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")
_ENGLISH = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")
_AMBIGUOUS = re.compile(r"^\d{1,3}[.,]\d{3}$")
_DECIMAL = re.compile(r"^-?\d+(?:\.\d+)?$")


class AmountError(ValueError):
    """The text is not an amount; ``reason`` says why (``unreadable``, ``ambiguous``)."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.text = text
        self.reason = reason


def parse_amount(text: str) -> Decimal:
    """A non-negative euro amount, to the cent, from ``text``."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if not cleaned:
        raise AmountError(text, "empty")
    if _AMBIGUOUS.match(cleaned):
        raise AmountError(text, "ambiguous")
    if _PLAIN.match(cleaned):
        number = cleaned.replace(",", ".")
    elif _ITALIAN.match(cleaned):
        number = cleaned.replace(".", "").replace(",", ".")
    elif _ENGLISH.match(cleaned):
        number = cleaned.replace(",", "")
    else:
        raise AmountError(text, "unreadable")
    return Decimal(number).quantize(CENT)


def parse_decimal(text: str) -> Decimal:
    """A plain decimal as written in definitions (``"0.40"``, ``"25"``)."""
    cleaned = text.strip()
    if not _DECIMAL.match(cleaned):
        raise AmountError(text, "unreadable")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern forbids it
        raise AmountError(text, "unreadable") from exc
