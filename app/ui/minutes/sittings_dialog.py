"""The commission's sittings: the list, and a form to record one as the
minutes state it — day, start and end, in person (place) or telematic (tool),
each member present or absent, the secretary who took the minutes, notes.
Work runs on the database worker."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError
from app.i18n import _, format_date, language
from app.labels import commission_role_label
from app.ui.common.empty_hint import EmptyHint
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import today_as_qdate

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace


def roster_and_sittings(ws: OpenWorkspace, call_id: str) -> tuple[list[Any], list[Any]]:
    """The commission and the sittings recorded so far."""
    from app.services.roster import roster
    from app.services.sittings import list_sittings

    return roster(ws, call_id), list_sittings(ws, call_id)


def where_text(s: Any) -> str:
    if s.mode == "telematic":
        return _("telematic: {tool}").format(tool=s.place)
    if s.mode == "in_person":
        return _("in person: {place}").format(place=s.place)
    return str(s.place)


class Attendance:
    """One member's row: present or absent (neither until chosen)."""

    def __init__(self, member: Any, grid: QGridLayout, row: int, parent: QWidget) -> None:
        self.name = member.name
        label = QLabel(f"{member.name} ({commission_role_label(member.commission_role)})")
        self.present = QRadioButton(_("was present"), parent)
        self.absent = QRadioButton(_("was absent"), parent)
        self.present.setAccessibleName(_("{name} present").format(name=member.name))
        self.absent.setAccessibleName(_("{name} absent").format(name=member.name))
        self.group = QButtonGroup(parent)
        self.group.addButton(self.present)
        self.group.addButton(self.absent)
        grid.addWidget(label, row, 0)
        grid.addWidget(self.present, row, 1)
        grid.addWidget(self.absent, row, 2)

    def clear(self) -> None:
        self.group.setExclusive(False)
        self.present.setChecked(False)
        self.absent.setChecked(False)
        self.group.setExclusive(True)


class SittingsDialog(QDialog):
    """Record the sittings the minutes list (section 2)."""

    changed = Signal()

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.sittings: list[Any] = []
        self.members: list[Attendance] = []
        self.setWindowTitle(_("Sittings of the commission — {call_id}").format(call_id=call_id))
        fit_to_screen(self, 1100, 680)

        columns = [_("No."), _("Date"), _("Times"), _("Place or mode"), _("Present"),
                   _("Absent"), _("Secretary")]  # fmt: skip
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(_("Sittings"))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_hint = EmptyHint(
            self.table,
            _("No sitting recorded yet: fill in the form below and record the first one."),
        )
        self.remove_button = QPushButton(_("&Remove the selected sitting"))
        self.remove_button.clicked.connect(self.remove_selected)

        self.day = QDateEdit(today_as_qdate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(language().qt_date)
        self.day.setAccessibleName(_("Day of the sitting"))
        self.start = QTimeEdit(QTime(9, 30))
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName(_("Start of the sitting"))
        self.end = QTimeEdit(QTime(12, 0))
        self.end.setDisplayFormat("HH:mm")
        self.end.setAccessibleName(_("End of the sitting"))
        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(QLabel(_("from")))
        when.addWidget(self.start)
        when.addWidget(QLabel(_("to")))
        when.addWidget(self.end)
        when.addStretch(1)

        self.in_person = QRadioButton(_("In &person"))
        self.telematic = QRadioButton(_("&Telematic"))
        self.in_person.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.in_person)
        self.mode_group.addButton(self.telematic)
        self.place = QLineEdit()
        self.place.setAccessibleName(_("Place, or telematic tool"))
        self.in_person.toggled.connect(self._mode_changed)
        mode = QHBoxLayout()
        mode.addWidget(self.in_person)
        mode.addWidget(self.telematic)
        mode.addWidget(self.place, 1)
        self.mode_note = QLabel()
        self.mode_note.setWordWrap(True)

        self.attendance = QWidget()
        self.attendance_grid = QGridLayout(self.attendance)
        self.attendance_grid.setContentsMargins(0, 0, 0, 0)
        self.attendance_grid.setHorizontalSpacing(24)
        self.attendance_grid.setColumnStretch(3, 1)
        self.secretary = QLineEdit()
        self.secretary.setAccessibleName(_("Secretary who took the minutes"))
        self.secretary.setPlaceholderText(_("name and surname"))
        self.notes = QLineEdit()
        self.notes.setAccessibleName(_("Notes"))

        form_box = QGroupBox(_("Record a sitting"))
        form = QFormLayout(form_box)
        form.addRow(_("&Day and times:"), when)
        form.addRow(_("&Mode:"), mode)
        form.addRow("", self.mode_note)
        form.addRow(_("Attendance:"), self.attendance)
        form.addRow(_("&Secretary taking the minutes:"), self.secretary)
        form.addRow(_("N&otes:"), self.notes)
        self.add_button = QPushButton(_("Re&cord the sitting"))
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)
        for field, buddy in ((when, self.day), (mode, self.place), (self.secretary, None),
                             (self.notes, None)):  # fmt: skip
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(buddy or field)  # type: ignore[arg-type]

        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(form_box)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._mode_changed()

    def _mode_changed(self, *_args: Any) -> None:
        if self.in_person.isChecked():
            self.place.setPlaceholderText(_("e.g. Palazzo Marino, Sala Alessi"))
            self.mode_note.setText("")
            self.mode_note.setVisible(False)
        else:
            self.place.setPlaceholderText(_("the tool, e.g. Microsoft Teams"))
            self.mode_note.setVisible(True)
            self.mode_note.setText(
                _(
                    "Recording a telematic sitting states in the minutes that the identity of "
                    "the participants and the secrecy of the proceedings were ensured."
                )
            )

    def load(self) -> None:
        call_id = self.call_id
        self.ops.run(self, lambda ws: roster_and_sittings(ws, call_id), self._shown, self._failed)

    def _shown(self, result: tuple[list[Any], list[Any]]) -> None:
        self._loaded(*result)

    def _loaded(self, roster: list[Any], sittings: list[Any]) -> None:
        if not self.members:
            for row, member in enumerate(roster):
                self.members.append(Attendance(member, self.attendance_grid, row, self.attendance))
        self.sittings = sittings
        self.table.setRowCount(len(sittings))
        for row, s in enumerate(sittings):
            where = where_text(s) + (f" — {s.notes}" if s.notes else "")
            times = f"{s.starts_at}–{s.ends_at}" if s.starts_at else _("not recorded")
            for column, text in enumerate(
                (str(s.id), format_date(s.held_on), times, where, ", ".join(s.present),
                 ", ".join(s.absent) or "—", s.secretary or _("not recorded"))
            ):  # fmt: skip
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.status.setText(str(error))

    def add(self) -> None:
        day = self.day.date()
        held_on = dt.date(day.year(), day.month(), day.day())
        starts_at = self.start.time().toString("HH:mm")
        ends_at = self.end.time().toString("HH:mm")
        text = self.place.text()
        place, telematic = (text, "") if self.in_person.isChecked() else ("", text)
        present = [m.name for m in self.members if m.present.isChecked()]
        absent = [m.name for m in self.members if m.absent.isChecked()]
        secretary, notes = self.secretary.text(), self.notes.text()
        call_id = self.call_id

        def record(ws: OpenWorkspace) -> tuple[object, list[Any], list[Any]]:
            from app.services.sittings import add_sitting

            recorded = add_sitting(
                ws, call_id, held_on=held_on, starts_at=starts_at, ends_at=ends_at, place=place,
                telematic=telematic, present=present, absent=absent, secretary=secretary,
                notes=notes,
            )  # fmt: skip
            return (recorded, *roster_and_sittings(ws, call_id))

        self.ops.run(self, record, self._recorded, self._failed)

    def _recorded(self, result: tuple[object, list[Any], list[Any]]) -> None:
        self._loaded(*result[1:])
        self.place.clear()
        self.notes.clear()
        for member in self.members:
            member.clear()
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
