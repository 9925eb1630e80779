"""Progress of a long command: one line on standard error, rewritten in place,
when standard error is a terminal; nothing at all otherwise, so scripts and
logs get only the results (issue 16, item 4)."""

from __future__ import annotations

import shutil
import sys
from types import TracebackType
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"


class ProgressLine:
    """A ``progress(text)`` callback for the services; a context manager that
    clears the line when the step ends, however it ends."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.live = self.stream.isatty()
        except (AttributeError, ValueError):
            self.live = False
        self.shown = False

    def __call__(self, text: str) -> None:
        if not self.live:
            return
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
        line = " ".join(text.split())  # one line, whatever the text holds
        self.stream.write(CLEAR_LINE + line[:width])
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.clear()
