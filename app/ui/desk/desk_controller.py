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
from app.ui.common.failure import show_refusal
from app.ui.common.ops import Ops
from app.ui.desk.declaration_forms import GeneralDeclarationDialog
from app.ui.desk.evaluation_pane import EvaluationPane, ScoreEditCommand
from app.ui.desk.score_form import ScoreEdit
from app.ui.proposals.proposal_model import DeskTableModel

if TYPE_CHECKING:
    from decimal import Decimal

    from app.services.unlocking import OpenWorkspace
    from app.services.views import DeclarationText, DeskView, ScoreSheetView

UNDO_LIMIT = 30


# The use cases of the desk (imported when they run, on the worker). A write
# returns what it changed with the sheet and the desk as they are after it.


def load_desk(ws: OpenWorkspace, call_id: str) -> DeskView:
    from app.services.member_desk import desk

    return desk(ws, call_id)


def load_sheet(ws: OpenWorkspace, call_id: str, proposal_id: str) -> ScoreSheetView:
    from app.services.member_desk import score_sheet

    return score_sheet(ws, call_id, proposal_id)


def declaration_text(ws: OpenWorkspace, call_id: str) -> DeclarationText:
    from app.services.declarations import general_declaration_text

    return general_declaration_text(ws, call_id)


def declare_general(ws: OpenWorkspace, call_id: str) -> tuple[object, DeskView]:
    from app.services.declarations import declare_general

    return declare_general(ws, call_id), load_desk(ws, call_id)


def declare_proposal(
    ws: OpenWorkspace, call_id: str, proposal_id: str, category: str | None, reason: str
) -> tuple[object, ScoreSheetView, DeskView]:
    from app.services.declarations import declare_proposal

    recorded = declare_proposal(
        ws, call_id, proposal_id, conflict=category is not None, category=category, reason=reason
    )
    return recorded, load_sheet(ws, call_id, proposal_id), load_desk(ws, call_id)


def save_scores(
    ws: OpenWorkspace,
    call_id: str,
    proposal_id: str,
    values: dict[str, Decimal | None],
    texts: dict[str, str],
) -> tuple[object, ScoreSheetView, DeskView]:
    from app.services.scores import save_scores

    saved = save_scores(ws, call_id, proposal_id, values=values, justifications=texts)
    return saved, load_sheet(ws, call_id, proposal_id), load_desk(ws, call_id)


class DeskController(QObject):
    """Owns the member's model, evaluation pane and undo stacks."""

    desk_loaded = Signal(object)  # DeskView
    sheet_shown = Signal(object)  # ScoreSheetView
    saved = Signal(object)  # ScoreSheetView

    def __init__(self, ops: Ops, parent: Any) -> None:
        super().__init__(parent)
        self.ops = ops
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
        self.ops.run(self, lambda ws: load_desk(ws, call_id), self._loaded, self._failed)

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
        call_id = self.call_id
        if call_id is None:
            return
        self.ops.run(
            self, lambda ws: load_sheet(ws, call_id, proposal_id), self._sheet_loaded, self._failed
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
        call_id = self.call_id
        if call_id is None:
            return
        self.ops.run(
            self, lambda ws: declaration_text(ws, call_id), self._ask_general, self._failed
        )

    def _ask_general(self, text: DeclarationText) -> None:
        dialog = GeneralDeclarationDialog(text, self.window)
        self.general_dialog = dialog
        dialog.accepted.connect(self._declare_general)
        dialog.open()

    def _declare_general(self) -> None:
        call_id = self.call_id
        if call_id is None:
            return

        def done(result: tuple[object, DeskView]) -> None:
            self._update_desk(result[1])
            sheet = self.pane.sheet
            if sheet is not None:
                self.show_proposal(sheet.proposal_id)

        self.ops.run(self, lambda ws: declare_general(ws, call_id), done, self._failed)

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
        call_id = self.call_id
        if call_id is None:
            return

        def done(result: tuple[object, ScoreSheetView, DeskView]) -> None:
            _recorded, sheet, desk = result
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

        chosen = str(category) if conflict else None
        self.ops.run(
            self,
            lambda ws: declare_proposal(ws, call_id, proposal_id, chosen, reason),
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

        def done(result: tuple[object, ScoreSheetView, DeskView]) -> None:
            _saved, sheet, desk = result
            if self.pane.sheet is not None and self.pane.sheet.proposal_id == sheet.proposal_id:
                self.pane.show_sheet(sheet)
                self.pane.score_form.set_saving(
                    False, clock.now().astimezone().strftime("%H:%M:%S")
                )
            self._update_desk(desk)
            self.saved.emit(sheet)

        call_id, proposal_id = edit.call_id, edit.proposal_id
        self.ops.run(
            self,
            lambda ws: save_scores(ws, call_id, proposal_id, values, texts),  # type: ignore[arg-type]
            done,
            self._failed,
        )

    def flush(self) -> None:
        """Send every motivation still waiting for its pause (before a lock or a switch)."""
        self.pane.score_form.flush()

    def forget(self) -> None:
        """Drop the sheet shown and every undo step: the call's material is gone."""
        self.pane.show_sheet(None)
        for stack in self.stacks.values():
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self.stacks.clear()

    # -- errors ----------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.error_box = show_refusal(self.window, error)
        sheet = self.pane.sheet
        if sheet is not None:
            self.show_proposal(sheet.proposal_id)
