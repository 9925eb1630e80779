"""The signatures of a signed PDF, as a table; and the dialog that checks any PDF.

The checking itself (pyHanko) runs on the database worker through the
``Backend``; this file only shows what comes back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError
from app.i18n import _, format_datetime, n_
from app.services.signature_labels import coverage_label, level_label, verdict
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from app.services.minutes import SignatureReport

GOOD = QColor("#1d5e20")
BAD = QColor("#8a1c1c")
WARN = QColor("#8a5a00")


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


class SignaturesTable(QTableWidget):
    """One row per signature: signer, verdict, time, time-stamp, PAdES level, intact,
    valid, trusted, coverage, field."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, 10, parent)
        self.setAccessibleName(_("Signatures"))
        self.setHorizontalHeaderLabels(
            [_("Signer"), _("Outcome"), _("Signed at"), _("Time-stamp"), _("Level"), _("Intact"),
             _("Valid"), _("Trusted"), _("Covers"), _("Field")]
        )  # fmt: skip
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.reports: list[Any] = []

    def show_reports(self, reports: list[Any]) -> None:
        self.reports = list(reports)
        self.setRowCount(len(reports))
        for row, r in enumerate(reports):
            values = [
                r.signer,
                verdict(r) + (f" ({r.problem})" if r.problem else ""),
                format_datetime(r.signing_time) if r.signing_time else "—",
                format_datetime(r.timestamp) if r.timestamp else "—",
                level_label(r),
                _yes(r.intact),
                _yes(r.valid),
                _yes(r.trusted),
                coverage_label(r),
                r.field,
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(r.subject if column == 0 else text)
                if column in (5, 6, 7):
                    good = (r.intact, r.valid, r.trusted)[column - 5]
                    item.setForeground(GOOD if good else (WARN if column == 7 else BAD))
                if column == 1:
                    item.setForeground(
                        GOOD if r.sound and r.trusted else (WARN if r.sound else BAD)
                    )
                self.setItem(row, column, item)

    def summary(self) -> str:
        if not self.reports:
            return _("This PDF holds no signature.")
        broken = sum(1 for r in self.reports if not r.sound)
        if broken:
            return n_(
                "{count} signature does not hold: the document is not the one signed.",
                "{count} signatures do not hold: the document is not the one signed.",
                broken,
            ).format(count=broken)
        untrusted = sum(1 for r in self.reports if not r.trusted)
        if untrusted:
            return n_(
                "{count} signature is intact, but its signer's certificate is not trusted: "
                "add the certification authority's certificate.",
                "{count} signatures are intact, but their signers' certificates are not "
                "trusted: add the certification authority's certificate.",
                untrusted,
            ).format(count=untrusted)
        return n_(
            "{count} signature, intact and valid.",
            "{count} signatures, all intact and valid.",
            len(self.reports),
        ).format(count=len(self.reports))


class VerifyDialog(QDialog):
    """Check the signatures of any PDF, against trust roots the user adds."""

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(_("Check the signatures of a PDF"))
        fit_to_screen(self, 980, 460)
        self.pdf_path: Path | None = None
        self.trust_files: list[Path] = []
        self.file_dialog: QFileDialog | None = None

        self.file_label = QLabel(_("No file chosen."))
        self.file_label.setWordWrap(True)
        choose = QPushButton(_("Choose the &PDF…"))
        choose.clicked.connect(self.choose_pdf)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)

        self.trust_list = QListWidget()
        self.trust_list.setAccessibleName(_("Trusted root certificates"))
        self.trust_list.setMaximumHeight(70)
        add_root = QPushButton(_("Add a trusted &certificate…"))
        add_root.clicked.connect(self.choose_root)
        roots = QHBoxLayout()
        roots_label = QLabel(_("Trusted roots:"))
        roots_label.setBuddy(self.trust_list)
        roots.addWidget(roots_label)
        roots.addWidget(self.trust_list, 1)
        roots.addWidget(add_root, 0, Qt.AlignmentFlag.AlignTop)

        self.table = SignaturesTable()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Result"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(roots)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _open_file(self, title: str, filters: str, chosen: Any) -> None:
        dialog = QFileDialog(self, title, "", filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()

    def choose_pdf(self) -> None:
        self._open_file(_("Signed PDF"), _("PDF (*.pdf)"), lambda p: self.check(Path(p)))

    def choose_root(self) -> None:
        self._open_file(
            _("Trusted root certificate"),
            _("Certificates (*.pem *.crt *.cer *.der)"),
            lambda p: self.add_root(Path(p)),
        )

    def add_root(self, path: Path) -> None:
        self.trust_files.append(path)
        self.trust_list.addItem(str(path))
        if self.pdf_path is not None:
            self.check(self.pdf_path)

    def check(self, path: Path) -> None:
        """Read and check ``path`` on the worker; fill the table when done."""
        self.pdf_path = path
        self.file_label.setText(str(path))
        self.status.setText(_("Checking…"))
        roots = list(self.trust_files)

        def verify() -> list[SignatureReport]:
            from app.services.files import read_input
            from app.services.minutes import verify_signatures

            return verify_signatures(read_input(path), roots)

        self.ops.run_free(self, verify, self._checked, self._failed)

    def _checked(self, reports: list[Any]) -> None:
        self.table.show_reports(reports)
        self.status.setText(self.table.summary())

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.table.show_reports([])
        self.status.setText(str(error))


def signatures_panel(table: SignaturesTable, status: QLabel) -> QWidget:
    """The table with its one-line summary under it."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(table, 1)
    layout.addWidget(status)
    return panel
