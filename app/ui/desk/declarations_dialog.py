"""The member's declarations on one page (Scambio → Le mie dichiarazioni),
to review before submitting: every proposal with none yet, no conflict, or a
conflict with its category and reason, and whether each still says what the
last bundle sent. A file of declarations (``proposal,conflict,category,
reason``) can be imported from here, all or nothing, as ``vaglio declare
--from`` does. Enter on a line opens that proposal on the desk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.errors import ProblemsError, VaglioError
from app.i18n import _, format_datetime
from app.labels import category_label
from app.services.declaration_views import (
    AS_SENT,
    CHANGED,
    CONFLICT,
    NO_CONFLICT,
    UNDECLARED,
    DeclarationRow,
    DeclarationsView,
)
from app.ui.common.failure import report
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.table_model import Column, FilteredTableModel
from app.ui.common.template_download import TemplateDownload
from app.ui.common.widgets import error_label, heading_label, note_label, text_label

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.unlocking import OpenWorkspace

ROW_HEIGHT = 26
TITLE_WIDTH = 300
REASON_WIDTH = 360


def load_declarations(ws: OpenWorkspace, call_id: str) -> DeclarationsView:
    from app.services.declaration_review import declarations_view

    return declarations_view(ws, call_id)


def import_file(ws: OpenWorkspace, call_id: str, path: Path) -> tuple[Any, DeclarationsView]:
    from app.services.declaration_import import import_declarations
    from app.services.declaration_review import declarations_view

    return import_declarations(ws, call_id, path), declarations_view(ws, call_id)


def declaration_text(row: DeclarationRow) -> str:
    if row.state == UNDECLARED:
        return _("⚠ not declared yet") if row.admissible else _("not declared (not admissible)")
    if row.state == NO_CONFLICT:
        return _("no conflict")
    return _("CONFLICT: {category}").format(category=category_label(row.category))


def sent_text(row: DeclarationRow) -> str:
    return {
        AS_SENT: _("as sent"),
        CHANGED: _("changed since sent"),
    }.get(row.sent, _("not sent yet"))


def declaration_columns() -> list[Column[DeclarationRow]]:
    order = {UNDECLARED: 0, CONFLICT: 1, NO_CONFLICT: 2}
    return [
        Column(_("Proposal"), lambda r: r.proposal, lambda r: r.proposal),
        Column(_("Title"), lambda r: r.title, lambda r: r.title.casefold(),
               tooltip=lambda r: f"{r.title}\n{r.applicant}"),
        Column(_("Declaration"), declaration_text, lambda r: (order[r.state], r.proposal)),
        Column(_("Reason"), lambda r: r.reason, lambda r: r.reason.casefold(),
               tooltip=lambda r: r.reason),
        Column(_("Declared on"),
               lambda r: format_datetime(r.declared_at) if r.declared_at else "",
               lambda r: (r.declared_at is None, r.declared_at.isoformat() if r.declared_at
                          else "")),
        Column(_("Against the last bundle"), sent_text, lambda r: (r.sent, r.proposal)),
    ]  # fmt: skip


class DeclarationsDialog(QDialog):
    """Every proposal with this member's declaration."""

    loaded = Signal()
    open_requested = Signal(str)  # a proposal id, to open on the desk
    submit_requested = Signal()
    imported = Signal()  # a file changed the declarations: the desk shows them

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id: str | None = None
        self.view: DeclarationsView | None = None
        self.file_dialog: QFileDialog | None = None
        self.refusal: Any = None
        self.setWindowTitle(_("My declarations"))
        fit_to_screen(self, 1200, 600)

        self.heading = heading_label(_("My declarations"))
        self.heading.setText(_("My declarations"))
        self.note = note_label(
            _(
                "Check each declaration before submitting: every admissible proposal needs one, "
                "and a conflict keeps the proposal out of your scores. A declaration already "
                "sent is changed on its own, from the proposal's declaration form."
            )
        )
        self.summary = text_label(name=_("Summary of the declarations"))
        self.import_result = text_label(name=_("Result of the last import"))
        self.import_result.setVisible(False)
        self.model: FilteredTableModel[DeclarationRow] = FilteredTableModel(
            declaration_columns(),
            haystack=lambda r: f"{r.proposal} {r.title} {r.reason}",
            row_id=lambda r: r.proposal,
            parent=self,
        )
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(_("Declarations by proposal"))
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        table.activated.connect(self._activated)
        self.table = table
        self.error = error_label()

        buttons = QDialogButtonBox()
        self.import_button = QPushButton(_("&Import from a file…"))
        self.import_button.setAccessibleName(_("Import declarations from a CSV or XLSX file"))
        self.import_button.clicked.connect(self.choose_file)
        self.template = TemplateDownload(self, ops, "declarations", self._tell)
        self.open_button = QPushButton(_("&Open the proposal"))
        self.open_button.clicked.connect(self._open_current)
        self.submit_button = QPushButton(_("S&ubmit my scores…"))
        self.submit_button.clicked.connect(self.submit_requested.emit)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        for button, role in (
            (self.import_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.template.button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.open_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.submit_button, QDialogButtonBox.ButtonRole.ActionRole),
            (close, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setAutoDefault(False)  # Enter on a line opens it: no button takes it
            buttons.addButton(button, role)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.import_result)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        ops.changed.connect(self._changed)

    def _tell(self, text: str) -> None:
        self.import_result.setText(text)
        self.import_result.setVisible(True)

    # -- loading -----------------------------------------------------------------

    def load(self, call_id: str) -> None:
        self.call_id = call_id
        self.setWindowTitle(_("My declarations — {call_id}").format(call_id=call_id))
        self.ops.run(self, lambda ws: load_declarations(ws, call_id), self.show_view, self._failed)

    def _changed(self, changes: Changes) -> None:
        if self.isVisible() and self.call_id and (changes.declarations or changes.bundles):
            self.load(self.call_id)

    def show_view(self, view: DeclarationsView) -> None:
        if view.call_id != self.call_id:
            return
        selected = self.current_proposal()
        self.view = view
        self.model.set_rows(view.rows)
        self.table.setColumnWidth(1, TITLE_WIDTH)
        self.table.setColumnWidth(3, REASON_WIDTH)
        row = self.model.row_of(selected) if selected else -1
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        self.summary.setText(self._summary(view))
        self.loaded.emit()

    @staticmethod
    def _summary(view: DeclarationsView) -> str:
        missing = sum(1 for r in view.rows if r.state == UNDECLARED and r.admissible)
        text = _(
            "{total} proposals: {free} without conflict, {conflicts} with a conflict, "
            "{missing} still to declare."
        ).format(
            total=len(view.rows),
            free=view.count(NO_CONFLICT),
            conflicts=view.count(CONFLICT),
            missing=missing,
        )
        if not view.general_declared:
            text += " " + _("First make the general declaration of no incompatibility.")
        if view.submitted_sequence is not None:
            changed = sum(1 for r in view.rows if r.sent == CHANGED)
            text += " " + _(
                "Last bundle sent: n. {sequence}; {changed} declarations changed since."
            ).format(sequence=view.submitted_sequence, changed=changed)
        return text

    def current_proposal(self) -> str | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not indexes:
            return None
        return str(self.model.index(indexes[0].row(), 0).data())

    def _activated(self, index: Any) -> None:
        self.open_requested.emit(str(self.model.index(index.row(), 0).data()))

    def _open_current(self) -> None:
        proposal = self.current_proposal()
        if proposal is not None:
            self.open_requested.emit(proposal)

    # -- import ------------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = QFileDialog(self, _("Import declarations"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Tables (*.csv *.xlsx)")])
        dialog.fileSelected.connect(lambda path: self.import_path(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def import_path(self, path: Path) -> None:
        """Import ``path`` on the worker: all or nothing."""
        call_id = self.call_id
        if call_id is None:
            return
        self.error.setVisible(False)
        self.import_result.setVisible(False)
        self.ops.run(self, lambda ws: import_file(ws, call_id, path), self._imported, self._failed)

    def _imported(self, result: tuple[Any, DeclarationsView]) -> None:
        imported, view = result
        self.show_view(view)
        self.import_result.setText(
            _("Imported from the file: {count} declarations, {changed} new or changed.").format(
                count=imported.declared, changed=imported.changed
            )
        )
        self.import_result.setVisible(True)
        self.imported.emit()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            self.refusal = report(self, error)
            return
        text = str(error)
        if isinstance(error, ProblemsError):
            text = error.summary + ":\n" + "\n".join(f"• {p}" for p in error.problems)
        self.error.setText(text)
        self.error.setVisible(True)
        self.loaded.emit()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self._open_current()
            return
        super().keyPressEvent(event)
