"""The order of submission of a proposal, as the proposals file gives it.

Two optional columns of the proposals import: ``protocol`` (the protocol
number the authority registered the proposal under: a whole number, 1 or
more) and ``submitted_at`` (when it was submitted: ``2020-07-10 12:34``,
``2020-07-10T12:34:56+02:00`` or ``10/07/2020 12:34``; without an offset, the
time in Rome). A call whose tie cascade names ``submission_order`` needs both
on every row; otherwise they may be left blank. Each bad value is a problem
with its row and column, and the file is refused whole.
"""

from __future__ import annotations

import datetime as dt
import re

from app.clock import rome
from app.errors import echo
from app.i18n import _

PROTOCOL = re.compile(r"[0-9]{1,12}\Z")
_ITALIAN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\Z")


class SubmissionValueError(ValueError):
    """A value the column cannot hold, with the sentence for the row's problem."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def read_protocol(text: str) -> int:
    """A protocol number (whole, 1 or more), or :class:`SubmissionValueError`."""
    value = text.strip()
    if not PROTOCOL.match(value) or int(value) < 1:
        raise SubmissionValueError(
            _("a protocol number is a whole number, 1 or more: {value}").format(value=echo(value))
        )
    return int(value)


def read_submitted_at(text: str) -> dt.datetime:
    """A moment of submission (aware, UTC), or :class:`SubmissionValueError`."""
    value = text.strip()
    moment: dt.datetime | None = None
    italian = _ITALIAN.match(value)
    try:
        if italian:
            day, month, year, hour, minute, second = italian.groups()
            moment = dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                tzinfo=rome(),
            )  # fmt: skip
        elif len(value) > 10:  # a date alone is not a moment
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None:
        raise SubmissionValueError(
            _(
                "not a date and time of submission (e.g. 2020-07-10 12:34 or 10/07/2020 12:34): "
                "{value}"
            ).format(value=echo(value))
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=rome())
    return moment.astimezone(dt.UTC)
