"""The first pages of the first-run wizard: what to do, whose workspace it
is, and its passphrase (with a strength meter a person can follow)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from app.i18n import _
from app.services.passphrase_strength import estimate
from app.ui.common.widgets import error_label, note_label, text_label

ROLE_MEMBER, ROLE_SECRETARIAT = "member", "secretariat"
STRENGTH_COLOURS = ("#b3261e", "#b26a00", "#2e7d32", "#1b5e20")


class WelcomePage(QWizardPage):
    """Create a workspace, open one that exists, or try the demo."""

    open_existing = Signal()
    try_demo = Signal()

    def __init__(self, folder: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Welcome to Vaglio"))
        self.setSubTitle(
            _("There is no workspace on this computer yet, in {folder}.").format(folder=folder)
        )
        intro = text_label(
            _(
                "A workspace is your encrypted folder: it holds your identity, the calls you "
                "work on and everything you record. Each person has their own, on their own "
                "computer. This wizard creates yours in a few steps; nothing is sent anywhere."
            )
        )
        self.create_note = note_label(_("Press Next to create your workspace."))
        self.open_button = QPushButton(_("&Open an existing workspace folder…"))
        self.open_button.setToolTip(_("A folder where Vaglio already keeps a workspace"))
        self.open_button.clicked.connect(self.open_existing)
        self.demo_button = QPushButton(_("&Try the demo"))
        self.demo_button.setToolTip(
            _("A complete example: the secretariat, three commission members and a call")
        )
        self.demo_button.clicked.connect(self.try_demo)
        self.status = text_label(name=_("Progress"))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.create_note)
        layout.addSpacing(16)
        layout.addWidget(note_label(_("Or:")))
        layout.addWidget(self.open_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)


class RolePage(QWizardPage):
    """A commission member, or the secretariat."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Your role"))
        self.setSubTitle(_("Who will use this workspace?"))
        self.member = QRadioButton(_("&Member of the evaluation commission"))
        self.member.setChecked(True)
        self.secretariat = QRadioButton(_("&Technical secretariat (the city office)"))
        group = QButtonGroup(self)
        group.addButton(self.member)
        group.addButton(self.secretariat)
        layout = QVBoxLayout(self)
        layout.addWidget(self.member)
        layout.addWidget(
            note_label(
                _(
                    "You evaluate the proposals of a call: you declare any conflict of "
                    "interest, score each proposal with its motivation and send your scores "
                    "to the secretariat, signed and sealed."
                )
            )
        )
        layout.addSpacing(12)
        layout.addWidget(self.secretariat)
        layout.addWidget(
            note_label(
                _(
                    "You prepare the call, import the proposals, enrol the commission, "
                    "collect the scores and print the minutes."
                )
            )
        )
        layout.addStretch(1)

    def role(self) -> str:
        return ROLE_SECRETARIAT if self.secretariat.isChecked() else ROLE_MEMBER


class IdentityPage(QWizardPage):
    """The name and e-mail address the tessera will carry."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Your name"))
        self.setSubTitle(
            _("They go on your tessera, the file the others use to recognise your signature.")
        )
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.email = QLineEdit()
        self.email.setMaxLength(200)
        self.error = error_label()
        form = QFormLayout()
        name_label = QLabel(_("&Name and surname (or the office's name):"))
        name_label.setBuddy(self.name)
        email_label = QLabel(_("&E-mail (optional):"))
        email_label.setBuddy(self.email)
        self.name.setAccessibleName(_("Name"))
        self.email.setAccessibleName(_("E-mail"))
        form.addRow(name_label, self.name)
        form.addRow(email_label, self.email)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.name.textChanged.connect(self.completeChanged)
        self.email.textChanged.connect(self._email_changed)

    def _email_changed(self) -> None:
        self.error.setVisible(False)
        self.completeChanged.emit()

    def email_ok(self) -> bool:
        text = self.email.text().strip()
        return not text or ("@" in text and " " not in text and not text.startswith("@"))

    def isComplete(self) -> bool:
        return bool(self.name.text().strip()) and self.email_ok()

    def validatePage(self) -> bool:
        if not self.email_ok():
            self.error.setText(_("This does not look like an e-mail address."))
            self.error.setVisible(True)
            return False
        return True


class PassphrasePage(QWizardPage):
    """The passphrase, twice, with its strength; Next creates the workspace."""

    def __init__(self, keyring_note: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Your passphrase"))
        self.setSubTitle(
            _(
                "It opens your workspace. A sentence of four or five words of your own is long "
                "and easy to remember; Vaglio cannot recover it for you."
            )
        )
        self.first = QLineEdit()
        self.second = QLineEdit()
        names = (_("Passphrase"), _("Repeat the passphrase"))
        for edit, name in zip((self.first, self.second), names, strict=True):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            edit.textChanged.connect(self._changed)
        self.show_text = QCheckBox(_("&Show the characters"))
        self.show_text.toggled.connect(self._show_text)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(_("Strength of the passphrase"))
        self.meter.setMaximumHeight(12)
        self.strength = text_label(name=_("Strength of the passphrase"))
        self.mismatch = error_label()
        self.error = error_label()
        form = QFormLayout()
        first_label = QLabel(_("&Passphrase:"))
        first_label.setBuddy(self.first)
        second_label = QLabel(_("&Repeat it:"))
        second_label.setBuddy(self.second)
        form.addRow(first_label, self.first)
        form.addRow(second_label, self.second)
        form.addRow("", self.show_text)
        form.addRow(_("Strength:"), self.meter)
        form.addRow("", self.strength)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.mismatch)
        layout.addWidget(
            note_label(
                _(
                    "How the strength is estimated: the kinds of characters you use (small and "
                    "capital letters, digits, spaces and symbols) and the length, repeated "
                    "characters counted once. At least 10 characters and a fair strength are "
                    "needed."
                )
            )
        )
        if keyring_note:
            layout.addWidget(note_label(keyring_note))
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.setButtonText(self.wizard_button(), _("&Create the workspace"))
        self._changed()

    @staticmethod
    def wizard_button() -> Any:
        from PySide6.QtWidgets import QWizard

        return QWizard.WizardButton.CommitButton

    def _show_text(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _changed(self) -> None:
        text = self.first.text()
        strength = estimate(text)
        self.meter.setValue(strength.level + 1 if text else 0)
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {STRENGTH_COLOURS[strength.level]}; }}"
        )
        self.strength.setText(
            _("{label}: {advice}").format(label=strength.label.capitalize(), advice=strength.advice)
            if text
            else ""
        )
        differ = bool(self.second.text()) and self.second.text() != text
        self.mismatch.setText(_("The two passphrases differ."))
        self.mismatch.setVisible(differ)
        self.error.setVisible(False)
        self.completeChanged.emit()

    def passphrase(self) -> str:
        return self.first.text()

    def isComplete(self) -> bool:
        return estimate(self.first.text()).accepted and self.first.text() == self.second.text()
