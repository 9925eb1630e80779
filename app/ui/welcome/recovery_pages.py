"""The last pages of the first-run wizard: the fingerprint and the recovery
code (printed or saved, then confirmed by typing a part of it back), and what
comes next for a member (tessera, invitation) or the secretariat (a new call)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.i18n import _
from app.labels import role_label
from app.ui.common.widgets import error_label, note_label, text_label

if TYPE_CHECKING:
    from app.services.views import IdentityView

# Crockford's base32 reads O as 0 and I, L as 1: the confirmation does too.
CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})
CONFIRMED_GROUP = 2  # the third group of five


def big_mono(name: str, scale: float = 1.6) -> QLabel:
    label = text_label(name=name)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def code_groups(code: str) -> list[str]:
    return code.split("-")


def same_group(typed: str, group: str) -> bool:
    return typed.strip().upper().translate(CROCKFORD) == group.upper().translate(CROCKFORD)


class RecoveryPage(QWizardPage):
    """The fingerprint and the recovery code, shown once; Finish (or Next)
    waits until the third group of the code is typed back."""

    print_requested = Signal()
    save_requested = Signal(object)  # Path

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Your workspace is ready"))
        self.setSubTitle(_("Keep the recovery code safe: it is shown only now."))
        self.identity: IdentityView | None = None
        self.code = ""
        self.who = text_label(name=_("Identity"))
        self.fingerprint = big_mono(_("Fingerprint"), 1.3)
        self.recovery = big_mono(_("Recovery code"), 1.8)
        self.recovery.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recovery.setStyleSheet("background: #fff4d6; padding: 10px;")
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.clicked.connect(self.print_requested)
        self.save_button = QPushButton(_("Save as P&DF…"))
        self.save_button.clicked.connect(self._choose_pdf)
        self.saved = text_label(name=_("Recovery sheet"))
        self.confirm = QLineEdit()
        self.confirm.setMaxLength(12)
        self.confirm.setMaximumWidth(160)
        self.confirm.setAccessibleName(_("Third group of the recovery code"))
        self.confirm.textChanged.connect(self._typed)
        self.wrong = error_label()
        self.keyring_note = note_label("")
        self.keyring_note.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        confirm_row = QHBoxLayout()
        confirm_label = QLabel(
            _("To confirm you kept it, type the &third group of the code (five characters):")
        )
        confirm_label.setBuddy(self.confirm)
        confirm_row.addWidget(confirm_label)
        confirm_row.addWidget(self.confirm)
        confirm_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(QLabel(_("Fingerprint (others compare it aloud with you):")))
        layout.addWidget(self.fingerprint)
        layout.addSpacing(8)
        layout.addWidget(
            QLabel(_("Recovery code (it opens the workspace if you forget the passphrase):"))
        )
        layout.addWidget(self.recovery)
        layout.addWidget(
            note_label(
                _(
                    "Print it or save it as a PDF and keep it away from this computer. "
                    "Vaglio cannot show it again."
                )
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.saved)
        layout.addSpacing(8)
        layout.addLayout(confirm_row)
        layout.addWidget(self.wrong)
        layout.addWidget(self.keyring_note)
        layout.addStretch(1)

    def show_created(self, identity: IdentityView, code: str, keyring_error: str | None) -> None:
        self.identity, self.code = identity, code
        self.who.setText(
            _("{name}, {role}, in {folder}").format(
                name=identity.name, role=role_label(identity.role), folder=identity.workspace
            )
        )
        self.fingerprint.setText(identity.fingerprint)
        self.recovery.setText(code)
        if keyring_error:
            self.keyring_note.setText(
                _("Note: {detail} You will type the passphrase to open the workspace.").format(
                    detail=keyring_error
                )
            )
            self.keyring_note.setVisible(True)

    def _choose_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery code"), "codice-di-recupero.pdf", _("PDF (*.pdf)")
        )
        if path:
            self.save_requested.emit(Path(path))

    def expected_group(self) -> str:
        groups = code_groups(self.code)
        return groups[CONFIRMED_GROUP] if len(groups) > CONFIRMED_GROUP else ""

    def _typed(self) -> None:
        typed = self.confirm.text().strip()
        wrong = len(typed) >= len(self.expected_group()) and not self.isComplete()
        self.wrong.setText(_("This is not the third group of the code: look at it again, above."))
        self.wrong.setVisible(wrong)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.code) and same_group(self.confirm.text(), self.expected_group())

    def sheet_html(self) -> str:
        """The same sheet as the PDF, for the printer."""
        identity = self.identity
        assert identity is not None
        rows = "".join(
            f"<p><b>{html.escape(label)}</b>: {html.escape(value)}</p>"
            for label, value in (
                (_("Name"), identity.name),
                (_("Role"), role_label(identity.role)),
                (_("Workspace folder"), identity.workspace),
                (_("Fingerprint"), identity.fingerprint),
            )
        )
        heading = html.escape(_("Recovery code of a Vaglio workspace"))
        warning = html.escape(
            _(
                "This code opens the workspace if the passphrase is lost. Anyone who has it "
                "and this computer can read the workspace: keep this sheet locked away, "
                "never with the computer, and never send it by e-mail."
            )
        )
        code = html.escape(self.code)
        return (
            f"<h2>{heading}</h2>{rows}"
            f"<p style='font-size:20pt; font-family:monospace'><b>{code}</b></p>"
            f"<p>{warning}</p>"
        )


class NextStepsPage(QWizardPage):
    """What comes next: for a member, the tessera and the invitation; for the
    secretariat, a new call from the template or from a file."""

    export_card_requested = Signal(object)  # Path
    join_requested = Signal(object)  # Path
    call_file_chosen = Signal(object)  # Path

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Next steps"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self._member_steps())
        self.stack.addWidget(self._secretariat_steps())
        self.call_file: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.setFinalPage(True)

    def _member_steps(self) -> QWidget:
        page = QWidget()
        self.card_button = QPushButton(_("&Export my tessera for the secretariat…"))
        self.card_button.clicked.connect(self._choose_card_path)
        self.join_button = QPushButton(_("&Join a call with an invitation…"))
        self.join_button.clicked.connect(self._choose_invitation)
        self.member_status = text_label(name=_("What was done"))
        self.member_error = error_label()
        layout = QVBoxLayout(page)
        layout.addWidget(
            text_label(
                _(
                    "1. Send your tessera to the secretariat (by e-mail or on a USB stick): it "
                    "holds only public keys. The secretariat enrols you in the commission."
                )
            )
        )
        layout.addWidget(self.card_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(12)
        layout.addWidget(
            text_label(
                _(
                    "2. The secretariat then sends you an invitation file. Open it here, or "
                    "later from File → Join a call with an invitation: you compare the "
                    "office's fingerprint aloud with them, and the call arrives."
                )
            )
        )
        layout.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.member_status)
        layout.addWidget(self.member_error)
        layout.addStretch(1)
        return page

    def _secretariat_steps(self) -> QWidget:
        page = QWidget()
        self.from_template = QRadioButton(_("Prepare a new call now, from the &template"))
        self.from_template.setChecked(True)
        self.from_file = QRadioButton(_("Prepare a new call now, from a call &file (TOML)…"))
        self.later = QRadioButton(_("&Later (Secretariat → New call)"))
        group = QButtonGroup(self)
        for button in (self.from_template, self.from_file, self.later):
            group.addButton(button)
        self.from_file.clicked.connect(self._choose_call_file)
        self.file_label = text_label(name=_("Call file"))
        layout = QVBoxLayout(page)
        layout.addWidget(
            text_label(
                _(
                    "After Finish, a guide takes you through the new call step by step: the "
                    "call and its criteria grid, the proposals, the members' tessere, the "
                    "invitations and the publication."
                )
            )
        )
        layout.addWidget(self.from_template)
        layout.addWidget(
            note_label(
                _(
                    "The template is the 2020 Milan civic crowdfunding call: change what "
                    "differs in yours."
                )
            )
        )
        layout.addWidget(self.from_file)
        layout.addWidget(self.file_label)
        layout.addWidget(self.later)
        layout.addStretch(1)
        return page

    def show_role(self, role: str) -> None:
        self.stack.setCurrentIndex(0 if role == "member" else 1)
        self.setSubTitle(
            _("What a commission member does next.")
            if role == "member"
            else _("What the secretariat does next.")
        )

    def new_call(self) -> tuple[str, Path | None] | None:
        """How the secretariat wants to start its first call (None: later)."""
        if self.stack.currentIndex() != 1 or self.later.isChecked():
            return None
        if self.from_file.isChecked() and self.call_file is not None:
            return ("file", self.call_file)
        return ("template", None)

    def _choose_card_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export my tessera"), "tessera.vaglio-card", _("Tessere (*.vaglio-card)")
        )
        if path:
            self.export_card_requested.emit(Path(path))

    def _choose_invitation(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("The secretariat's invitation"),
            "",
            _("Invitations (*.vaglio-invito);;All files (*)"),
        )
        if path:
            self.join_requested.emit(Path(path))

    def _choose_call_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Call definition"), "", _("Call definitions (*.toml);;All files (*)")
        )
        if path:
            self.set_call_file(Path(path))
        elif self.call_file is None:
            self.from_template.setChecked(True)

    def set_call_file(self, path: Path) -> None:
        self.call_file = path
        self.from_file.setChecked(True)
        self.file_label.setText(str(path))
