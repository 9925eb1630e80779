"""The dispersion flags and what the commission did about each: the
secretariat picks a flag, the sitting where it was discussed, the outcome
(values confirmed, or a member revised theirs) and a short note. The minutes
print exactly these records; a flag without one reads "flagged, not
discussed". Work runs on the database worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _, format_date, format_decimal
from app.ui.common.disabled import enable
from app.ui.common.empty_hint import EmptyHint
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.minutes.sittings_dialog import where_text

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace


def flags_and_sittings(ws: OpenWorkspace, call_id: str) -> tuple[list[Any], list[Any]]:
    from app.services.discussions import list_flags
    from app.services.sittings import list_sittings

    return list_flags(ws, call_id), list_sittings(ws, call_id)


def outcome_text(flag: Any) -> str:
    if not flag.discussions:
        return _("flagged, not discussed")
    parts = []
    for d in flag.discussions:
        what = _("confirmed") if d.outcome == "confirmed" else _("revised by a member")
        parts.append(
            _("{what} in the sitting of {day}: {note}").format(
                what=what, day=format_date(d.held_on), note=d.note
            )
        )
    return "; ".join(parts)


class DiscussionDialog(QDialog):
    """Record what the commission did about each dispersion flag."""

    changed = Signal()

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.flags: list[Any] = []
        self.sittings: list[Any] = []
        self.setWindowTitle(_("Discussions of the flags — {call_id}").format(call_id=call_id))
        fit_to_screen(self, 1100, 640)

        intro = QLabel(
            _(
                "The ranking flags a criterion when the members' values on it are further "
                "apart than the call allows. Record what the commission did about each flag in "
                "a sitting; the minutes print exactly what is recorded."
            )
        )
        intro.setWordWrap(True)
        columns = [_("Proposal"), _("Criterion"), _("Members' values"), _("Spread"),
                   _("Outcome")]  # fmt: skip
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(_("Dispersion flags"))
        self.empty_hint = EmptyHint(
            self.table, _("No dispersion flag: the members' scores leave nothing to discuss.")
        )
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_args: self._selected())

        self.chosen = QLabel(_("Select a flag in the list."))
        self.chosen.setWordWrap(True)
        self.sitting = QComboBox()
        self.sitting.setAccessibleName(_("Sitting where it was discussed"))
        self.confirmed = QRadioButton(_("the Commission &confirmed the values"))
        self.revised = QRadioButton(_("a member re&vised their value (a new signed bundle)"))
        self.confirmed.setChecked(True)
        self.outcome = QButtonGroup(self)
        self.outcome.addButton(self.confirmed)
        self.outcome.addButton(self.revised)
        outcome = QHBoxLayout()
        outcome.addWidget(self.confirmed)
        outcome.addWidget(self.revised)
        outcome.addStretch(1)
        self.note = QLineEdit()
        self.note.setAccessibleName(_("Note of the discussion"))
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("what the commission said, in a sentence"))
        self.record_button = QPushButton(_("&Record the discussion"))
        self.record_button.clicked.connect(self.record)

        box = QGroupBox(_("Record the discussion of the selected flag"))
        form = QFormLayout(box)
        form.addRow(_("Flag:"), self.chosen)
        form.addRow(_("&Sitting:"), self.sitting)
        form.addRow(_("Outcome:"), outcome)
        form.addRow(_("&Note:"), self.note)
        form.addRow("", self.record_button)
        for field in (self.sitting, self.note):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)

        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def load(self) -> None:
        call_id = self.call_id
        self.ops.run(self, lambda ws: flags_and_sittings(ws, call_id), self._loaded, self._failed)

    def _loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        flags, sittings = result
        current = self.table.currentRow()
        self.flags, self.sittings = flags, sittings
        self.table.setRowCount(len(flags))
        for row, f in enumerate(flags):
            values = ", ".join(f"{m} {format_decimal(v)}" for m, v in f.values)
            spread = format_decimal(f.spread) if f.spread is not None else "—"
            for column, text in enumerate(
                (f.proposal, f.criterion_title, values, spread, outcome_text(f))
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        chosen = self.sitting.currentData()
        self.sitting.clear()
        for s in sittings:
            times = f" {s.starts_at}–{s.ends_at}" if s.starts_at else ""
            self.sitting.addItem(f"{format_date(s.held_on)}{times} — {where_text(s)}", s.id)
        kept = self.sitting.findData(chosen) if chosen is not None else -1
        self.sitting.setCurrentIndex(kept if kept >= 0 else len(sittings) - 1)  # the latest
        if not sittings:
            self.status.setText(
                _("No sitting is recorded: record it first (Minutes, Commission sittings).")
            )
        if flags:
            self.table.setCurrentCell(min(max(current, 0), len(flags) - 1), 0)
        self._selected()

    def _selected(self) -> Any:
        row = self.table.currentRow()
        flag = self.flags[row] if 0 <= row < len(self.flags) else None
        enable(self.record_button, flag is not None and bool(self.sittings),
               _("No sitting is recorded: record it first (Minutes, Commission sittings).")
               if not self.sittings else _("Choose a flag in the list first."))  # fmt: skip
        if flag is not None:
            self.chosen.setText(f"{flag.proposal} — {flag.title}: {flag.criterion_title}")
        return flag

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.status.setText(str(error))

    def record(self) -> None:
        flag = self._selected()
        if flag is None:
            return
        call_id, sitting = self.call_id, self.sitting.currentData()
        outcome = "revised" if self.revised.isChecked() else "confirmed"
        note = self.note.text()

        def record(ws: OpenWorkspace) -> tuple[list[Any], list[Any]]:
            from app.services.discussions import record_discussion

            record_discussion(
                ws, call_id, flag.proposal, flag.criterion, outcome=outcome, note=note,
                sitting=sitting,
            )  # fmt: skip
            return flags_and_sittings(ws, call_id)

        self.ops.run(self, record, self._recorded, self._failed)

    def _recorded(self, result: tuple[list[Any], list[Any]]) -> None:
        self._loaded(result)
        self.note.clear()
        self.status.setText(_("Discussion recorded."))
        self.changed.emit()
