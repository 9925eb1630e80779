"""Importing proposals: choose the file and the attachments folder, see what
would be imported and every problem, then import (all or nothing).

Nothing is written until the Import button, which is enabled only for a file
without problems; what is imported is exactly the plan on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_money, n_
from app.services.errors import ImportRefusedError
from app.ui.common.long_step import LongStepDialog, ProgressRelay
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.template_download import TemplateDownload
from app.ui.common.widgets import (
    ERROR_STYLE,
    ProblemList,
    error_label,
    explain,
    note_label,
    read_only_item,
)

if TYPE_CHECKING:
    from app.services.proposal_import import ImportPlan, ImportResult
    from app.services.steps import Cancel, Progress
    from app.services.unlocking import OpenWorkspace

INADMISSIBLE = "#8a1c1c"


@dataclass(frozen=True)
class PreviewRow:
    row: int
    code: str
    title: str
    applicant: str
    neighbourhood: str
    total_cost: Decimal
    requested: Decimal
    attachments: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    plan: ImportPlan
    rows: tuple[PreviewRow, ...]
    problems: tuple[tuple[str, str], ...]


def make_preview(plan: ImportPlan) -> Preview:
    """The plan as lines to show (runs on the worker: reasons are put into words there)."""
    from app.services.reason_sentences import describe_reason

    rows = tuple(
        PreviewRow(
            row=p.row,
            code=p.code,
            title=str(p.fields["title"]),
            applicant=str(p.fields["applicant"]),
            neighbourhood=str(p.fields["neighbourhood"]),
            total_cost=p.fields["total_cost"],
            requested=p.fields["requested_contribution"],
            attachments=tuple(a.filename for a in p.attachments),
            reasons=tuple(describe_reason(r) for r in p.inadmissible_reasons),
        )
        for p in plan.proposals
    )
    return Preview(plan, rows, tuple((p.where, p.message) for p in plan.problems))


class ImportDialog(QDialog):
    """The preview of an import, and the import itself."""

    imported = Signal(object)  # ImportResult
    preview_ready = Signal()

    def __init__(self, ops: Ops, call_id: str, parent: Any = None):
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.preview: Preview | None = None
        self._generation = 0
        self._checked: tuple[str, str] | None = None
        self.setWindowTitle(_("Import proposals into {call_id}").format(call_id=call_id))
        fit_to_screen(self, 1180, 680)

        self.path = QLineEdit()
        self.path.setAccessibleName(_("Proposals file"))
        self.path.setPlaceholderText(_("A CSV or XLSX file, one proposal per row"))
        self.path.editingFinished.connect(self._edited)
        self.folder = QLineEdit()
        self.folder.setAccessibleName(_("Attachments folder"))
        self.folder.setPlaceholderText(_("The folder holding the PDFs the file names"))
        self.folder.editingFinished.connect(self._edited)
        path_label = QLabel(_("&File (CSV or XLSX):"))
        path_label.setBuddy(self.path)
        folder_label = QLabel(_("Attachments fol&der:"))
        folder_label.setBuddy(self.folder)
        self.browse_file_button = QPushButton(_("&Browse…"))
        self.browse_file_button.setAccessibleName(_("Choose the proposals file"))
        self.browse_file_button.clicked.connect(self.browse_file)
        self.browse_folder_button = QPushButton(_("Bro&wse…"))
        self.browse_folder_button.setAccessibleName(_("Choose the attachments folder"))
        self.browse_folder_button.clicked.connect(self.browse_folder)
        self.check_button = QPushButton(_("Check a&gain"))
        self.check_button.setToolTip(_("Read the file again, after correcting it"))
        self.check_button.clicked.connect(self.check)
        chooser = QGridLayout()
        chooser.addWidget(path_label, 0, 0)
        chooser.addWidget(self.path, 0, 1)
        chooser.addWidget(self.browse_file_button, 0, 2)
        chooser.addWidget(folder_label, 1, 0)
        chooser.addWidget(self.folder, 1, 1)
        chooser.addWidget(self.browse_folder_button, 1, 2)
        chooser.addWidget(self.check_button, 1, 3)
        self.template = TemplateDownload(self, ops, "proposals", self.summary_text, lambda: call_id)
        chooser.addWidget(self.template.button, 0, 3)
        chooser.setColumnStretch(1, 1)

        self.summary = QLabel(
            _("Choose the file to import: nothing is written before you confirm.")
        )
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Summary of the import"))
        self.headers = [
            _("Row"),
            _("Id"),
            _("Title"),
            _("Applicant"),
            _("Neighbourhood"),
            _("Total cost"),
            _("Requested"),
            _("Attachments"),
            _("Admissibility"),
        ]
        self.table = QTableWidget(0, len(self.headers))
        self.table.setAccessibleName(_("Proposals that would be imported"))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        for column, width in enumerate((45, 60, 190, 170, 110, 95, 95, 130)):
            self.table.setColumnWidth(column, width)
        self.table_label = table_label = QLabel(_("&Proposals in the file:"))
        table_label.setBuddy(self.table)
        self.problems = ProblemList("")
        self.problems.setVisible(False)
        self.error = error_label()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.setDefault(False)
        self.import_button.setAutoDefault(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.import_plan)
        self.buttons.rejected.connect(self.reject)

        upper = QVBoxLayout()
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addWidget(table_label)
        upper.addWidget(self.table, 1)
        top = QWidget()
        top.setLayout(upper)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.problems)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(
            note_label(
                _(
                    "Columns: codice, titolo, proponente, codice_fiscale, "
                    "legale_rappresentante, quartiere, area_tematica, costo_totale, "
                    "contributo_richiesto; optional: partner, sintesi, allegati (PDF names "
                    "separated by ';'), protocollo, presentata_il. The English names (id, "
                    "title, total_cost…) work too. The template has every column and an "
                    "example row."
                )
            )
        )
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.file_dialog: QFileDialog | None = None
        self.folder_dialog: QFileDialog | None = None
        self.step: LongStepDialog | None = None
        # While a check runs: which proposal it is at, in the summary line.
        self.checking = False
        self.relay = ProgressRelay(self)
        self.relay.text.connect(self._checking)

    def summary_text(self, text: str) -> None:
        self.summary.setText(text)

    # -- choosing --------------------------------------------------------------

    def browse_file(self) -> None:
        start = str(Path(self.path.text()).parent) if self.path.text() else str(Path.home())
        dialog = QFileDialog(self, _("Choose the proposals file"), start)
        dialog.setNameFilters([_("Proposals (*.csv *.xlsx)"), _("All files (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.set_source(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def browse_folder(self) -> None:
        start = self.folder.text() or (
            str(Path(self.path.text()).parent) if self.path.text() else ""
        )
        dialog = QFileDialog(self, _("Choose the attachments folder"), start)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.set_source(None, Path(path)))
        self.folder_dialog = dialog
        dialog.open()

    def set_source(self, path: Path | None, folder: Path | None = None) -> None:
        """Use ``path`` and/or ``folder`` (the file's own folder by default), then check."""
        if path is not None:
            self.path.setText(str(path))
            if folder is None and not self.folder.text():
                folder = path.parent
        if folder is not None:
            self.folder.setText(str(folder))
        self.check()

    # -- the preview -------------------------------------------------------------

    def _edited(self) -> None:
        if self._checked != (self.path.text().strip(), self.folder.text().strip()):
            self.check()

    def check(self) -> None:
        """Read and check the file on the worker; writes nothing."""
        text = self.path.text().strip()
        self._checked = (text, self.folder.text().strip())
        self._show(None)
        if not text:
            return
        self._generation += 1
        generation = self._generation
        path = Path(text)
        folder = Path(self.folder.text().strip()) if self.folder.text().strip() else None
        call_id = self.call_id
        self.summary.setText(_("Reading {name}…").format(name=path.name))
        self.checking = True
        emit = self.relay.text.emit

        def plan(ws: OpenWorkspace) -> Preview:
            from app.services.proposal_import import plan_import

            return make_preview(plan_import(ws, call_id, path, folder, progress=emit))

        self.ops.run(
            self,
            plan,
            lambda preview: self._previewed(generation, preview),
            lambda error: self._failed(generation, error),
        )

    def _checking(self, text: str) -> None:
        if self.checking:
            self.summary.setText(text)

    def _previewed(self, generation: int, preview: Preview) -> None:
        if generation == self._generation:
            self.checking = False
            self._show(preview)
            self.preview_ready.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.checking = False
            self.summary.setText(_("The file could not be read: nothing will be imported."))
            explain(self.error, error)
            self.preview_ready.emit()

    def _show(self, preview: Preview | None) -> None:
        self.preview = preview
        self.error.setVisible(False)
        self.table.setRowCount(0)
        self.table_label.setText(_("&Proposals in the file:"))
        self.problems.show_problems("", [])
        self.import_button.setEnabled(False)
        self.import_button.setText(_("&Import"))
        if preview is None:
            return
        for line in preview.rows:
            self._add_row(line)
        self.table.resizeRowsToContents()
        count, problems = len(preview.rows), len(preview.problems)
        inadmissible = sum(1 for line in preview.rows if line.reasons)
        if problems:
            self.summary.setText(
                n_(
                    "The file has {count} problem: nothing will be imported. Correct the file, "
                    "then check again.",
                    "The file has {count} problems: nothing will be imported. Correct the file, "
                    "then check again.",
                    problems,
                ).format(count=problems)
            )
            self.summary.setStyleSheet(ERROR_STYLE)
            self.table_label.setText(
                _("Rows without &problems (not imported until the whole file is correct):")
            )
            self.problems.show_problems(
                n_(
                    "{count} problem (row and column of the file):",
                    "{count} problems (row and column of the file):",
                    problems,
                ).format(count=problems),
                list(preview.problems),
            )
            return
        self.summary.setStyleSheet("")
        self.table_label.setText(_("&Proposals that will be imported:"))
        self.summary.setText(
            n_(
                "{count} proposal ready to import (not admissible: {inadmissible}). "
                "Nothing has been written yet.",
                "{count} proposals ready to import (not admissible: {inadmissible}). "
                "Nothing has been written yet.",
                count,
            ).format(count=count, inadmissible=inadmissible)
        )
        self.import_button.setText(
            n_("&Import {count} proposal", "&Import {count} proposals", count).format(count=count)
        )
        self.import_button.setEnabled(preview.plan.ok and count > 0)

    def _add_row(self, line: PreviewRow) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        if line.reasons:
            status = _("Not admissible: {reasons}").format(reasons="; ".join(line.reasons))
        else:
            status = _("Admissible")
        values = [
            str(line.row),
            line.code,
            line.title,
            line.applicant,
            line.neighbourhood,
            format_money(line.total_cost),
            format_money(line.requested),
            ", ".join(line.attachments),
            status,
        ]
        for column, text in enumerate(values):
            item = read_only_item(text, text)
            if column in (0, 5, 6):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if line.reasons:
                item.setForeground(QBrush(QColor(INADMISSIBLE)))
            self.table.setItem(row, column, item)

    # -- importing -------------------------------------------------------------

    def import_plan(self) -> None:
        """Write the previewed plan, in one transaction, in a dialog that shows
        which proposal it is at and whose *Interrompi* rolls it all back."""
        if self.preview is None or not self.preview.plan.ok:
            return
        plan = self.preview.plan
        self.import_button.setEnabled(False)
        self.error.setVisible(False)

        def apply(ws: OpenWorkspace, progress: Progress, cancel: Cancel) -> ImportResult:
            from app.services.proposal_import import apply_import

            return apply_import(ws, plan, progress=progress, cancel=cancel)

        count = len(plan.proposals)
        self.step = LongStepDialog(
            self,
            self.windowTitle(),
            n_(
                "Importing {count} proposal: all or nothing.",
                "Importing {count} proposals: all or nothing.",
                count,
            ).format(count=count),
        )
        self.step.start(self.ops, apply, self._imported, self._refused)

    def _imported(self, result: ImportResult) -> None:
        self.imported.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, ImportRefusedError):
            self.preview = None
            self.problems.show_problems(
                _("The import was refused, nothing was written:"),
                [(p.where, p.message) for p in error.problems],
            )
            return
        explain(self.error, error)
        self.import_button.setEnabled(self.preview is not None)
