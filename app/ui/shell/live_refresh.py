"""Live refresh: when another process (``vaglio`` on the command line, a
second window) changed the workspace, the open window shows it without a
lock and unlock.

Two triggers, one check. The window's activation (the person comes back
from the terminal) and a change of the database's files
(:class:`QFileSystemWatcher`, debounced) both read the workspace's change
marker on the worker (``app/services/outside_changes.py``). When it moved
since the last one this window knew, every screen is told that everything
may have changed (one :class:`Changes` with every flag set on
:attr:`Ops.changed`), and each reloads what it shows. The window's own
changes move the marker too: after each of them the marker is read again,
so that they never count as someone else's.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer, Signal

from app.services.changes import Changes

if TYPE_CHECKING:
    from pathlib import Path

    from app.services.outside_changes import ChangeMarker
    from app.services.unlocking import OpenWorkspace

DEBOUNCE_MS = 400  # a burst of writes (a whole import) is one refresh
EVERYTHING = Changes(**{f.name: True for f in fields(Changes)})


def read_marker(ws: OpenWorkspace) -> tuple[ChangeMarker, tuple[Path, ...]]:
    from app.services.outside_changes import change_marker, watched_files

    return change_marker(ws), watched_files(ws)


class LiveRefresh(QObject):
    """Watches one window's workspace for changes made elsewhere."""

    outside_change = Signal()  # after every screen was told
    checked = Signal()  # a check ran (for tests)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ops = window.ops
        self.marker: ChangeMarker | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _path: self.timer.start())
        self.ops.changed.connect(self._own_change)
        window.installEventFilter(self)

    def start(self) -> None:
        """Take the workspace as it is now as known (after an unlock)."""
        self.ops.run(self, read_marker, self._known, lambda _error: None)

    def stop(self) -> None:
        """Stop watching (before a lock)."""
        self.timer.stop()
        self.marker = None
        paths = self.watcher.files()
        if paths:
            self.watcher.removePaths(paths)

    def check(self) -> None:
        """Read the marker; if it moved since the last known one, refresh everything."""
        if self.marker is None or not self.ops.unlocked:
            return
        self.ops.run(self, read_marker, self._compare, lambda _error: None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def _own_change(self, changes: Changes) -> None:
        if changes is not EVERYTHING and self.marker is not None:
            self.ops.run(self, read_marker, self._known, lambda _error: None)

    def _known(self, result: tuple[ChangeMarker, tuple[Path, ...]]) -> None:
        if not self.ops.unlocked:
            return
        self.marker, paths = result
        self._watch(paths)

    def _compare(self, result: tuple[ChangeMarker, tuple[Path, ...]]) -> None:
        marker, paths = result
        self._watch(paths)  # the WAL comes back after a checkpoint removed it
        moved = self.marker is not None and marker != self.marker
        self.marker = marker
        if moved and self.ops.unlocked:
            self.ops.changed.emit(EVERYTHING)
            self.outside_change.emit()
        self.checked.emit()

    def _watch(self, paths: tuple[Path, ...]) -> None:
        known = set(self.watcher.files())
        wanted = [str(path) for path in paths if str(path) not in known and path.exists()]
        if wanted:
            self.watcher.addPaths(wanted)


def install(window: Any) -> LiveRefresh:
    """Live refresh for ``window``: started at each unlock, stopped at each lock."""
    live = LiveRefresh(window)
    window.unlocked.connect(live.start)
    window.live_refresh = live
    return live
