"""Unlocking a workspace with the passphrase or the recovery code.

The keyring is tried before this dialog opens (see ``MainWindow.start``); the
dialog appears only when it did not unlock, and says why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import keep_geometry

ERROR_STYLE = "color: #8a1c1c;"


class UnlockDialog(QDialog):
    """Asks for the secret and unlocks on the worker; emits ``unlocked`` on success."""

    unlocked = Signal(object)  # IdentityView

    def __init__(self, ops: Ops, parent: Any = None, note: str = "") -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(_("Unlock the workspace"))
        keep_geometry(self)
        self.setMinimumWidth(460)

        self.intro = QLabel(_("Workspace: {folder}").format(folder=ops.state.home))
        self.intro.setWordWrap(True)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.prompt = QLabel(_("&Passphrase:"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(_("Passphrase"))
        self.prompt.setBuddy(self.secret)
        self.use_recovery = QCheckBox(_("Use the &recovery code instead"))
        self.use_recovery.toggled.connect(self._mode_changed)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Unlock"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.note)
        layout.addWidget(self.prompt)
        layout.addWidget(self.secret)
        layout.addWidget(self.use_recovery)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.secret.setFocus()

    def _mode_changed(self, recovery: bool) -> None:
        self.prompt.setText(_("&Recovery code:") if recovery else _("&Passphrase:"))
        self.secret.setEchoMode(
            QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password
        )
        self.secret.setAccessibleName(_("Recovery code") if recovery else _("Passphrase"))
        self.secret.clear()
        self.secret.setFocus()

    def submit(self) -> None:
        text = self.secret.text()
        if not text:
            self._show_error(
                _("Type the recovery code.")
                if self.use_recovery.isChecked()
                else _("Type the passphrase.")
            )
            return
        self._set_busy(True)
        self.ops.unlock(self, text, self._unlocked, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.secret.setEnabled(not busy)
        self.use_recovery.setEnabled(not busy)
        self.buttons.setEnabled(not busy)
        self.error.setStyleSheet("")
        self.error.setText(_("Unlocking…") if busy else "")

    def _show_error(self, message: str) -> None:
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(message)

    def _unlocked(self, identity: object) -> None:
        self.secret.clear()
        self.unlocked.emit(identity)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, VaglioError):
            raise error
        self._show_error(str(error))
        self.secret.selectAll()
        self.secret.setFocus(Qt.FocusReason.OtherFocusReason)
