"""A cold start's head start: the proposals read while the window is built.

Unlocking from the keyring, :func:`app.gui.run_gui` starts the database worker
before it imports the window and asks it for the first rows
(:mod:`app.services.first_rows`, which needs no database layer). The window,
once built, takes them when they arrive, and the unlock (whose import of the
database layer would compete with the first paint for the interpreter) is
queued only after they are listed, or at once when there are none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.common.worker import DbWorker

if TYPE_CHECKING:
    from app.services.first_rows import FirstRows

Taker = Callable[["FirstRows | None"], None]


def read_first_rows(home: Path) -> FirstRows | None:
    from app.services.first_rows import first_rows

    return first_rows(home)


class HeadStart:
    """The first rows on their way: handed to whoever takes them, once."""

    def __init__(self, worker: DbWorker, home: Path) -> None:
        self._arrived = False
        self._found: FirstRows | None = None
        self._taker: Taker | None = None
        worker.submit(lambda: read_first_rows(home), self._done, self._failed)

    def _done(self, found: FirstRows | None) -> None:
        self._arrived, self._found = True, found
        self._hand_over()

    def _failed(self, _error: BaseException) -> None:
        self._done(None)  # the unlock meets the same problem and says it

    def hand_to(self, taker: Taker) -> None:
        """Call ``taker(found)`` when the rows arrive (now, if they have)."""
        self._taker = taker
        self._hand_over()

    def _hand_over(self) -> None:
        if self._arrived and self._taker is not None:
            taker, self._taker = self._taker, None
            found, self._found = self._found, None
            taker(found)
