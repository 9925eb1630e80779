"""A commission member's side of the main window: the desk list, the
evaluation tab, named undo per proposal, autosave through the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMessageBox

from app import clock
from app.errors import VaglioError
from app.i18n import _
from app.ui.backend import Backend, LockedError
from app.ui.declaration_forms import GeneralDeclarationDialog
from app.ui.evaluation_pane import EvaluationPane, ScoreEditCommand
from app.ui.proposal_model import DeskTableModel
from app.ui.score_form import ScoreEdit
from app.ui.worker import DbWorker

if TYPE_CHECKING:
    from app.services.views import DeclarationText, DeskView, ScoreSheetView

UNDO_LIMIT = 30


class DeskController(QObject):
    """Owns the member's model, evaluation pane and undo stacks."""

    desk_loaded = Signal(object)  # DeskView
    sheet_shown = Signal(object)  # ScoreSheetView
    saved = Signal(object)  # ScoreSheetView

    def __init__(self, backend: Backend, worker: DbWorker, parent: Any) -> None:
        super().__init__(parent)
        self.backend = backend
        self.worker = worker
        self.window = parent
        self.model = DeskTableModel(parent)
        self.pane = EvaluationPane()
        self.undo_group = QUndoGroup(self)
        self.stacks: dict[str, QUndoStack] = {}
        self.call_id: str | None = None
        self.desk: DeskView | None = None
        self.pane.general_requested.connect(self.make_general_declaration)
        self.pane.declaration_submitted.connect(self._declare)
        self.pane.score_form.edited.connect(self._edited)

    # -- loading ---------------------------------------------------------------

    def load(self, call_id: str) -> None:
        self.call_id = call_id
        backend = self.backend
        self.worker.submit(lambda: backend.desk(call_id), self._loaded, self._failed)

    def _loaded(self, desk: DeskView) -> None:
        self.desk = desk
        self.model.set_rows(list(desk.rows))
        self.desk_loaded.emit(desk)

    def show_proposal(self, proposal_id: str) -> None:
        """Load the sheet of ``proposal_id`` into the evaluation tab."""
        self.pane.score_form.flush()
        if proposal_id not in self.stacks:
            stack = QUndoStack(self)
            stack.setUndoLimit(UNDO_LIMIT)
            self.undo_group.addStack(stack)
            self.stacks[proposal_id] = stack
        self.undo_group.setActiveStack(self.stacks[proposal_id])
        backend, call_id = self.backend, self.call_id
        if call_id is None:
            return
        self.worker.submit(
            lambda: backend.score_sheet(call_id, proposal_id), self._sheet_loaded, self._failed
        )

    def _sheet_loaded(self, sheet: ScoreSheetView) -> None:
        self.pane.show_sheet(sheet)
        self.sheet_shown.emit(sheet)

    def _update_desk(self, desk: DeskView) -> None:
        self.desk = desk
        for row in desk.rows:
            self.model.replace_row(row)
        self.desk_loaded.emit(desk)

    # -- declarations ----------------------------------------------------------

    def make_general_declaration(self) -> None:
        backend, call_id = self.backend, self.call_id
        if call_id is None:
            return
        self.worker.submit(
            lambda: backend.declaration_text(call_id), self._ask_general, self._failed
        )

    def _ask_general(self, text: DeclarationText) -> None:
        dialog = GeneralDeclarationDialog(text, self.window)
        self.general_dialog = dialog
        dialog.accepted.connect(self._declare_general)
        dialog.open()

    def _declare_general(self) -> None:
        backend, call_id = self.backend, self.call_id
        if call_id is None:
            return

        def done(desk: DeskView) -> None:
            self._update_desk(desk)
            sheet = self.pane.sheet
            if sheet is not None:
                self.show_proposal(sheet.proposal_id)

        self.worker.submit(lambda: backend.declare_general(call_id), done, self._failed)

    def _declare(self, proposal_id: str, conflict: bool, category: object, reason: str) -> None:
        sheet = self.pane.sheet
        has_scores = sheet is not None and any(
            c.value is not None or c.justification for c in sheet.criteria
        )
        if conflict and has_scores:
            answer = QMessageBox.question(
                self.window,
                _("Declare a conflict of interest"),
                _(
                    "The scores and motivations you already gave to {proposal} will be "
                    "withdrawn. Go on?"
                ).format(proposal=proposal_id),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        backend, call_id = self.backend, self.call_id
        if call_id is None:
            return

        def done(result: tuple[ScoreSheetView, DeskView]) -> None:
            sheet, desk = result
            stack = self.stacks.get(proposal_id)
            if stack is not None:
                stack.clear()
            self.pane.show_sheet(sheet)
            self.pane.focus_current()
            self._update_desk(desk)

        def failed(error: BaseException) -> None:
            if isinstance(error, VaglioError):
                self.pane.conflict_form.show_error(str(error))
            else:
                raise error

        self.worker.submit(
            lambda: backend.declare_proposal(
                call_id,
                proposal_id,
                conflict,
                str(category) if conflict else None,
                reason,
            ),
            done,
            failed,
        )

    # -- scores ----------------------------------------------------------------

    def _edited(self, edit: ScoreEdit) -> None:
        stack = self.stacks.get(edit.proposal_id)
        if stack is None:
            return
        stack.push(ScoreEditCommand(edit, self._apply, self._save))

    def _apply(self, edit: ScoreEdit, value: object) -> None:
        sheet = self.pane.sheet
        if sheet is not None and sheet.proposal_id == edit.proposal_id:
            self.pane.score_form.apply(edit.key, edit.field, value)

    def _save(self, edit: ScoreEdit, value: object) -> None:
        values = {edit.key: value} if edit.field == "value" else {}
        texts = {edit.key: value} if edit.field == "justification" else {}
        self.pane.score_form.set_saving(True)
        backend = self.backend

        def done(result: tuple[ScoreSheetView, DeskView]) -> None:
            sheet, desk = result
            if self.pane.sheet is not None and self.pane.sheet.proposal_id == sheet.proposal_id:
                self.pane.show_sheet(sheet)
                self.pane.score_form.set_saving(
                    False, clock.now().astimezone().strftime("%H:%M:%S")
                )
            self._update_desk(desk)
            self.saved.emit(sheet)

        self.worker.submit(
            lambda: backend.save_scores(edit.call_id, edit.proposal_id, values, texts),  # type: ignore[arg-type]
            done,
            self._failed,
        )

    def flush(self) -> None:
        """Send every motivation still waiting for its pause (before a lock or a switch)."""
        self.pane.score_form.flush()

    # -- errors ----------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, LockedError):
            return
        if not isinstance(error, VaglioError):
            raise error
        box = QMessageBox(QMessageBox.Icon.Warning, "Vaglio", str(error), parent=self.window)
        box.open()
        sheet = self.pane.sheet
        if sheet is not None:
            self.show_proposal(sheet.proposal_id)
