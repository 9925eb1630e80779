"""What a long report tells while it is made, and where it can be stopped
(issue 16, item 4): the minutes' layout page by page, the signature phase by
phase. The services pass a ``progress(text)`` callback and a ``check()``
that raises to stop; this layer knows nothing else of them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from app.i18n import _, format_decimal

Report = Callable[[str], None]
Check = Callable[[], None]

# How often a page is reported: enough to move at 300 pages a second.
PAGE_EVERY = 5
NUMBER_EVERY = 100


def _quiet(_text: str) -> None:
    """Nobody is watching."""


def _never() -> None:
    """Nobody can stop it."""


def _count(number: int) -> str:
    return format_decimal(Decimal(number), 0)


class LayoutWatch:
    """The minutes' layout as it goes: the proposal the story has reached and
    each page laid out (a Stop is heard at both), then the pages numbered."""

    def __init__(self, progress: Report | None = None, check: Check | None = None) -> None:
        self.progress = progress or _quiet
        self.check = check or _never
        self.proposal = 0
        self.proposals = 0

    def phase(self, text: str) -> None:
        self.check()
        self.progress(text)

    def reached_proposal(self, index: int, total: int) -> None:
        """The story takes the tables of proposal ``index`` of ``total``."""
        self.check()
        self.proposal, self.proposals = index, total

    def page_done(self, page: int) -> None:
        """Page ``page`` is laid out."""
        self.check()
        if page != 1 and page % PAGE_EVERY:
            return
        if 0 < self.proposal < self.proposals:
            text = _("Page {page} (proposal {index} of {total})…").format(
                page=_count(page), index=_count(self.proposal), total=_count(self.proposals)
            )
        else:
            text = _("Page {page}…").format(page=_count(page))
        self.progress(text)

    def numbering(self, page: int, pages: int) -> None:
        """The footer ("Pagina X di Y") of ``page`` is being drawn."""
        self.check()
        if page in (1, pages) or page % NUMBER_EVERY == 0:
            self.progress(
                _("Numbering the pages: {page} of {pages}…").format(
                    page=_count(page), pages=_count(pages)
                )
            )


class SigningWatch:
    """A signature's phases: a Stop is heard as each begins (so a phase
    announced while Stop was pressed does not run), and before the time-stamp
    server is asked; not inside pyHanko's signing call."""

    def __init__(self, progress: Report | None = None, check: Check | None = None) -> None:
        self.progress = progress or _quiet
        self.check = check or _never

    def phase(self, text: str) -> None:
        self.progress(text)
        self.check()
