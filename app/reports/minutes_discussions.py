"""What the minutes say about each dispersion flag: exactly what the
secretariat recorded of the commission's discussion, or that it was flagged
and not discussed. No sentence here states anything but a record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.i18n import _, format_date


@dataclass(frozen=True)
class Discussion:
    """One recorded discussion of a dispersion flag (proposal, criterion)."""

    proposal: str  # the proposal's code
    criterion: str  # the criterion's key
    sitting: int  # the sitting's number in the minutes (1, 2…)
    held_on: dt.date
    outcome: str  # "confirmed" or "revised"
    note: str
    sitting_id: int = 0  # the sitting's record (``vaglio sittings`` lists it as "no.")


def flag_sentence(title: str, discussions: Sequence[Discussion]) -> str:
    """The minutes' line for the flag on criterion ``title``: each recorded
    discussion in order, or "flagged, not discussed"."""
    if not discussions:
        return _("⚑ {criterion} — spread among the values: flagged, not discussed.").format(
            criterion=title
        )
    parts = []
    for d in discussions:
        if d.outcome == "revised":
            text = _("in the sitting of {day} (no. {number}), a member revised their value: {note}")
        else:
            text = _(
                "in the sitting of {day} (no. {number}), the Commission confirmed the values: "
                "{note}"
            )
        parts.append(text.format(day=format_date(d.held_on), number=d.sitting, note=d.note))
    return _("⚑ {criterion} — spread among the values: {what}").format(
        criterion=title, what="; ".join(parts)
    )
