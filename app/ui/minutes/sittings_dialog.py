"""The commission's sittings: the list, and a form to record one (day, place
or mode, who was present, notes). Work runs on the database worker."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _, format_date, language
from app.ui.common.ops import Ops
from app.ui.common.widgets import today_as_qdate

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace


def roster_and_sittings(ws: OpenWorkspace, call_id: str) -> tuple[list[Any], list[Any]]:
    """The commission and the sittings recorded so far."""
    from app.services.roster import roster
    from app.services.sittings import list_sittings

    return roster(ws, call_id), list_sittings(ws, call_id)


class SittingsDialog(QDialog):
    """Record the sittings the minutes list (section 2)."""

    changed = Signal()

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.sittings: list[Any] = []
        self.boxes: dict[str, QCheckBox] = {}
        self.setWindowTitle(_("Sittings of the commission — {call_id}").format(call_id=call_id))
        self.resize(760, 520)

        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(_("Sittings"))
        self.table.setHorizontalHeaderLabels(
            [_("Date"), _("Place or mode"), _("Present"), _("Absent")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.remove_button = QPushButton(_("&Remove the selected sitting"))
        self.remove_button.clicked.connect(self.remove_selected)

        self.day = QDateEdit(today_as_qdate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(language().qt_date)
        self.day.setAccessibleName(_("Day of the sitting"))
        self.place = QLineEdit()
        self.place.setAccessibleName(_("Place or mode"))
        self.place.setPlaceholderText(_("e.g. Palazzo Marino, Sala Alessi; or: video call"))
        self.notes = QLineEdit()
        self.notes.setAccessibleName(_("Notes"))
        self.present_row = QHBoxLayout()
        form_box = QGroupBox(_("Record a sitting"))
        form = QFormLayout(form_box)
        form.addRow(_("Day:"), self.day)
        form.addRow(_("Place or mode:"), self.place)
        form.addRow(_("Present:"), self.present_row)
        form.addRow(_("Notes:"), self.notes)
        self.add_button = QPushButton(_("&Record the sitting"))
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)

        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(form_box)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def load(self) -> None:
        call_id = self.call_id
        self.ops.run(self, lambda ws: roster_and_sittings(ws, call_id), self._shown, self._failed)

    def _shown(self, result: tuple[list[Any], list[Any]]) -> None:
        self._loaded(*result)

    def _loaded(self, roster: list[Any], sittings: list[Any]) -> None:
        if not self.boxes:
            for member in roster:
                box = QCheckBox(member.name)
                box.setChecked(True)
                self.boxes[member.key_id] = box
                self.present_row.addWidget(box)
        self.sittings = sittings
        self.table.setRowCount(len(sittings))
        for row, s in enumerate(sittings):
            place = s.place + (f" — {s.notes}" if s.notes else "")
            for column, text in enumerate(
                (format_date(s.held_on), place, ", ".join(s.present), ", ".join(s.absent) or "—")
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.status.setText(str(error))

    def add(self) -> None:
        day = self.day.date()
        held_on = dt.date(day.year(), day.month(), day.day())
        present = [key for key, box in self.boxes.items() if box.isChecked()]
        place, notes = self.place.text(), self.notes.text()
        call_id = self.call_id

        def record(ws: OpenWorkspace) -> tuple[object, list[Any], list[Any]]:
            from app.services.sittings import add_sitting

            recorded = add_sitting(
                ws, call_id, held_on=held_on, place=place, present=present, notes=notes
            )
            return (recorded, *roster_and_sittings(ws, call_id))

        self.ops.run(self, record, self._recorded, self._failed)

    def _recorded(self, result: tuple[object, list[Any], list[Any]]) -> None:
        self._loaded(*result[1:])
        self.place.clear()
        self.notes.clear()
        self.status.setText(_("Sitting recorded."))
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.sittings):
            self.status.setText(_("Select a sitting in the list first."))
            return
        sitting_id = self.sittings[row].id
        call_id = self.call_id

        def remove(ws: OpenWorkspace) -> tuple[object, list[Any], list[Any]]:
            from app.services.sittings import remove_sitting

            removed = remove_sitting(ws, call_id, sitting_id)
            return (removed, *roster_and_sittings(ws, call_id))

        self.ops.run(self, remove, self._removed, self._failed)

    def _removed(self, result: tuple[object, list[Any], list[Any]]) -> None:
        self._loaded(*result[1:])
        self.status.setText(_("Sitting removed."))
        self.changed.emit()
