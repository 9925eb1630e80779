"""The member's evaluation sheet as a spreadsheet: *Commissione → Esporta la
mia scheda di valutazione (XLSX)* and *Importa la mia scheda di valutazione*.

The import first shows what the file would change (every check of
``vaglio score import`` already passed, nothing written); *Importa* writes it
all at once. A refused file lists every problem, one per line, with the row
and the sheet's column, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import ProblemsError, VaglioError
from app.i18n import _
from app.ui.common.save_document import DocumentSaver
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import heading_label, note_label

if TYPE_CHECKING:
    from app.services.scores import ScoresImported, ScoresPreview
    from app.services.unlocking import OpenWorkspace

XLSX_FILTER = "XLSX (*.xlsx)"


def export_sheet(ws: OpenWorkspace, call_id: str, path: Path) -> Any:
    from app.services.sheet_workbook import export_sheet_workbook

    return export_sheet_workbook(ws, call_id, path)


def preview_sheet(ws: OpenWorkspace, call_id: str, path: Path) -> ScoresPreview:
    from app.services.sheet_workbook import preview_sheet_workbook

    return preview_sheet_workbook(ws, call_id, path)


def import_sheet(ws: OpenWorkspace, call_id: str, path: Path) -> ScoresImported:
    from app.services.sheet_workbook import import_sheet_workbook

    return import_sheet_workbook(ws, call_id, path)


def _describe_export(result: Any) -> str:
    return _(
        "Evaluation sheet written to {path}: {rows} rows for {proposals} proposals.\n"
        "Fill it in any spreadsheet, then import it back from the same menu."
    ).format(path=result.path, rows=result.rows, proposals=result.proposals)


class SheetImportDialog(QDialog):
    """Preview of a filled sheet, then the import; or every problem in it."""

    imported = Signal(object)  # the ScoresImported

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main = window
        self.path: Path | None = None
        self.call_id: str | None = None
        self.setWindowTitle(_("Import my evaluation sheet"))
        fit_to_screen(self, 960, 600)
        self.heading = heading_label(_("Import my evaluation sheet"))
        self.heading.setText(_("Import my evaluation sheet"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [_("Proposal"), _("Criterion"), _("Value"), _("Motivation")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Problems in the file"))
        self.note = note_label(
            _(
                "Nothing has been written yet. Import writes every change at once; "
                "a file with a problem is refused whole."
            )
        )
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.setToolTip(_("Choose a file without problems first."))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        self.import_button.clicked.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.summary, self.table, self.problems, self.note):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.problems.hide()

    def check(self, call_id: str, path: Path) -> None:
        """Run every check of the import on ``path`` (worker), then show the preview."""
        self.call_id, self.path = call_id, path
        self.summary.setText(_("Checking {file}…").format(file=path.name))
        self.import_button.setEnabled(False)
        self.main.ops.run(self, lambda ws: preview_sheet(ws, call_id, path),
                            self._previewed, self._refused)  # fmt: skip

    def _previewed(self, preview: ScoresPreview) -> None:
        from app.services.sheet_workbook import describe_change

        self.problems.hide()
        self.table.show()
        self.table.setRowCount(len(preview.changes))
        for row, change in enumerate(preview.changes):
            cells = (change.proposal, change.criterion, describe_change(change),
                     _("rewritten") if change.motivation_changed else _("as before"))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.summary.setText(
            _(
                "{file}. Scores that change: {changes}. Rows as you already recorded them: "
                "{same}. Declarations new or changed: {declarations}."
            ).format(
                file=preview.source,
                changes=len(preview.changes),
                same=preview.unchanged,
                declarations=preview.declarations,
            )
            + (
                "\n"
                + _("Scores already given that a declared conflict withdraws: {count}.").format(
                    count=preview.withdrawn
                )
                if preview.withdrawn
                else ""
            )
        )
        changes = bool(preview.changes or preview.declarations)
        self.import_button.setEnabled(changes)
        self.import_button.setToolTip(
            "" if changes else _("The file changes nothing: there is nothing to import.")
        )

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.table.hide()
        self.problems.clear()
        if isinstance(error, ProblemsError):
            self.summary.setText(error.summary)
            self.problems.addItems([f"{p.where}: {p.message}" for p in error.problems])
        else:
            self.summary.setText(str(error))
        self.problems.show()
        self.import_button.setEnabled(False)
        self.import_button.setToolTip(_("Correct the file and choose it again."))

    def _import(self) -> None:
        if self.path is None or self.call_id is None:
            return
        call_id, path = self.call_id, self.path
        self.import_button.setEnabled(False)
        self.main.ops.run(self, lambda ws: import_sheet(ws, call_id, path),
                            self._done, self._refused)  # fmt: skip

    def _done(self, result: ScoresImported) -> None:
        self.imported.emit(result)
        self.accept()


class SheetWorkbook:
    """The two actions of the member's menu and their dialogs."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.saver = DocumentSaver(
            window,
            _("Export my evaluation sheet"),
            XLSX_FILTER,
            write=lambda ws, path: export_sheet(ws, window.call_id, path),
            describe=_describe_export,
            busy=_("Writing the evaluation sheet…"),
        )
        self.file_dialog: QFileDialog | None = None
        self.dialog: SheetImportDialog | None = None
        self.export_action = QAction(_("E&xport my evaluation sheet (XLSX)…"), window)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.export_action.setStatusTip(
            _("A spreadsheet with a row per proposal and criterion, to fill in and import back.")
        )
        self.export_action.triggered.connect(self.export)
        self.import_action = QAction(_("I&mport my evaluation sheet…"), window)
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.import_action.setStatusTip(
            _("Check a filled sheet, see what it changes, then import it all at once.")
        )
        self.import_action.triggered.connect(self.choose)

    def export(self) -> None:
        if self.window.call_id:
            self.saver.ask(f"scheda-di-valutazione-{self.window.call_id}.xlsx")

    def choose(self) -> None:
        """Ask for the filled sheet, then preview it."""
        if not self.window.call_id:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self.window, _("Import my evaluation sheet"), folder, XLSX_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        fit_to_screen(dialog, 760, 480, remember="open-document")
        dialog.fileSelected.connect(lambda path: self.preview(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def preview(self, path: Path) -> SheetImportDialog:
        """The preview of ``path`` for the current call."""
        dialog = SheetImportDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._imported)
        self.dialog = dialog
        dialog.check(self.window.call_id, path)
        dialog.open()
        return dialog

    def _imported(self, result: ScoresImported) -> None:
        self.window.reload()
        desk, current = self.window.desk, self.window.current_proposal
        if desk is not None and current:
            desk.show_proposal(current)
        self.window.statusBar().showMessage(
            _(
                "Evaluation sheet imported. Scores recorded: {scores}; proposals: {proposals}."
            ).format(scores=result.scores, proposals=result.proposals),
            8000,
        )


def install(window: Any) -> SheetWorkbook:
    """Add the export and the import of the sheet to the member's menu of ``window``."""
    workbook = SheetWorkbook(window)
    window.member_menu.addAction(workbook.export_action)
    window.member_menu.addAction(workbook.import_action)
    window.sheet_workbook = workbook
    return workbook
