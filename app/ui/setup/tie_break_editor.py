"""The tie-break order of a call: criteria of the grid, the lower requested
contribution, the earlier submission, and last the public lottery, chosen from
a menu rather than typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.labels import tie_break_label

SPECIAL = ("lower_request", "submission_order", "lottery")


def special_label(entry: str) -> str:
    return tie_break_label(entry, {})


class TieBreakEditor(QWidget):
    """An ordered list of tie-break entries (criterion keys or the two specials)."""

    def __init__(self, criteria: Callable[[], list[tuple[str, str]]], parent: Any = None) -> None:
        super().__init__(parent)
        self._criteria = criteria
        self.list = QListWidget()
        self.list.setAccessibleName(_("Tie-break order"))
        self.menu = QMenu(self)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.add_button = QPushButton(_("A&dd…"))
        self.add_button.setAccessibleName(_("Add a tie-break rule"))
        self.add_button.setMenu(self.menu)
        self.remove_button = QPushButton(_("Remo&ve"))
        self.remove_button.setAccessibleName(_("Remove the selected tie-break rule"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton(_("Move &up"))
        self.up_button.setAccessibleName(_("Move the selected tie-break rule up"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Move do&wn"))
        self.down_button.setAccessibleName(_("Move the selected tie-break rule down"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def _label(self, entry: str) -> str:
        if entry in SPECIAL:
            return special_label(entry)
        titles = dict(self._criteria())
        title = titles.get(entry)
        return f"{entry} — {title}" if title else entry

    def refresh_labels(self) -> None:
        """Follow the grid: a criterion's title may have changed."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setText(self._label(str(item.data(Qt.ItemDataRole.UserRole))))

    def set_entries(self, entries: list[str]) -> None:
        self.list.clear()
        for entry in entries:
            self._append(entry)

    def entries(self) -> list[str]:
        return [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
        ]

    def _append(self, entry: str) -> None:
        item = QListWidgetItem(self._label(entry))
        item.setData(Qt.ItemDataRole.UserRole, entry)
        self.list.addItem(item)

    def add_entry(self, entry: str) -> None:
        """Add ``entry``, keeping the lottery last."""
        entries = [e for e in self.entries() if e != entry]
        if entry == "lottery" or "lottery" not in entries:
            entries.append(entry)
        else:
            entries.insert(entries.index("lottery"), entry)
        self.set_entries(entries)
        self.list.setCurrentRow(entries.index(entry))

    def _fill_menu(self) -> None:
        self.menu.clear()
        present = set(self.entries())
        choices = [(key, f"{key} — {title}" if title else key) for key, title in self._criteria()]
        choices += [(entry, special_label(entry)) for entry in SPECIAL]
        for entry, label in choices:
            if entry in present:
                continue
            action = QAction(label, self.menu)
            action.triggered.connect(lambda _checked=False, e=entry: self.add_entry(e))
            self.menu.addAction(action)
        if self.menu.isEmpty():
            empty = QAction(_("Nothing left to add"), self.menu)
            empty.setEnabled(False)
            self.menu.addAction(empty)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def move_selected(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
