"""The secretariat's view of where the evaluation stands (Scambio →
Completezza della valutazione): the member × proposal matrix, the history of
the conflicts of interest, and the college — the proposals below it, why, and
the assignment of a substitute where a conflict left a seat empty.

Everything is read on the worker in one op (the call's status and its
college) and read again whenever a sync, an import or an assignment changes
what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError
from app.i18n import _, n_
from app.labels import college_label, sheet_status_label
from app.services.evaluation_deadline import evaluation_deadline
from app.ui.common.disabled import enable
from app.ui.common.empty_texts import completeness_hint
from app.ui.common.failure import report, show_refusal
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import WARNING_STYLE, note_label, text_label
from app.ui.exchange.college_models import CollegeModel, ConflictHistoryModel
from app.ui.exchange.completeness_model import SYMBOLS, CompletenessModel

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.college import CollegeView
    from app.services.status import CallStatus
    from app.services.unlocking import OpenWorkspace

TAB_MATRIX, TAB_CONFLICTS, TAB_COLLEGE = range(3)
ROW_HEIGHT = 26
TITLE_WIDTH = 240  # the proposal's title, elided (its tooltip has it whole)


def load_completeness(ws: OpenWorkspace, call_id: str) -> tuple[CallStatus, CollegeView]:
    """The call's status and its college (on the worker)."""
    from app.services.status import call_status
    from app.services.substitutes import college

    return call_status(ws, call_id), college(ws, call_id)


def _table(model: Any, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)  # rows sized to their text keep air
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    return table


def _monitoring(status: CallStatus) -> tuple[list[str], list[str]]:
    """The sentences on the count of sheets and the deadline; who arrived late."""
    parts = []
    if status.members:
        parts.append(
            _("Evaluation sheets complete: {done} of {expected}.").format(
                done=status.totals.done, expected=status.totals.expected
            )
        )
    deadline = evaluation_deadline(status.deadline, status.today)
    if deadline is not None:
        parts.append(deadline.sentence() + ".")
    late = [member.name for member in status.members if member.late]
    if late:
        parts.append(
            "⚠ "
            + _("Arrived after the deadline (accepted, flagged): {names}.").format(
                names=", ".join(late)
            )
        )
    return parts, late


class CompletenessDialog(QDialog):
    """Members × proposals, the conflict history and the college of one call."""

    loaded = Signal()

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id: str | None = None
        self.status: CallStatus | None = None
        self.college: CollegeView | None = None
        self.substitute_dialog: Any = None
        self.refusal: Any = None
        self._reveal = False
        self.setWindowTitle(_("Completeness of the evaluation"))
        fit_to_screen(self, 1200, 640)

        self.summary = text_label(name=_("Summary of the evaluation"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Completeness, conflicts and college"))
        self.tabs.addTab(self._matrix_page(), _("&Members and proposals"))
        self.tabs.addTab(self._conflicts_page(), _("&Conflicts of interest"))
        self.tabs.addTab(self._college_page(), _("C&ollege"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.reload_button = QPushButton(_("Re&load"))
        self.reload_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reload_button.setAccessibleName(_("Read the completeness again"))
        self.reload_button.clicked.connect(self.reload)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        # Enter on a line of the college opens its assignment: no button may take it too.
        for button in (*buttons.buttons(), self.assign_button):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        ops.changed.connect(self._changed)

    # -- pages -------------------------------------------------------------------

    def _matrix_page(self) -> QWidget:
        self.model = CompletenessModel(self)
        self.table = _table(self.model, _("Completeness: members and proposals"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        legend = " · ".join(
            f"{symbol} {sheet_status_label(state)}" for state, symbol in SYMBOLS.items()
        )
        self.legend = QLabel(legend)
        self.legend.setWordWrap(True)
        # What to do next while the grid is empty (no member, or nothing arrived).
        self.empty_hint = note_label("")
        self.empty_hint.setVisible(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room of a hidden grid, so the hint stays on top
        layout.addWidget(self.legend)
        return page

    def _conflicts_page(self) -> QWidget:
        self.conflict_model = ConflictHistoryModel(self)
        self.conflicts = _table(self.conflict_model, _("History of the conflicts of interest"))
        self.conflicts.setWordWrap(True)  # a reason can be long
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_args: self.conflicts.resizeRowsToContents())
        self.no_conflicts = note_label(_("No conflict of interest declared so far."))
        self.conflicts_note = note_label(
            _(
                "Every declaration that a bundle brought and that changed something, in order: "
                "a conflict withdrawn in a later bundle stays in the history, marked ⚠."
            )
        )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.conflicts_note)
        layout.addWidget(self.conflicts, 1)
        layout.addWidget(self.no_conflicts)
        return page

    def _college_page(self) -> QWidget:
        self.college_text = text_label(name=_("The college of the call"))
        self.silent = text_label(name=_("Members who sent nothing"))
        self.silent.setStyleSheet(WARNING_STYLE)
        self.college_model = CollegeModel(self)
        self.college_table = _table(self.college_model, _("Proposals below their college"))
        self.college_table.setWordWrap(True)  # why a proposal is short can be long
        header = self.college_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_args: self.college_table.resizeRowsToContents())
        self.college_table.activated.connect(lambda _index: self.assign_substitute())
        self.college_table.selectionModel().selectionChanged.connect(
            lambda *_args: self._selection_changed()
        )
        self.all_seated = note_label(_("Every proposal has its college."))
        self.assign_button = QPushButton(_("Assign a &substitute…"))
        self.assign_button.setAccessibleName(_("Assign a substitute to the selected proposal"))
        self.assign_button.clicked.connect(self.assign_substitute)
        self.assign_button.setEnabled(False)
        self.assign_hint = note_label("")
        row = QHBoxLayout()
        row.addWidget(self.assign_button)
        row.addWidget(self.assign_hint, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.college_text)
        layout.addWidget(self.silent)
        layout.addWidget(self.college_table, 1)
        layout.addWidget(self.all_seated)
        layout.addLayout(row)
        return page

    # -- loading -----------------------------------------------------------------

    def load(self, call_id: str, *, reveal: bool = False) -> None:
        """Read the call's status and college on the worker, then show them
        (and the dialog itself, if ``reveal``)."""
        self.call_id = call_id
        self._reveal = self._reveal or reveal
        self.setWindowTitle(_("Completeness of the evaluation — {call_id}").format(call_id=call_id))
        self.ops.run(self, lambda ws: load_completeness(ws, call_id), self._loaded, self._failed)

    def reload(self) -> None:
        if self.call_id is not None:
            self.load(self.call_id)

    def _changed(self, changes: Changes) -> None:
        if self.isVisible() and (
            changes.bundles or changes.roster or changes.calls or changes.declarations
        ):
            self.reload()

    def _loaded(self, result: tuple[CallStatus, CollegeView]) -> None:
        status, college = result
        if status.call_id != self.call_id:
            return  # an older load, for another call
        self.status, self.college = status, college
        self.model.set_status(status)
        self._show_empty_hint(status)
        events = status.conflicts
        self.conflict_model.set_rows(events)
        withdrawn = sum(1 for event in events if event.withdrawn)
        self.no_conflicts.setVisible(not events)
        self.conflicts.setVisible(bool(events))
        self.tabs.setTabText(
            TAB_CONFLICTS, _("&Conflicts of interest ({count})").format(count=len(events))
        )
        selected = self._selected_proposal()
        self.college_model.set_college(college)
        self.college_table.setColumnWidth(1, TITLE_WIDTH)
        self.college_table.resizeRowsToContents()
        self.conflicts.resizeRowsToContents()
        self._show_college(college)
        short = college.short
        if short:
            title = n_("C&ollege ({count} short)", "C&ollege ({count} short)", len(short))
        else:
            title = n_(
                "C&ollege ({count} incomplete)",
                "C&ollege ({count} incomplete)",
                len(college.incomplete),
            )
        self.tabs.setTabText(TAB_COLLEGE, title.format(count=len(short or college.incomplete)))
        row = self.college_model.row_of(selected) if selected else -1
        if self.college_model.rowCount():
            self.college_table.selectRow(max(row, 0))
        self._selection_changed()
        self._summarise(status, college, withdrawn)
        if self._reveal:
            self._reveal = False
            self.show()
            self.raise_()
            self.activateWindow()
        self.loaded.emit()

    def _show_empty_hint(self, status: CallStatus) -> None:
        hint = completeness_hint(len(status.members), 1 if status.received_any else 0)
        self.empty_hint.setText(hint)
        self.empty_hint.setVisible(bool(hint))
        self.table.setVisible(bool(status.members))

    def _show_college(self, college: CollegeView) -> None:
        text = _("College — {college}. Evaluators needed for each proposal: {required}.").format(
            college=college_label(college.college), required=college.required
        )
        if college.substitutes:
            text += " " + _("Substitutes on the roster: {names}.").format(
                names=", ".join(college.substitutes)
            )
        else:
            text += " " + _("No substitute on the roster.")
        self.college_text.setText(text)
        self.silent.setText(
            _("Nothing has arrived yet from: {names}.").format(names=", ".join(college.silent))
        )
        self.silent.setVisible(bool(college.silent))
        incomplete = bool(college.incomplete)
        self.all_seated.setVisible(not incomplete)
        self.college_table.setVisible(incomplete)

    def _summarise(self, status: CallStatus, college: CollegeView, withdrawn: int) -> None:
        parts = []
        # With nobody enrolled every proposal is short, but not because of a
        # conflict: the empty view's hint says what to do instead.
        short = college.short if status.members else ()
        if short and college.substitutes:
            text = n_(
                "{count} proposal is short of its college because of a conflict: "
                "{proposals}. Assign a substitute in the College tab.",
                "{count} proposals are short of their college because of conflicts: "
                "{proposals}. Assign substitutes in the College tab.",
                len(short),
            )
        elif short:
            text = n_(
                "{count} proposal is short of its college because of a conflict: "
                "{proposals}. No substitute is on the roster: enrol one to fill the seat.",
                "{count} proposals are short of their college because of conflicts: "
                "{proposals}. No substitute is on the roster: enrol one to fill the seats.",
                len(short),
            )
        if short:
            proposals = ", ".join(p.proposal for p in short)
            parts.append("⚠ " + text.format(count=len(short), proposals=proposals))
        elif not status.members:
            pass
        elif college.incomplete:
            parts.append(
                n_(
                    "{count} proposal is waiting for bundles to reach its college.",
                    "{count} proposals are waiting for bundles to reach their college.",
                    len(college.incomplete),
                ).format(count=len(college.incomplete))
            )
        else:
            parts.append(_("Every proposal has its college."))
        if status.conflicts:
            conflicts = n_(
                "{count} entry in the conflict history",
                "{count} entries in the conflict history",
                len(status.conflicts),
            ).format(count=len(status.conflicts))
            if withdrawn:
                conflicts += " " + n_(
                    "(⚠ {count} withdrawal)", "(⚠ {count} withdrawals)", withdrawn
                ).format(count=withdrawn)
            parts.append(conflicts + ".")
        monitoring, late = _monitoring(status)
        parts += monitoring
        self.summary.setText(" ".join(parts))
        self.summary.setStyleSheet(WARNING_STYLE if short or withdrawn or late else "")

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            self.refusal = report(self, error)
            return
        self.refusal = show_refusal(self, error)

    # -- substitutes ---------------------------------------------------------------

    def _selected_proposal(self) -> str | None:
        rows = self.college_table.selectionModel().selectedRows()
        if not rows:
            return None
        return str(self.college_model.rows[rows[0].row()].proposal)

    def _selected(self) -> Any:
        rows = self.college_table.selectionModel().selectedRows()
        return self.college_model.rows[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        chosen = self._selected()
        fillable = chosen is not None and bool(chosen.vacant)
        enable(self.assign_button, fillable,
               _("Choose a proposal short of its college: it has no seat to fill.")
               if chosen is not None else _("Choose a proposal in the list first."))  # fmt: skip
        if chosen is None:
            self.assign_hint.setText("")
        elif fillable:
            self.assign_hint.setText(
                _("{proposal}: the seat of {members} is empty.").format(
                    proposal=chosen.proposal, members=", ".join(chosen.vacant)
                )
            )
        else:
            self.assign_hint.setText(
                _("{proposal}: no member is in conflict without a substitute.").format(
                    proposal=chosen.proposal
                )
            )

    def assign_substitute(self) -> None:
        """Open the assignment for the selected proposal, if a seat there is empty."""
        chosen = self._selected()
        if chosen is None or not chosen.vacant or self.call_id is None:
            return
        if self.substitute_dialog is not None and self.substitute_dialog.isVisible():
            self.substitute_dialog.raise_()
            return
        from app.ui.exchange.substitute_dialog import load_choices

        call_id, proposal, why = self.call_id, str(chosen.proposal), str(chosen.why())
        self.ops.run(
            self,
            lambda ws: load_choices(ws, call_id, proposal),
            lambda choices: self._open_assignment(choices, why),
            self._failed,
        )

    def _open_assignment(self, choices: Any, why: str) -> None:
        from app.ui.exchange.substitute_dialog import SubstituteDialog

        dialog = SubstituteDialog(self.ops, choices, why, self)
        self.substitute_dialog = dialog
        dialog.open()
