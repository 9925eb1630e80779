"""*Aiuto → Scorciatoie*: every keyboard shortcut registered in the open
windows, read from their live ``QAction`` and ``QShortcut`` objects when the
dialog opens (so the list cannot go stale), plus the keys the forms handle
themselves (the digits that choose a level, Enter in the proposal list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.desk.score_form import level_text

DEFAULT_SIZE = (760, 600)


@dataclass(frozen=True)
class ShortcutRow:
    command: str
    keys: str
    where: str


def plain(text: str) -> str:
    """A menu text without its mnemonic and dots: ``&Lock…`` → ``Lock``."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


def key_text(sequences: Iterable[QKeySequence]) -> str:
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()
    )


def _where(action: QAction) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            return plain(owner.title())
    return ""


def action_rows(widgets: Iterable[QWidget]) -> list[ShortcutRow]:
    """Each action and shortcut with keys, once, from ``widgets`` and their children."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    for widget in widgets:
        for action in [*widget.actions(), *widget.findChildren(QAction)]:
            if (
                id(action) in seen
                or not action.text()
                or not action.isVisible()  # a hidden action's keys do nothing
                or action.shortcut().isEmpty()
            ):
                continue
            seen.add(id(action))
            rows.append(ShortcutRow(plain(action.text()), key_text(action.shortcuts()),
                                    _where(action)))  # fmt: skip
        for shortcut in widget.findChildren(QShortcut):
            if id(shortcut) in seen or shortcut.key().isEmpty():
                continue
            seen.add(id(shortcut))
            what = shortcut.whatsThis() or shortcut.objectName()
            rows.append(ShortcutRow(what or _("(unnamed)"), key_text(shortcut.keys()),
                                    plain(widget.windowTitle())))  # fmt: skip
    return rows


def form_keys(window: Any) -> list[ShortcutRow]:
    """The keys the forms read themselves, not through an action."""
    evaluation = _("Evaluation")
    rows = [ShortcutRow(_("Open the evaluation of the selected proposal"), "Enter",
                        _("Proposal list"))]  # fmt: skip
    levels = ()
    desk = getattr(window, "desk", None)
    sheet = desk.pane.sheet if desk is not None else None
    if sheet is not None:
        levels = sheet.grid.levels
    if desk is not None:
        if levels:
            for index, level in enumerate(levels[:10]):
                label = f" · {level.label}" if level.label else ""
                rows.append(
                    ShortcutRow(_("Choose level {value}{label}").format(
                        value=level_text(level.value), label=label), str(index), evaluation)
                )  # fmt: skip
        else:
            rows.append(ShortcutRow(_("Choose a level (the digit shown beside it)"), "0 … 9",
                                    evaluation))  # fmt: skip
        rows.append(ShortcutRow(_("Move to the next field"), "Tab", evaluation))
    return rows


def registered_shortcuts(window: Any) -> list[ShortcutRow]:
    """What the dialog lists: the open windows' actions and shortcuts, then the forms' keys."""
    windows = [window, *(w for w in QApplication.topLevelWidgets()
                         if w is not window and w.isVisible())]  # fmt: skip
    return [*action_rows(windows), *form_keys(window)]


class ShortcutsDialog(QDialog):
    """A table of every shortcut: command, keys, menu."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.setObjectName("shortcuts")
        self.rows = registered_shortcuts(window)
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Command"), _("Keys"), _("Where")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for number, row in enumerate(self.rows):
            for column, text in enumerate((row.command, row.keys, row.where)):
                self.table.setItem(number, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(*DEFAULT_SIZE)
