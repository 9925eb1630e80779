"""The declarations a member makes: the general one (a dialog) and the one
for each proposal (a form shown before that proposal's scoring form)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.labels import CONFLICT_CATEGORIES, category_label
from app.services.views import DeclarationText, ScoreSheetView
from app.ui.common.screen_fit import fit_to_screen


class GeneralDeclarationDialog(QDialog):
    """The text of the declaration of no incompatibility, and the act of making it."""

    def __init__(self, text: DeclarationText, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Declaration of no incompatibility"))
        fit_to_screen(self, 720, 620)
        self.browser = browser = QTextBrowser()
        browser.setPlainText(text.text)
        browser.setAccessibleName(_("Text of the declaration"))
        self.confirm = QCheckBox(_("I have &read the text and I make this declaration"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Declare"))
        self.ok.setEnabled(False)
        self.confirm.toggled.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        version = QLabel(_("Text version {version}").format(version=text.version))
        version.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.addWidget(browser, 1)
        layout.addWidget(version)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.confirm.setFocus()


class ConflictForm(QWidget):
    """Before scoring a proposal: no conflict of interest, or which one and why."""

    submitted = Signal(bool, object, str)  # conflict, category, reason
    cancelled = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(
            _(
                "Before scoring this proposal, declare whether you have a conflict of interest "
                "with the applicant, its legal representative or its partners."
            )
        )
        self.intro.setWordWrap(True)
        self.facts: dict[str, QLabel] = {}
        facts = QFormLayout()
        for key, title in (
            ("applicant", _("Applicant")),
            ("tax_code", _("Tax code")),
            ("legal_representative", _("Legal representative")),
            ("partners", _("Partners")),
        ):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(title)
            self.facts[key] = label
            facts.addRow(title + ":", label)

        self.no_conflict = QRadioButton(_("&No conflict of interest"))
        self.conflict = QRadioButton(_("There &is a conflict of interest"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.no_conflict)
        self.choice.addButton(self.conflict)
        self.category = QComboBox()
        self.category.setAccessibleName(_("Category of the conflict"))
        for category in CONFLICT_CATEGORIES:
            self.category.addItem(category_label(category), category)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(_("Reason of the conflict"))
        self.reason.setPlaceholderText(_("Why: for example, who you know and how."))
        self.reason.setMaximumHeight(90)
        category_label_widget = QLabel(_("&Category:"))
        category_label_widget.setBuddy(self.category)
        reason_label = QLabel(_("&Reason:"))
        reason_label.setBuddy(self.reason)
        self.conflict_box = QWidget()
        conflict_layout = QFormLayout(self.conflict_box)
        conflict_layout.addRow(category_label_widget, self.category)
        conflict_layout.addRow(reason_label, self.reason)
        self.conflict.toggled.connect(self._choice_changed)
        self.no_conflict.toggled.connect(self._choice_changed)

        self.error = QLabel()
        self.error.setStyleSheet("color: #8a1c1c;")
        self.error.setWordWrap(True)
        self.submit = QPushButton(_("&Record the declaration"))
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._submit)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.clicked.connect(self.cancelled.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(facts)
        layout.addWidget(self.no_conflict)
        layout.addWidget(self.conflict)
        layout.addWidget(self.conflict_box)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_sheet(self, sheet: ScoreSheetView, *, editing: bool) -> None:
        """Fill the facts to check; ``editing`` starts from the current declaration."""
        self.facts["applicant"].setText(sheet.applicant)
        self.facts["tax_code"].setText(sheet.applicant_tax_code)
        self.facts["legal_representative"].setText(sheet.legal_representative)
        self.facts["partners"].setText(", ".join(sheet.partners) or "—")
        self.choice.setExclusive(False)
        self.no_conflict.setChecked(editing and sheet.declared and not sheet.conflicted)
        self.conflict.setChecked(editing and sheet.conflicted)
        self.choice.setExclusive(True)
        index = self.category.findData(sheet.conflict_category) if sheet.conflicted else 0
        self.category.setCurrentIndex(max(0, index))
        self.reason.setPlainText(sheet.conflict_reason if sheet.conflicted else "")
        self.cancel.setVisible(editing)
        self.error.clear()
        self._choice_changed()

    def focus_first(self) -> None:
        (self.conflict if self.conflict.isChecked() else self.no_conflict).setFocus()

    def _choice_changed(self) -> None:
        self.conflict_box.setEnabled(self.conflict.isChecked())
        self.submit.setEnabled(self.conflict.isChecked() or self.no_conflict.isChecked())

    def _submit(self) -> None:
        if self.conflict.isChecked():
            reason = self.reason.toPlainText().strip()
            if not reason:
                self.error.setText(_("Say briefly why there is a conflict of interest."))
                self.reason.setFocus()
                return
            self.submitted.emit(True, self.category.currentData(), reason)
        elif self.no_conflict.isChecked():
            self.submitted.emit(False, None, "")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
