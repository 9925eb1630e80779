"""The calendar of the call: days as the authority counts them, in Rome.

A campaign window, the day of a sitting, the date of a payment are days of
the Comune's calendar, whatever time zone the laptop is set to; moments are
stored in UTC and only their day is taken here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def today() -> dt.date:
    """Today in Rome."""
    return dt.datetime.now(ROME).date()


def day_of(moment: dt.datetime) -> dt.date:
    """The day in Rome of an aware moment."""
    return moment.astimezone(ROME).date()
