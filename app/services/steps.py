"""What every long use case shares (issue 16, item 4): a ``progress(text)``
callback the GUI and the CLI show, and a :class:`Cancel` flag another thread
sets. A use case checks the flag between two units of work (an attachment, a
bundle, a proposal, a page); when it is set, the use case undoes its unit in
progress (a rolled-back transaction, a temporary file removed) and raises
:class:`StepStoppedError`, so a stopped step leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.services.errors import ServiceError
from app.sync.engine import Cancel
from app.sync.errors import CancelledError

Progress = Callable[[str], None]

__all__ = ["Cancel", "CancelledError", "Progress", "StepStoppedError", "no_progress"]


def no_progress(_text: str) -> None:
    """The default ``progress``: nobody is watching."""


class StepStoppedError(ServiceError):
    """A long step stopped on request; ``outcome`` says what was kept."""

    def __init__(self, step: str, outcome: str | None = None) -> None:
        self.step = step
        super().__init__(
            _("{step} stopped: {outcome}").format(
                step=step, outcome=outcome or _("nothing was written.")
            )
        )
