"""The "Evaluation" tab of a member's window: whatever the member must do next
on the selected proposal (general declaration, proposal declaration, scores),
or why there is nothing to do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.i18n import _
from app.labels import category_label
from app.services.views import ScoreSheetView
from app.ui.desk.declaration_forms import ConflictForm
from app.ui.desk.score_form import ScoreEdit, ScoreForm

MERGEABLE_TEXT_EDIT = 4711


class ScoreEditCommand(QUndoCommand):
    """A named, undoable score edit; doing or undoing it saves through the worker.

    The first ``redo`` (when the command is pushed) only saves: the form
    already shows the new value. Consecutive motivation edits of the same
    criterion merge into one step.
    """

    def __init__(self, edit: ScoreEdit, apply: Any, save: Any) -> None:
        super().__init__(edit.name())
        self.edit = edit
        self._apply = apply
        self._save = save
        self._first = True

    def id(self) -> int:
        return MERGEABLE_TEXT_EDIT if self.edit.field == "justification" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ScoreEditCommand):
            return False
        mine, theirs = self.edit, other.edit
        if (mine.proposal_id, mine.key, mine.field) != (
            theirs.proposal_id,
            theirs.key,
            theirs.field,
        ):
            return False
        self.edit = ScoreEdit(
            mine.call_id, mine.proposal_id, mine.key, mine.title, mine.field, mine.old, theirs.new
        )
        return True

    def redo(self) -> None:
        if not self._first:
            self._apply(self.edit, self.edit.new)
        self._first = False
        self._save(self.edit, self.edit.new)

    def undo(self) -> None:
        self._apply(self.edit, self.edit.old)
        self._save(self.edit, self.edit.old)


class EvaluationPane(QStackedWidget):
    """Message page, declaration form or scoring form, as the sheet requires."""

    general_requested = Signal()
    declaration_submitted = Signal(str, bool, object, str)  # proposal, conflict, category, reason

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: ScoreSheetView | None = None
        self.message_page = QWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setAccessibleName(_("Evaluation status"))
        self.message_button = QPushButton()
        self.message_button.clicked.connect(self._message_action)
        message_layout = QVBoxLayout(self.message_page)
        message_layout.addWidget(self.message)
        message_layout.addWidget(self.message_button, 0, Qt.AlignmentFlag.AlignLeft)
        message_layout.addStretch(1)
        self._message_action_kind = ""

        self.conflict_form = ConflictForm()
        self.conflict_form.submitted.connect(self._declaration_submitted)
        self.conflict_form.cancelled.connect(
            lambda: self.show_sheet(self.sheet) if self.sheet else None
        )
        self.score_form = ScoreForm()
        self.score_form.change_declaration.connect(self.edit_declaration)

        self.addWidget(self.message_page)
        self.addWidget(self.conflict_form)
        self.addWidget(self.score_form)
        self.show_sheet(None)

    def show_sheet(self, sheet: ScoreSheetView | None) -> None:
        """Show the page ``sheet`` calls for (``None``: nothing selected)."""
        same_proposal = (
            sheet is not None
            and self.sheet is not None
            and sheet.proposal_id == self.sheet.proposal_id
            and self.currentWidget() is self.score_form
        )
        if not same_proposal:
            self.score_form.flush()
        self.sheet = sheet
        if sheet is None:
            self._show_message(_("Select a proposal in the list."), "")
        elif not sheet.general_declared:
            self._show_message(
                _(
                    "Before you declare on single proposals and score them, make the general "
                    "declaration of no incompatibility."
                ),
                "general",
            )
        elif not sheet.admissible:
            self._show_message(
                _("This proposal is not admissible ({reasons}): it is not scored.").format(
                    reasons="; ".join(sheet.inadmissible_reasons)
                ),
                "",
            )
        elif not sheet.declared:
            self.conflict_form.show_sheet(sheet, editing=False)
            self.setCurrentWidget(self.conflict_form)
        elif sheet.conflicted:
            self._show_message(
                _(
                    "You declared a conflict of interest ({category}): {reason}\n\n"
                    "The proposal stays readable but you do not score it."
                ).format(
                    category=category_label(sheet.conflict_category), reason=sheet.conflict_reason
                ),
                "edit",
            )
        elif same_proposal:
            self.score_form.update_summary(sheet)
        else:
            self.score_form.show_sheet(sheet)
            self.setCurrentWidget(self.score_form)

    def edit_declaration(self) -> None:
        if self.sheet is not None:
            self.score_form.flush()
            self.conflict_form.show_sheet(self.sheet, editing=True)
            self.setCurrentWidget(self.conflict_form)
            self.conflict_form.focus_first()

    def focus_current(self) -> None:
        """Put the keyboard where the member's next action is."""
        widget = self.currentWidget()
        if widget is self.score_form:
            self.score_form.focus_first()
        elif widget is self.conflict_form:
            self.conflict_form.focus_first()
        elif self.message_button.isVisible():
            self.message_button.setFocus()

    def _show_message(self, text: str, action: str) -> None:
        self.message.setText(text)
        self._message_action_kind = action
        labels = {
            "general": _("Read and make the &general declaration…"),
            "edit": _("Change the &declaration…"),
        }
        self.message_button.setVisible(bool(action))
        self.message_button.setText(labels.get(action, ""))
        self.setCurrentWidget(self.message_page)

    def _message_action(self) -> None:
        if self._message_action_kind == "general":
            self.general_requested.emit()
        elif self._message_action_kind == "edit":
            self.edit_declaration()

    def _declaration_submitted(self, conflict: bool, category: object, reason: str) -> None:
        if self.sheet is not None:
            self.declaration_submitted.emit(self.sheet.proposal_id, conflict, category, reason)
