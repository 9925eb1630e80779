"""Choosing a workspace when this user has several (the demo has four)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import _
from app.labels import role_label
from app.services.preferences import KnownWorkspace
from app.ui.common.screen_fit import fit_to_screen


class WorkspaceChooser(QDialog):
    """A list of known workspaces, and a way to open another folder."""

    def __init__(self, workspaces: list[KnownWorkspace], last: str | None, parent: Any = None):
        super().__init__(parent)
        self.setWindowTitle(_("Choose a workspace"))
        fit_to_screen(self, 620, 360)
        self.chosen: Path | None = None
        intro = QLabel(_("Which workspace do you want to open?"))
        self.list = QListWidget()
        self.list.setAccessibleName(_("Workspaces"))
        for workspace in workspaces:
            item = QListWidgetItem(
                f"{workspace.name} — {role_label(workspace.role)}\n{workspace.path}"
            )
            item.setData(Qt.ItemDataRole.UserRole, workspace.path)
            self.list.addItem(item)
            if workspace.path == last:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        browse = QPushButton(_("Open another &folder…"))
        browse.clicked.connect(self._browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(browse, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setFocus()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.chosen is None:
            self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Workspace folder"))
        if folder:
            self.chosen = Path(folder)
            super().accept()
