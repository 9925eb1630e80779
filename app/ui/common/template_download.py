"""The *Download template…* button of the import dialogs.

It saves the file an importer reads (Italian headers and one example row,
:mod:`app.services.import_templates`) as XLSX or CSV, wherever the user
chooses; the worker writes it and the dialog is told where it went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from app.errors import VaglioError
from app.i18n import _
from app.ui.common.ops import Ops

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace

XLSX_FILTER = "XLSX (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"


def _what(kind: str) -> str:
    return {
        "proposals": _("one row per proposal"),
        "campaigns": _("one row per campaign"),
        "declarations": _("one row per proposal"),
    }[kind]


class TemplateDownload(QObject):
    """A button that saves the template of ``kind`` and tells where it went."""

    def __init__(
        self,
        parent: QWidget,
        ops: Ops,
        kind: str,
        tell: Callable[[str], None],
        call_id: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.ops = ops
        self.kind = kind
        self.tell = tell
        self.call_id = call_id
        self.dialog: QFileDialog | None = None
        self.saved: Path | None = None
        self.button = QPushButton(_("Download &template…"))
        self.button.setAutoDefault(False)
        self.button.setAccessibleName(_("Download a template of the file to import"))
        tip = _("An XLSX or CSV file with the columns to fill and one example row")
        self.button.setToolTip(tip)
        self.button.setStatusTip(tip)
        self.button.clicked.connect(self.ask)

    def ask(self) -> QFileDialog:
        """The save dialog, in the documents folder, with the template's name."""
        from app.services.import_templates import suggested_name

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        start = str(Path(folder) / suggested_name(self.kind, "xlsx"))
        dialog = QFileDialog(
            self.parent_widget, _("Save the template"), start, f"{XLSX_FILTER};;{CSV_FILTER}"
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.resize(760, 480)
        dialog.filterSelected.connect(self._filter_chosen)
        dialog.fileSelected.connect(self.save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _filter_chosen(self, chosen: str) -> None:
        """The name follows the chosen kind (modello-proposte.csv ↔ .xlsx)."""
        if self.dialog is None:
            return
        suffix = "csv" if chosen == CSV_FILTER else "xlsx"
        names = self.dialog.selectedFiles()
        stem = Path(names[0]).stem if names else Path(self.dialog.directory().path()).stem
        self.dialog.selectFile(f"{stem}.{suffix}")

    def save(self, path: str) -> None:
        """Write the template to ``path`` on the worker (.xlsx unless it ends in .csv)."""
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            chosen = self.dialog.selectedNameFilter() if self.dialog is not None else ""
            target = target.with_name(target.name + (".csv" if chosen == CSV_FILTER else ".xlsx"))
        kind, call_id = self.kind, self.call_id()

        def write(ws: OpenWorkspace) -> Path:
            from app.services.import_templates import import_template, save_template

            return save_template(import_template(ws, call_id, kind), target)

        self.button.setEnabled(False)
        self.ops.run(self, write, self._saved, self._failed)

    def _saved(self, path: Path) -> None:
        self.button.setEnabled(True)
        self.saved = path
        self.tell(
            _("Template saved as {path}: fill it in, {what}, then import it.").format(
                path=path, what=_what(self.kind)
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        if not isinstance(error, VaglioError):
            raise error
        self.tell(str(error))
