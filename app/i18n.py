"""One translation catalogue for the whole application.

Source strings are English and carry named placeholders (``{name}``); the
Italian catalogue (``resources/locale/it/LC_MESSAGES/vaglio.po``, compiled to
``.mo`` by ``make i18n``) translates them. Italian is the default language;
``VAGLIO_LANG=en`` or the GUI setting switches to English. A test checks that
every message has an Italian translation with the same placeholders (the
guard Electrum keeps in ``electrum/i18n.py``).

Amounts and dates are formatted here too, so every layer prints them the same
way (``48.000,00 €`` and ``15/07/2020`` in Italian).
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.resources import resource_path

DOMAIN = "vaglio"


@dataclass(frozen=True)
class Language:
    """How one language writes what Vaglio shows: its name, numbers, money, dates.

    Adding a language is one row of :data:`LANGUAGES` and its catalogue in
    ``resources/locale/<code>/LC_MESSAGES/vaglio.po``.
    """

    code: str  # ISO 639-1, as gettext, Qt and Babel name it
    name: str  # in the language itself, for the settings
    thousands: str
    point: str
    money: str  # "{amount} €" or "€{amount}"
    date: str  # strftime
    moment: str  # strftime, to the minute
    qt_date: str  # Qt's date-edit format


LANGUAGES: dict[str, Language] = {
    "it": Language("it", "Italiano", ".", ",", "{amount} €", "%d/%m/%Y", "%d/%m/%Y %H:%M",
                   "dd/MM/yyyy"),
    "en": Language("en", "English", ",", ".", "€{amount}", "%Y-%m-%d", "%Y-%m-%d %H:%M",
                   "yyyy-MM-dd"),
}  # fmt: skip
DEFAULT_LANGUAGE = "it"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Switch every later message to ``language`` (``it`` or ``en``)."""
    global _translations, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if language == "en":
        _translations = gettext.NullTranslations()
    else:
        # fallback: a missing catalogue shows English rather than crashing;
        # tests/test_i18n.py makes sure the catalogue ships.
        _translations = gettext.translation(
            DOMAIN, localedir=str(resource_path("locale")), languages=[language], fallback=True
        )
    _language = language


def current_language() -> str:
    """The language messages are translated into now."""
    return _language


def language() -> Language:
    """How the current language writes numbers, money and dates."""
    return LANGUAGES[_language]


def language_from_environment() -> str:
    """``VAGLIO_LANG`` if it names a supported language, otherwise Italian."""
    wanted = os.environ.get("VAGLIO_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """Translate a message whose wording depends on ``count``."""
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for the catalogue without translating it yet."""
    return message


def _group(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_decimal(value: Decimal, places: int = 2) -> str:
    """``12500.5`` as ``12.500,50`` (Italian) or ``12,500.50`` (English)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{abs(value.quantize(quantum, rounding=ROUND_HALF_UP)):f}"
    whole, _dot, fraction = text.partition(".")
    spoken = language()
    sign = "-" if value < 0 else ""
    result = sign + _group(whole, spoken.thousands)
    return f"{result}{spoken.point}{fraction}" if places else result


def format_money(value: Decimal) -> str:
    """A euro amount: ``48.000,00 €`` in Italian, ``€48,000.00`` in English."""
    return language().money.format(amount=format_decimal(value, 2))


def format_date(value: dt.date) -> str:
    """``15/07/2020`` in Italian, ``2020-07-15`` in English."""
    return value.strftime(language().date)


# The zone moments are shown in: None is the computer's own (the screens);
# documents that others read, such as the minutes, set the call's zone.
_zone: ContextVar[dt.tzinfo | None] = ContextVar("zone", default=None)


@contextmanager
def moments_in(zone: dt.tzinfo) -> Iterator[None]:
    """Within the block, :func:`format_datetime` shows moments in ``zone``."""
    token = _zone.set(zone)
    try:
        yield
    finally:
        _zone.reset(token)


def format_datetime(value: dt.datetime) -> str:
    """A moment to the minute, in local time (or the zone of :func:`moments_in`)."""
    local = value.astimezone(_zone.get()) if value.tzinfo else value
    return local.strftime(language().moment)


def month_name(month: int) -> str:
    """The name of ``month`` (1-12) as the language writes it inside a date."""
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
        _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
    )[month - 1]  # fmt: skip


def on_moment(value: dt.datetime, zone: dt.tzinfo) -> str:
    """A moment in words with its preposition, in ``zone``: ``il 3 dicembre 2026
    alle 10:12``, ``l'11 marzo 2026 alle 00:30``, ``on 3 December 2026 at 10:12``."""
    local = value.astimezone(zone)
    # Italian elides the article before a day read with a vowel (8, 11).
    template = (
        _("on (8, 11) {day} {month} {year} at {time}")
        if local.day in (8, 11)
        else _("on {day} {month} {year} at {time}")
    )
    return template.format(
        day=local.day, month=month_name(local.month), year=local.year,
        time=local.strftime("%H:%M"),
    )  # fmt: skip


# Italian first: a process that never chooses speaks Italian.
set_language(DEFAULT_LANGUAGE)
