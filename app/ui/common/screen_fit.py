"""Windows that fit the screen they open on, and remember how they were left.

A laptop at 1366×768 leaves about 1366×728 to windows once the panel is
drawn. Each window asks for its usual size through :func:`fit_to_screen`,
which clamps it to the screen's available area (less the frame the window
manager adds), then restores the size (and, for a top-level window, the
place) the user left it at last time, clamped again: a screen can be smaller
today than the one the size was remembered on. Splitters keep their sizes and
orientation through :func:`keep_splitter`. The numbers live in the user's
preferences (app/services/preferences.py), never in a workspace.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

from app.services.preferences import remember_layout, remembered_layout

# What a window manager adds around a window: borders and the title bar.
FRAME_ALLOWANCE = QSize(16, 40)
# The screen the windows are designed for: 1366×768 less a 40-pixel panel.
TARGET = QSize(1366, 728)
SPLITTER_SAVE_DELAY_MS = 400


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the screen (``widget``'s, or the primary) windows may use."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all: the design target
        return QRect(0, 0, TARGET.width(), TARGET.height())
    return screen.availableGeometry()


def clamped_size(width: int, height: int, area: QRect) -> QSize:
    """``width``×``height`` made small enough for a window and its frame in ``area``."""
    return QSize(
        max(1, min(width, area.width() - FRAME_ALLOWANCE.width())),
        max(1, min(height, area.height() - FRAME_ALLOWANCE.height())),
    )


def fit_to_screen(widget: QWidget, width: int, height: int, *, remember: str | None = "") -> None:
    """Give ``widget`` the size ``width``×``height``, or the screen's if smaller.

    ``remember`` is the key its geometry is kept under (the class name by
    default; ``None`` keeps nothing): the size it was left at is restored, and
    the place too for a window without a parent (a dialog opens over its
    parent, as usual), both clamped to today's screen.
    """
    area = available_area(widget)
    widget.resize(clamped_size(width, height, area))
    key = type(widget).__name__ if remember == "" else remember
    if not key:
        return
    stored = remembered_layout(f"window/{key}")
    if stored is not None and len(stored) == 4:
        x, y, w, h = stored
        size = clamped_size(max(w, widget.minimumWidth()), max(h, widget.minimumHeight()), area)
        widget.resize(size)
        if widget.parentWidget() is None:
            left = min(
                max(x, area.left()), area.right() + 1 - size.width() - FRAME_ALLOWANCE.width()
            )
            top = min(
                max(y, area.top()), area.bottom() + 1 - size.height() - FRAME_ALLOWANCE.height()
            )
            widget.move(max(left, area.left()), max(top, area.top()))
    _GeometryKeeper(widget, f"window/{key}", stored)


def keep_geometry(widget: QWidget, key: str = "") -> None:
    """For a dialog sized by its content: when it is shown, the size the user
    left it at (never below what its content needs, never beyond the screen),
    and the size kept again when it closes."""
    name = key or type(widget).__name__
    _GeometryKeeper(widget, f"window/{name}", remembered_layout(f"window/{name}"), on_show=True)


class _GeometryKeeper(QObject):
    """Writes a window's geometry to the preferences when it is hidden or closed
    (and, ``on_show``, restores the remembered size the first time it is shown)."""

    def __init__(
        self, widget: QWidget, key: str, stored: list[int] | None, *, on_show: bool = False
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.key = key
        self.last = stored
        self.restore = on_show and stored is not None and len(stored) == 4
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not getattr(self, "widget", None):  # (events before __init__ ends)
            return False
        if event.type() == QEvent.Type.Show and self.restore and self.last:
            self.restore = False
            needed = self.widget.minimumSizeHint()
            area = available_area(self.widget)
            width, height = self.last[2], self.last[3]
            self.widget.resize(
                clamped_size(max(width, needed.width()), max(height, needed.height()), area)
            )
        elif event.type() in (QEvent.Type.Hide, QEvent.Type.Close):
            self.save()
        return False

    def save(self) -> None:
        if self.widget.isMaximized() or self.widget.isFullScreen():
            return  # the normal geometry stays what it was
        # The place of the frame (what move() sets), the size of the inside (resize()).
        place, rect = self.widget.pos(), self.widget.geometry()
        numbers = [place.x(), place.y(), rect.width(), rect.height()]
        if numbers != self.last:
            self.last = numbers
            remember_layout(self.key, numbers)


def keep_splitter(splitter: QSplitter, key: str) -> None:
    """Restore ``splitter``'s orientation and sizes kept under ``key``, and keep
    them whenever the user moves the handle or turns it."""
    stored = remembered_layout(f"splitter/{key}")
    if stored and len(stored) == splitter.count() + 1:
        orientation, *sizes = stored
        splitter.setOrientation(
            Qt.Orientation.Vertical if orientation == 2 else Qt.Orientation.Horizontal
        )
        if all(size > 0 for size in sizes):  # a part left at 0 was hidden, not chosen
            splitter.setSizes(sizes)
    _SplitterKeeper(splitter, f"splitter/{key}")


def splitter_layout(splitter: QSplitter) -> list[int]:
    """What :func:`keep_splitter` stores: 1 (side by side) or 2 (stacked), then the sizes."""
    vertical = splitter.orientation() == Qt.Orientation.Vertical
    return [2 if vertical else 1, *splitter.sizes()]


class _SplitterKeeper(QObject):
    def __init__(self, splitter: QSplitter, key: str) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.key = key
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SPLITTER_SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        splitter.splitterMoved.connect(lambda *_args: self.timer.start())
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is getattr(self, "splitter", None) and event.type() == QEvent.Type.Hide:
            self.save()
        return False

    def save(self) -> None:
        self.timer.stop()
        if all(self.splitter.sizes()):
            remember_layout(self.key, splitter_layout(self.splitter))


def save_splitter(splitter: QSplitter) -> None:
    """Keep ``splitter``'s layout now (after turning it, say)."""
    for keeper in splitter.findChildren(
        _SplitterKeeper, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        keeper.save()


def fits(widget: Any, area: QSize = TARGET) -> bool:
    """Whether ``widget``'s frame fits in ``area`` (the design target by default)."""
    frame = widget.frameGeometry()
    return bool(frame.width() <= area.width() and frame.height() <= area.height())
