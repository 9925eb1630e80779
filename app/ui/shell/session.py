"""One running application on one workspace: the worker, the op runner, the window.

Changing the language rebuilds the window (every label is set when a widget
is built) and hands the unlocked workspace over to the new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.i18n import set_language
from app.services.preferences import remember_language
from app.ui.common.application import install_qt_translations
from app.ui.common.ops import Ops, WorkspaceState
from app.ui.common.worker import DbWorker
from app.ui.shell.main_window import MainWindow


class AppSession:
    """The objects that live as long as the application does."""

    def __init__(self, app: Any, home: Path, worker: DbWorker | None = None) -> None:
        self.app = app
        self.worker = worker or DbWorker()
        self.ops = Ops(self.worker, WorkspaceState(home))
        self.windows: list[MainWindow] = []

    @property
    def window(self) -> MainWindow:
        return self.windows[-1]

    def make_window(self) -> MainWindow:
        window = MainWindow(self.ops)
        window.language_changed.connect(self.change_language)
        self.windows.append(window)
        return window

    def change_language(self, language: str) -> None:
        """Switch every message, Qt's included, and rebuild the window in place."""
        set_language(language)
        install_qt_translations(self.app)
        remember_language(language)
        old = self.window
        old.hand_over_to(self.make_window())

    def close(self) -> None:
        """Lock the workspace on its thread and stop the worker."""
        self.ops.lock()
        self.worker.shutdown()
