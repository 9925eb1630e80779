"""The call's evaluation deadline as people read it: the day, and how many
days are left or have gone by, counted on Rome's calendar (app/clock.py).

The deadline is optional (``[call] evaluation_deadline`` in the call file,
carried to the members in the call package). A bundle that arrives after it
is flagged in the secretariat's completeness view, never refused: the
commission decides what a late sheet means, not the software.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.i18n import _, format_date, n_


@dataclass(frozen=True)
class EvaluationDeadline:
    """The deadline ``day`` seen on ``today`` (both days of Rome's calendar)."""

    day: dt.date
    today: dt.date

    @property
    def days_left(self) -> int:
        """Days until the deadline: 0 on the day itself, negative once it has passed."""
        return (self.day - self.today).days

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    def when(self) -> str:
        """``mancano 15 giorni``, ``scade oggi``, ``scaduta da 2 giorni``."""
        left = self.days_left
        if left > 0:
            return n_("{count} day left", "{count} days left", left).format(count=left)
        if left == 0:
            return _("ends today")
        return n_("passed {count} day ago", "passed {count} days ago", -left).format(count=-left)

    def sentence(self) -> str:
        """``Scadenza della valutazione: 20/12/2026 (mancano 15 giorni)``."""
        return _("Evaluation deadline: {date} ({when})").format(
            date=format_date(self.day), when=self.when()
        )


def evaluation_deadline(day: dt.date | None, today: dt.date | None) -> EvaluationDeadline | None:
    """The deadline seen today, or None when the call sets none."""
    if day is None or today is None:
        return None
    return EvaluationDeadline(day, today)
