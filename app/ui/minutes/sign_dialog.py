"""How to sign the minutes: a PKCS#12 file and its passphrase, or a PKCS#11
token (smart card, USB key) with its module and PIN; the signature field;
an optional time-stamp server and the PAdES level. The dialog only collects; signing runs on
the worker afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.i18n import _
from app.services.minutes import Pkcs11Key, Pkcs12Key
from app.ui.common.screen_fit import fit_to_screen

# Where PKCS#11 modules usually are: SoftHSM, OpenSC, and the middleware of
# the Italian signature cards (CNS / firma digitale: Bit4id, Athena/IDProtect).
KNOWN_MODULES = (
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/libbit4xpki.so",
    "/usr/lib/libASEP11.so",
    "/Library/OpenSC/lib/opensc-pkcs11.so",
    "C:\\Windows\\System32\\bit4xpki.dll",
    "C:\\Windows\\System32\\opensc-pkcs11.dll",
)


@dataclass(frozen=True)
class SignRequest:
    key: Pkcs12Key | Pkcs11Key
    field: str | None
    timestamp_url: str | None
    level: str | None = None  # None: B-T with a time-stamp server, B-B without


class SignDialog(QDialog):
    """Collects a :class:`SignRequest`; ``request()`` after it is accepted."""

    def __init__(self, empty_fields: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign the minutes"))
        fit_to_screen(self, 620, 0, remember=None)
        self.file_dialog: QFileDialog | None = None

        self.use_file = QRadioButton(_("A signature &file (PKCS#12: .p12, .pfx)"))
        self.use_token = QRadioButton(_("A smart card or &token (PKCS#11)"))
        self.use_file.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)

        self.p12_path = QLineEdit()
        self.p12_path.setAccessibleName(_("Signature file"))
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.p12_path, 1)
        path_row.addWidget(browse)
        self.p12_passphrase = QLineEdit()
        self.p12_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.p12_passphrase.setAccessibleName(_("Passphrase of the signature file"))
        self.file_box = QGroupBox()
        file_form = QFormLayout(self.file_box)
        file_form.addRow(_("File:"), path_row)
        file_form.addRow(_("Passphrase:"), self.p12_passphrase)

        self.module = QComboBox()
        self.module.setEditable(True)
        self.module.setAccessibleName(_("PKCS#11 module"))
        self.module.addItems([m for m in KNOWN_MODULES if Path(m).is_file()])
        self.token_label = QLineEdit()
        self.token_label.setAccessibleName(_("Token label"))
        self.token_label.setPlaceholderText(_("empty: the only token present"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(_("PIN"))
        self.key_label = QLineEdit()
        self.key_label.setAccessibleName(_("Key label"))
        self.key_label.setPlaceholderText(_("empty: the key that has a certificate"))
        self.token_box = QGroupBox()
        token_form = QFormLayout(self.token_box)
        token_form.addRow(_("Module:"), self.module)
        token_form.addRow(_("Token:"), self.token_label)
        token_form.addRow(_("PIN:"), self.pin)
        token_form.addRow(_("Key:"), self.key_label)

        self.field = QComboBox()
        self.field.setAccessibleName(_("Signature field"))
        self.field.addItem(_("the signer's own block (automatic)"), None)
        for name in empty_fields:
            self.field.addItem(name, name)
        self.timestamp_url = QLineEdit()
        self.timestamp_url.setAccessibleName(_("Time-stamp server"))
        self.timestamp_url.setPlaceholderText(_("optional, e.g. https://tsa.example.it/tsa"))
        self.level = QComboBox()
        self.level.setAccessibleName(_("Signature level"))
        self.level.addItem(_("automatic: B-T with a time-stamp server, B-B without"), None)
        self.level.addItem(_("B-B: signature only"), "b-b")
        self.level.addItem(_("B-T: with a time-stamp"), "b-t")
        self.level.addItem(_("B-LT: time-stamp and validation data (long term)"), "b-lt")
        self.level.addItem(_("B-LTA: B-LT and a document time-stamp (archive)"), "b-lta")
        common = QFormLayout()
        common.addRow(_("Signature field:"), self.field)
        common.addRow(_("Time-stamp server:"), self.timestamp_url)
        common.addRow(_("Level:"), self.level)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #8a1c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Sign"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.use_file)
        layout.addWidget(self.file_box)
        layout.addWidget(self.use_token)
        layout.addWidget(self.token_box)
        layout.addLayout(common)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.use_file.toggled.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self, *_args: Any) -> None:
        by_file = self.use_file.isChecked()
        self.file_box.setEnabled(by_file)
        self.token_box.setEnabled(not by_file)

    def _browse(self) -> None:
        dialog = QFileDialog(self, _("Signature file"), "", _("PKCS#12 (*.p12 *.pfx)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.p12_path.setText)
        self.file_dialog = dialog
        dialog.open()

    def request(self) -> SignRequest:
        key: Pkcs12Key | Pkcs11Key
        if self.use_file.isChecked():
            key = Pkcs12Key(Path(self.p12_path.text().strip()), self.p12_passphrase.text())
        else:
            key = Pkcs11Key(
                self.module.currentText().strip(),
                self.pin.text(),
                self.token_label.text().strip(),
                self.key_label.text().strip(),
            )
        url = self.timestamp_url.text().strip() or None
        return SignRequest(key, self.field.currentData(), url, self.level.currentData())

    def _accept(self) -> None:
        if self.use_file.isChecked() and not self.p12_path.text().strip():
            self.problem.setText(_("Choose the signature file."))
            return
        if self.use_token.isChecked() and not self.module.currentText().strip():
            self.problem.setText(_("Give the PKCS#11 module of the card or token."))
            return
        level = self.level.currentData()
        if level in ("b-t", "b-lt", "b-lta") and not self.timestamp_url.text().strip():
            self.problem.setText(
                _("The level {level} needs a time-stamp server: give its address.").format(
                    level=level.upper()
                )
            )
            return
        self.problem.clear()
        self.accept()
