"""The secretariat records the commission's collegial scores (method "collegial").

Left, the proposals with how many criteria still wait for the agreed value;
right, the selected proposal: a table with each member's own coefficient per
criterion (their preparatory work) beside the agreed one, then the fields for
one criterion: the agreed value (the call's levels), the motivation, the vote
(unanimous, or by majority with the members against ticked from the
proposal's college) and the sitting. Every field has a label with a mnemonic;
the service checks everything again and writes nothing on a refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date, format_decimal
from app.ui.common.disabled import enable
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import error_label, explain, heading_label, read_only_item, text_label

if TYPE_CHECKING:
    from app.services.collegial import CollegialProposal, CollegialRecorded, CollegialSheet
    from app.services.unlocking import OpenWorkspace

PLACES = 2  # coefficients are shown to the hundredth


def _value(value: Any) -> str:
    return "—" if value is None else format_decimal(value, PLACES)


class CollegialDialog(QDialog):
    """Records the agreed coefficient, motivation, vote and sitting per criterion."""

    loaded = Signal(object)  # CollegialSheet
    recorded = Signal(object)  # CollegialRecorded

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.sheet: CollegialSheet | None = None
        self.setWindowTitle(_("Collegial scores — {call_id}").format(call_id=call_id))
        fit_to_screen(self, 1280, 680)

        self.heading = heading_label(_("Collegial scores"))
        self.heading.setText(_("Collegial scores of {call_id}").format(call_id=call_id))
        self.summary = text_label(name=_("Summary"))
        self.proposals = QListWidget()
        self.proposals.setAccessibleName(_("Proposals"))
        self.proposals.setSpacing(3)
        self.proposals.currentRowChanged.connect(self._show_proposal)
        proposals_label = QLabel(_("&Proposals:"))
        proposals_label.setBuddy(self.proposals)

        self.title = text_label(name=_("Proposal"))
        self.title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget()
        self.table.setAccessibleName(_("Members' coefficients and the agreed ones"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(lambda row, *_args: self._choose_criterion(row))
        table_label = QLabel(_("Members' &coefficients:"))
        table_label.setBuddy(self.table)

        self.criterion = QComboBox()
        self.criterion.setAccessibleName(_("Criterion"))
        self.criterion.currentIndexChanged.connect(self._fill_fields)
        self.value = QComboBox()
        self.value.setAccessibleName(_("Agreed coefficient"))
        self.value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.value.setMinimumContentsLength(22)
        self.free_value = QLineEdit()
        self.free_value.setAccessibleName(_("Agreed coefficient"))
        self.free_value.setPlaceholderText(_("from 0 to 1, for example 0,75"))
        self.motivation = QPlainTextEdit()
        self.motivation.setAccessibleName(_("Motivation of the commission"))
        self.motivation.setTabChangesFocus(True)
        self.motivation.setFixedHeight(86)
        self.unanimous = QRadioButton(_("&Unanimous"))
        self.majority = QRadioButton(_("By ma&jority"))
        self.unanimous.setChecked(True)
        self.votes = QButtonGroup(self)
        self.votes.addButton(self.unanimous)
        self.votes.addButton(self.majority)
        self.majority.toggled.connect(self._vote_changed)
        self.dissent = QListWidget()
        self.dissent.setAccessibleName(_("Members against"))
        self.dissent.setFixedHeight(74)
        self.sitting = QComboBox()
        self.sitting.setAccessibleName(_("Sitting"))
        self.record_button = QPushButton(_("&Record"))
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.record)
        self.close_button = QPushButton(_("C&lose"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self.message = text_label(name=_("Last operation"))
        self.message.setVisible(False)
        self.error = error_label()

        form = QFormLayout()
        form.addRow(self._label(_("Cr&iterion:"), self.criterion), self.criterion)
        values = QHBoxLayout()
        values.addWidget(self.value)
        values.addWidget(self.free_value)
        values.addStretch(1)
        form.addRow(self._label(_("Agreed &value:"), self.value), values)
        form.addRow(self._label(_("&Motivation:"), self.motivation), self.motivation)
        vote = QHBoxLayout()
        vote.addWidget(self.unanimous)
        vote.addWidget(self.majority)
        vote.addStretch(1)
        form.addRow(_("Vote:"), vote)
        form.addRow(self._label(_("Members &against:"), self.dissent), self.dissent)
        form.addRow(self._label(_("&Sitting:"), self.sitting), self.sitting)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(table_label)
        right_layout.addWidget(self.table, 1)
        right_layout.addLayout(form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(proposals_label)
        left_layout.addWidget(self.proposals, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([330, 1000])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._vote_changed(False)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- loading ---------------------------------------------------------------

    def load(self) -> None:
        """Read the sheet on the worker."""
        call_id = self.call_id

        def read(ws: OpenWorkspace) -> CollegialSheet:
            from app.services.collegial import collegial_sheet

            return collegial_sheet(ws, call_id)

        self.ops.run(self, read, self._loaded, lambda e: explain(self.error, e))

    def _loaded(self, sheet: CollegialSheet) -> None:
        self.sheet = sheet
        row = max(self.proposals.currentRow(), 0)
        self.proposals.blockSignals(True)
        self.proposals.clear()
        for p in sheet.proposals:
            missing = sum(1 for c in p.criteria if c.decision is None)
            state = _("complete") if not missing else _("{count} to record").format(count=missing)
            item = QListWidgetItem(f"{p.proposal} — {p.title}\n{state}")
            item.setToolTip(p.title)
            self.proposals.addItem(item)
        self.proposals.blockSignals(False)
        self.summary.setText(
            _("Waiting for collegial scores: {proposals}").format(
                proposals=", ".join(sheet.pending)
            )
            if sheet.pending
            else _("Every admissible proposal has its collegial scores.")
        )
        self.sitting.clear()
        if not sheet.sittings:
            self.sitting.addItem(_("no sitting recorded"), None)
        for s in sheet.sittings:
            self.sitting.addItem(f"{format_date(s.held_on)} — {s.place}", s.id)
        self.sitting.setCurrentIndex(self.sitting.count() - 1)
        levels = sheet.grid.levels
        self.value.setVisible(bool(levels))
        self.free_value.setVisible(not levels)
        self.value.clear()
        for level in levels:
            text = format_decimal(level.value, PLACES)
            label = f"{text} — {level.label}" if level.label else text
            self.value.addItem(label, f"{level.value.normalize():f}")
        enable(self.record_button, not sheet.closed,
               _("The ranking is approved: it can no longer change."))  # fmt: skip
        if sheet.proposals:
            self.proposals.setCurrentRow(min(row, len(sheet.proposals) - 1))
            self._show_proposal(self.proposals.currentRow())
        self.loaded.emit(sheet)

    def current(self) -> CollegialProposal | None:
        row = self.proposals.currentRow()
        if self.sheet is None or not 0 <= row < len(self.sheet.proposals):
            return None
        return self.sheet.proposals[row]

    def _show_proposal(self, _row: int) -> None:
        proposal = self.current()
        if proposal is None:
            return
        self.title.setText(f"{proposal.proposal} — {proposal.title}")
        headers = [_("Criterion"), *proposal.college, _("Agreed"), _("Vote")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(proposal.criteria))
        for row, c in enumerate(proposal.criteria):
            cells = [c.title, *[_value(v) for _name, v in c.individual]]
            d = c.decision
            cells.append(_value(d.value if d else None))
            if d is None:
                cells.append(_("to record"))
            elif d.unanimous:
                cells.append(_("unanimous"))
            else:
                cells.append(_("majority (against: {names})").format(names=", ".join(d.dissent)))
            for column, text in enumerate(cells):
                item = read_only_item(text, d.motivation if d and column >= len(cells) - 2 else "")
                if 0 < column < len(cells) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.dissent.clear()
        for name in proposal.college:
            member = QListWidgetItem(name)
            member.setFlags(member.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            member.setCheckState(Qt.CheckState.Unchecked)
            self.dissent.addItem(member)
        self.criterion.blockSignals(True)
        self.criterion.clear()
        for c in proposal.criteria:
            self.criterion.addItem(c.title, c.key)
        self.criterion.blockSignals(False)
        missing = next((i for i, c in enumerate(proposal.criteria) if c.decision is None), 0)
        self.criterion.setCurrentIndex(missing)
        self._fill_fields()

    def _choose_criterion(self, row: int) -> None:
        if 0 <= row < self.criterion.count() and row != self.criterion.currentIndex():
            self.criterion.setCurrentIndex(row)

    def _fill_fields(self) -> None:
        """The chosen criterion's recorded decision, if any, in the fields."""
        proposal = self.current()
        index = self.criterion.currentIndex()
        if proposal is None or not 0 <= index < len(proposal.criteria):
            return
        if self.table.currentRow() != index:
            self.table.setCurrentCell(index, 0)
        decision = proposal.criteria[index].decision
        self.motivation.setPlainText(decision.motivation if decision else "")
        (self.majority if decision and not decision.unanimous else self.unanimous).setChecked(True)
        against = set(decision.dissent) if decision else set()
        for row in range(self.dissent.count()):
            item = self.dissent.item(row)
            checked = item.text() in against
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if decision is not None:
            for row in range(self.value.count()):
                if self.value.itemData(row) == f"{decision.value.normalize():f}":
                    self.value.setCurrentIndex(row)
            self.free_value.setText(format_decimal(decision.value, PLACES))
        else:  # nothing chosen until the commission's value is picked
            self.value.setCurrentIndex(-1)
            self.free_value.clear()

    def _vote_changed(self, majority: bool) -> None:
        self.dissent.setEnabled(majority)

    # -- recording -------------------------------------------------------------

    def against(self) -> list[str]:
        if not self.majority.isChecked():
            return []
        return [
            self.dissent.item(row).text()
            for row in range(self.dissent.count())
            if self.dissent.item(row).checkState() == Qt.CheckState.Checked
        ]

    def record(self) -> None:
        """Record the fields on the worker; a refusal is shown and nothing is written."""
        proposal = self.current()
        if proposal is None or self.sheet is None:
            return
        key = str(self.criterion.currentData())
        if self.sheet.grid.levels:
            value = str(self.value.currentData() or "")
        else:
            value = self.free_value.text()
        motivation = self.motivation.toPlainText()
        vote = "majority" if self.majority.isChecked() else "unanimous"
        dissent = self.against()
        sitting = self.sitting.currentData()
        call_id, code = self.call_id, proposal.proposal
        self.record_button.setEnabled(False)

        def record(ws: OpenWorkspace) -> CollegialRecorded:
            from app.services.collegial import record_collegial

            return record_collegial(
                ws, call_id, code, key, value=value, motivation=motivation, vote=vote,
                dissent=dissent, sitting=sitting,
            )  # fmt: skip

        self.ops.run(self, record, self._recorded, self._refused)

    def _recorded(self, done: CollegialRecorded) -> None:
        from app.services.collegial import decision_words

        self.error.setVisible(False)
        self.message.setText(f"{done.decision.proposal}: {decision_words(done.decision)}")
        self.message.setVisible(True)
        self.recorded.emit(done)
        self.load()

    def _refused(self, error: BaseException) -> None:
        self.record_button.setEnabled(True)
        explain(self.error, error)
