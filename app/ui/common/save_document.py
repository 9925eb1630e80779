"""Saving a document the services make (the member's sheet, the published
ranking): a save dialog, a busy indicator while the worker writes it, then
one message saying where it went, or the service's refusal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from app.errors import VaglioError
from app.ui.common.failure import show_refusal
from app.ui.common.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace


class DocumentSaver(QObject):
    """Ask where to save, write on the worker, tell the result."""

    def __init__(
        self,
        window: Any,
        title: str,
        filters: str,
        *,
        write: Callable[[OpenWorkspace, Path], Any],
        describe: Callable[[Any], str],
        busy: str,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.title = title
        self.filters = filters
        self.write = write
        self.describe = describe
        self.busy = busy
        self.dialog: QFileDialog | None = None
        self.progress: QProgressDialog | None = None
        self.last_message: QMessageBox | None = None

    def ask(self, suggested: str) -> QFileDialog:
        """Open the save dialog (window-modal) with ``suggested`` as the file name."""
        # In the user's documents folder (or home), not wherever the program started.
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        dialog = QFileDialog(self.window, self.title, str(Path(folder) / suggested), self.filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        fit_to_screen(dialog, 760, 480, remember="save-document")
        dialog.fileSelected.connect(self.save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save(self, path: str) -> None:
        """Write to ``path`` on the worker, with a busy indicator meanwhile."""
        progress = QProgressDialog(self.busy, "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self.progress = progress
        self.window.ops.run(self, lambda ws: self.write(ws, Path(path)), self._done, self._failed)

    def _finish(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress = None

    def _done(self, result: Any) -> None:
        self._finish()
        box = QMessageBox(QMessageBox.Icon.Information, "Vaglio", self.describe(result),
                          parent=self.window)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if not isinstance(error, VaglioError):
            raise error
        self.last_message = show_refusal(self.window, error)
