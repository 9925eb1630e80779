"""Settings: the interface language (for this user) and the idle lock (for
this workspace)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox

from app.i18n import LANGUAGES, _, current_language
from app.ui.common.screen_fit import keep_geometry

LANGUAGE_NAMES = {code: spoken.name for code, spoken in LANGUAGES.items()}


class SettingsDialog(QDialog):
    """Language and idle lock; the caller applies what changed."""

    def __init__(self, idle_minutes: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        keep_geometry(self)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.idle = QSpinBox()
        self.idle.setAccessibleName(_("Lock after minutes of inactivity"))
        self.idle.setRange(0, 240)
        self.idle.setSuffix(" " + _("min"))
        self.idle.setSpecialValueText(_("never"))
        self.idle.setValue(idle_minutes)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language)
        idle_label = QLabel(_("&Lock after inactivity:"))
        idle_label.setBuddy(self.idle)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(language_label, self.language)
        layout.addRow(idle_label, self.idle)
        note = QLabel(_("The language applies to every workspace; the lock to this one."))
        note.setWordWrap(True)
        layout.addRow(note)
        layout.addRow(buttons)

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def chosen_idle_minutes(self) -> int:
        return int(self.idle.value())
