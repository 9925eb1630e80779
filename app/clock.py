"""The one clock: what moment it is (UTC) and what day it is in Rome.

Every part of Vaglio asks this module, never ``datetime.now()`` or
``date.today()``: a sitting, a campaign window or a payment is a day of the
Comune's calendar whatever time zone the laptop is set to, and moments are
stored in UTC. The source is injectable, so that the tests run at a moment of
their choosing and never depend on the hour or the zone of the machine
(``tests/conftest.py`` freezes it before anything else runs).

``VAGLIO_CLOCK`` (an ISO 8601 moment with its offset) fixes the moment for a
whole process: the tests pass it to the ``vaglio`` processes they start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

ENVIRONMENT = "VAGLIO_CLOCK"

Source = Callable[[], dt.datetime]


def system_now() -> dt.datetime:
    """The machine's clock, as an aware UTC moment."""
    return dt.datetime.now(dt.UTC)


class SteppingClock:
    """A clock that starts at ``start`` and moves ``step`` forward at every reading.

    Deterministic and strictly increasing: what tests need, since two records
    made one after the other must not share a moment by accident.
    """

    def __init__(self, start: dt.datetime, step: dt.timedelta = dt.timedelta(milliseconds=1)):
        if start.tzinfo is None:
            raise ValueError("the start of a clock must carry its offset")
        self._next = start.astimezone(dt.UTC)
        self._step = step
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            moment = self._next
            self._next = moment + self._step
            return moment

    def set(self, moment: dt.datetime) -> None:
        """Move the clock to ``moment`` (forwards or backwards)."""
        with self._lock:
            self._next = moment.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward by ``delta``."""
        with self._lock:
            self._next += delta


def _from_environment() -> Source:
    text = os.environ.get(ENVIRONMENT)
    if not text:
        return system_now
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{ENVIRONMENT} must carry its offset, e.g. 2026-03-10T09:00:00+00:00")
    return SteppingClock(moment)


_source: Source = _from_environment()


def now() -> dt.datetime:
    """This moment, aware, in UTC."""
    return _source().astimezone(dt.UTC)


def today_in_rome() -> dt.date:
    """Today in Rome: the day of the Comune's calendar."""
    return day_in_rome(now())


@cache
def rome() -> ZoneInfo:
    """Rome's time zone (read once, when first needed)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Rome")


def day_in_rome(moment: dt.datetime) -> dt.date:
    """The day in Rome of an aware moment."""
    return moment.astimezone(rome()).date()


def set_source(source: Source | None) -> Source:
    """Read time from ``source`` from now on (None: the machine's clock); the old source."""
    global _source  # noqa: PLW0603 - the clock is process-wide by design
    previous = _source
    _source = source or system_now
    return previous


@contextlib.contextmanager
def using(source: Source) -> Iterator[Source]:
    """Read time from ``source`` inside the block, then restore the previous one."""
    previous = set_source(source)
    try:
        yield source
    finally:
        set_source(previous)
