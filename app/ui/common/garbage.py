"""Python's cycle collector runs on the GUI thread, between two events.

Left to itself it runs wherever an allocation crosses its threshold: on the
database worker's thread, or on the GUI thread in the middle of delivering an
event, and finalising a Qt object there can crash the process (seen as a
segmentation fault in the idle watcher's event filter, "Garbage-collecting").
As Anki does (aqt/main.py, "GC"), the automatic collection is turned off and
a timer of the GUI thread collects instead: the young generations often and
cheaply, everything now and then. Reference counting still frees everything
that is not in a cycle at once.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 2_000
FULL_EVERY = 150  # young collections: a full one every five minutes


class GarbageCollector(QObject):
    """Owns the timer; ``collect`` also runs after a long step (it is cheap)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(YOUNG_EVERY_MS)

    def collect(self) -> None:
        self.ticks += 1
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else 1)
