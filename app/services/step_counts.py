"""Counting the units of a long step (issue 16, item 4): each unit checks the
Stop flag, and the count is shown often enough to move, never so often that
showing it costs more than the work (about 200 updates whatever the total:
every unit of the demo's 40 proposals, every 50th of a regional call's
10,000)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from app.i18n import format_decimal
from app.services.steps import Cancel, Progress

UPDATES = 200


def count_text(number: int) -> str:
    """``4000`` as people read it: ``4.000`` in Italian."""
    return format_decimal(Decimal(number), 0)


class UnitCounter:
    """``counter(index)`` for each unit, from 1: the Stop flag is checked at
    every unit, and ``text(index, total)`` is shown at the first, the last and
    every ``total // 200``-th."""

    def __init__(
        self,
        progress: Progress,
        cancel: Cancel,
        total: int,
        text: Callable[[str, str], str],
    ) -> None:
        self.progress = progress
        self.cancel = cancel
        self.total = total
        self.text = text
        self.every = max(1, total // UPDATES)

    def __call__(self, index: int, _total: int | None = None) -> None:
        self.cancel.check()
        if index in (1, self.total) or index % self.every == 0:
            self.progress(self.text(count_text(index), count_text(self.total)))
