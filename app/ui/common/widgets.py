"""Small pieces shared by the secretariat's set-up dialogs: an editable table
with its buttons, the list of problems, and how errors look."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import today_in_rome
from app.errors import VaglioError
from app.i18n import _
from app.services.unlocking import LockedError

ERROR_STYLE = "color: #8a1c1c;"
NOTE_STYLE = "color: palette(placeholder-text);"
WARNING_STYLE = "color: #7a4a00; background: #fff4d6; padding: 6px;"


def today_as_qdate() -> QDate:
    """Today in Rome, for a date field's default (never the laptop's own day)."""
    today = today_in_rome()
    return QDate(today.year, today.month, today.day)


def error_label() -> QLabel:
    """A label for a refusal, red, wrapped, empty until something goes wrong."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setAccessibleName(_("Error"))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def text_label(text: str = "", name: str = "") -> QLabel:
    """Wrapped text people can select and copy (a hash, a seed), with its
    accessible name."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


def heading_label(name: str) -> QLabel:
    """The bold, larger first line of a window."""
    label = text_label(name=name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    label.setFont(font)
    return label


def note_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def explain(label: QLabel, error: BaseException) -> None:
    """Show an expected refusal in ``label``; anything else is a bug and propagates."""
    if isinstance(error, LockedError):
        return
    if not isinstance(error, VaglioError):
        raise error
    label.setText(str(error))
    label.setVisible(True)


def read_only_item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class EditableTable(QWidget):
    """A table people edit in place, with Add, Remove, Move up and Move down."""

    changed = Signal()

    def __init__(
        self, headers: list[str], accessible_name: str, *, movable: bool = True, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers))
        self.table.setAccessibleName(accessible_name)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(_("&Add"))
        self.add_button.setAccessibleName(_("Add a row to {table}").format(table=accessible_name))
        self.remove_button = QPushButton(_("Remo&ve"))
        self.remove_button.setAccessibleName(
            _("Remove the selected row of {table}").format(table=accessible_name)
        )
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.up_button: QPushButton | None = None
        self.down_button: QPushButton | None = None
        if movable:
            self.up_button = QPushButton(_("Move &up"))
            self.up_button.setAccessibleName(_("Move the selected row up"))
            self.down_button = QPushButton(_("Move do&wn"))
            self.down_button.setAccessibleName(_("Move the selected row down"))
            self.up_button.clicked.connect(lambda: self.move_row(-1))
            self.down_button.clicked.connect(lambda: self.move_row(1))
            buttons.addWidget(self.up_button)
            buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[list[str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for values in rows:
            self._insert(self.table.rowCount(), values)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.changed.emit()

    def rows(self) -> list[list[str]]:
        columns = self.table.columnCount()
        result = []
        for row in range(self.table.rowCount()):
            values = []
            for column in range(columns):
                item = self.table.item(row, column)
                values.append(item.text() if item is not None else "")
            result.append(values)
        return result

    def set_cell(self, row: int, column: int, text: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            self.table.setItem(row, column, QTableWidgetItem(text))
        else:
            item.setText(text)

    def _insert(self, row: int, values: list[str]) -> None:
        self.table.insertRow(row)
        for column in range(self.table.columnCount()):
            text = values[column] if column < len(values) else ""
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)

    def add_row(self, values: list[str] | None = None) -> int:
        """Add a row after the selected one (or at the end) and start editing it."""
        current = self.table.currentRow()
        row = current + 1 if current >= 0 else self.table.rowCount()
        self.table.blockSignals(True)
        self._insert(row, values or [])
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        first = self.table.item(row, 0)
        if not values and first is not None:
            self.table.setFocus()
            self.table.editItem(first)
        self.changed.emit()
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), 0)
        self.changed.emit()

    def move_row(self, delta: int) -> None:
        row = self.table.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        values = self.rows()
        values[row], values[target] = values[target], values[row]
        column = max(0, self.table.currentColumn())
        self.set_rows(values)
        self.table.setCurrentCell(target, column)

    def focus_cell(self, row: int, column: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, column)
        self.table.setFocus()


class ProblemList(QWidget):
    """Every problem of an input, where it is and what is wrong, one per line."""

    activated = Signal(int)  # index of the problem

    def __init__(self, heading: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName(_("Problems"))
        self.table.setHorizontalHeaderLabels([_("Where"), _("Problem")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 400)
        self.table.setMinimumHeight(90)
        self.table.cellActivated.connect(lambda row, _column: self.activated.emit(row))
        self.table.cellDoubleClicked.connect(lambda row, _column: self.activated.emit(row))
        self.heading.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_problems(self, heading: str, problems: list[tuple[str, str]]) -> None:
        self.heading.setText(heading)
        self.table.setRowCount(0)
        for where, message in problems:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, read_only_item(where, where))
            self.table.setItem(row, 1, read_only_item(message, message))
        self.table.resizeRowsToContents()
        self.setVisible(bool(problems))

    def texts(self) -> list[str]:
        """Each problem as one line (for tests and copying)."""
        lines = []
        for row in range(self.table.rowCount()):
            where, message = self.table.item(row, 0), self.table.item(row, 1)
            lines.append(f"{where.text() if where else ''}: {message.text() if message else ''}")
        return lines
