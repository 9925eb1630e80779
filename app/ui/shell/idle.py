"""Lock on idle: no key, mouse or wheel event for the chosen minutes locks the
workspace (0 minutes: never)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after a stretch without user input."""

    idle = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.minutes = 0

    def start(self, minutes: int) -> None:
        """Watch for ``minutes`` of inactivity (0 stops watching)."""
        self.minutes = minutes
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if minutes > 0:
                app.installEventFilter(self)
        self._restart()

    def stop(self) -> None:
        self.start(0)

    def _restart(self) -> None:
        if self.minutes > 0:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.minutes > 0:
            self._restart()
        return False
