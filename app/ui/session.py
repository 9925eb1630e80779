"""One running application on one workspace: the worker, the backend, the window.

Changing the language rebuilds the window (every label is set when a widget
is built) and hands the unlocked workspace over to the new one.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from app.i18n import set_language
from app.store import preferences
from app.ui.application import install_qt_translations
from app.ui.backend import Backend
from app.ui.main_window import MainWindow
from app.ui.worker import DbWorker


class AppSession:
    """The objects that live as long as the application does."""

    def __init__(self, app: Any, home: Path, worker: DbWorker | None = None) -> None:
        self.app = app
        self.worker = worker or DbWorker()
        self.backend = Backend(home)
        self.windows: list[MainWindow] = []

    @property
    def window(self) -> MainWindow:
        return self.windows[-1]

    def make_window(self) -> MainWindow:
        window = MainWindow(self.backend, self.worker)
        window.language_changed.connect(self.change_language)
        self.windows.append(window)
        return window

    def change_language(self, language: str) -> None:
        """Switch every message, Qt's included, and rebuild the window in place."""
        set_language(language)
        install_qt_translations(self.app)
        prefs = preferences.load()
        prefs.language = language
        with contextlib.suppress(OSError):
            preferences.save(prefs)
        old = self.window
        old.hand_over_to(self.make_window())

    def close(self) -> None:
        """Lock the workspace on its thread and stop the worker."""
        self.worker.submit(self.backend.lock)
        self.worker.shutdown()
