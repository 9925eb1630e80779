"""The minutes' window: preview in QPdfView, print, save, sign, and the
signatures the document holds.

The PDF is made, signed, checked and saved on the database worker; this
window keeps the current bytes (unsigned, or with the signatures added so
far) and shows them. Printing draws the pages QtPdf renders onto the
printer chosen in a QPrintDialog opened with ``open()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _, n_
from app.ui.common.failure import show_refusal
from app.ui.common.long_step import LongStepDialog
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.minutes.sign_dialog import SignDialog, SignRequest
from app.ui.minutes.verify_dialog import SignaturesTable, signatures_panel

if TYPE_CHECKING:
    from app.services.minutes import MinutesPdf, MinutesSaved, SignatureReport, SignedPdf
    from app.services.steps import Cancel, Progress
    from app.services.unlocking import OpenWorkspace

PRINT_DPI = 300


class MinutesWindow(QDialog):
    """Preview, print, save and sign the minutes of one call."""

    content_changed = Signal()  # new bytes shown (made, opened or signed)
    checked = Signal()  # the signatures table is up to date

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.content: bytes = b""
        self.fields: list[tuple[str, bool]] = []
        self.saved_to: Path | None = None
        self.last_message = ""
        self.last_note = ""  # what the last save or signature did, shown after the counts
        self.dialog: Any = None  # the sign, print or file dialog open now
        self.step: LongStepDialog | None = None  # making or signing, with its Stop
        self.message_box: QMessageBox | None = None
        self._buffer: QBuffer | None = None
        self.setWindowTitle(_("Minutes of {call_id}").format(call_id=call_id))
        fit_to_screen(self, 1000, 680)

        self.info = QLabel(_("Making the minutes…"))
        self.info.setAccessibleName(_("About this document"))
        self.info.setWordWrap(True)
        self.remake_button = self._button(_("&Make again"), self.make)
        self.remake_button.setToolTip(
            _("Make the minutes again from the workspace (signatures not saved are lost).")
        )
        self.open_button = self._button(_("&Open a PDF…"), self.open_pdf)
        self.open_button.setToolTip(
            _("Open minutes already signed by someone else, to sign them too.")
        )
        self.save_button = self._button(_("&Save PDF…"), self.save)
        self.print_button = self._button(_("&Print…"), self.print_document)
        self.sign_button = self._button(_("S&ign…"), self.sign)
        buttons = QHBoxLayout()
        for button in (self.remake_button, self.open_button, self.save_button,
                       self.print_button, self.sign_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(_("Minutes preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.table = SignaturesTable()
        self.signature_status = QLabel()
        self.signature_status.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(signatures_panel(self.table, self.signature_status))
        splitter.setSizes([640, 160])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self._set_busy(True)

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def _set_busy(self, busy: bool) -> None:
        for button in (self.save_button, self.print_button, self.sign_button):
            button.setEnabled(not busy and bool(self.content))
        self.remake_button.setEnabled(not busy)
        self.open_button.setEnabled(not busy)

    def _tell(self, text: str) -> None:
        self.last_message = text
        self.info.setText(text)

    def _warn(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, VaglioError):
            raise error
        self._tell(str(error))
        self.message_box = show_refusal(self, error)

    # -- the document ----------------------------------------------------------

    def _stopped_or_refused(self, error: BaseException) -> None:
        """A step stopped on request is said in the window; a refusal is shown."""
        from app.services.steps import StepStoppedError

        if isinstance(error, StepStoppedError):
            self._set_busy(False)
            self._tell(str(error))
        else:
            self._warn(error)

    def make(self) -> None:
        """Make the minutes from the workspace (on the worker), with the
        pages shown as they are laid out and a Stop."""
        if self.step is not None and not self.step.finished_step:
            return  # the minutes are being made
        self._set_busy(True)
        self._tell(_("Making the minutes…"))
        call_id = self.call_id

        def make(ws: OpenWorkspace, progress: Progress, cancel: Cancel) -> MinutesPdf:
            from app.services.minutes import make_minutes

            return make_minutes(ws, call_id, progress=progress, cancel=cancel)

        self.step = LongStepDialog(
            self, _("Minutes of {call_id}").format(call_id=call_id), _("Making the minutes…")
        )
        self.step.start(
            self.ops, make, lambda pdf: self.show_pdf(pdf.content), self._stopped_or_refused
        )

    def show_pdf(self, content: bytes) -> None:
        """Show ``content`` and check its signatures (on the worker)."""
        self.content = content
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(content))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._set_busy(False)
        self.content_changed.emit()

        def check() -> tuple[list[tuple[str, bool]], list[SignatureReport]]:
            from app.services.minutes import signature_fields, verify_signatures

            return signature_fields(content), verify_signatures(content, [])

        self.ops.run_free(self, check, lambda result: self._checked(content, *result), self._warn)

    def _checked(self, content: bytes, fields: list[tuple[str, bool]], reports: list[Any]) -> None:
        if content is not self.content:
            return  # a newer document is on screen
        self.fields = fields
        self.table.show_reports(reports)
        self.signature_status.setText(self.table.summary())
        signed = sum(1 for _name, done in fields if done)
        self._tell(
            n_(
                "{pages} page; signature fields: {signed} of {fields} signed.",
                "{pages} pages; signature fields: {signed} of {fields} signed.",
                self.document.pageCount(),
            ).format(pages=self.document.pageCount(), signed=signed, fields=len(fields))
            + (" " + self.last_note if self.last_note else "")
        )
        self.checked.emit()

    # -- open and save -----------------------------------------------------------

    def _file_dialog(self, title: str, save: bool, chosen: Any) -> QFileDialog:
        dialog = QFileDialog(self, title, "", _("PDF (*.pdf)"))
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("pdf")
            signed = any(done for _name, done in self.fields)
            name = f"verbale-{self.call_id}{'-firmato' if signed else ''}.pdf"
            dialog.selectFile(name)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(chosen)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_pdf(self) -> None:
        self._file_dialog(_("Open the minutes"), False, lambda p: self.load_file(Path(p)))

    def load_file(self, path: Path) -> None:
        self.last_note = ""

        def read() -> bytes:
            from app.services.files import read_input

            return read_input(path)

        self.ops.run_free(self, read, self.show_pdf, self._warn)

    def save(self) -> None:
        self._file_dialog(_("Save the minutes"), True, lambda p: self.save_to(Path(p)))

    def save_to(self, path: Path) -> None:
        call_id, content = self.call_id, self.content
        self._set_busy(True)

        def save(ws: OpenWorkspace) -> MinutesSaved:
            from app.services.minutes import save_minutes

            return save_minutes(ws, call_id, path, content)

        self.ops.run(self, save, lambda saved: self._saved(path, saved.sha256), self._warn)

    def _saved(self, path: Path, digest: str) -> None:
        self.saved_to = path
        self._set_busy(False)
        self.last_note = _("Saved to {path} (SHA-256 {digest}).").format(path=path, digest=digest)
        self._checked(self.content, self.fields, self.table.reports)

    # -- sign ------------------------------------------------------------------

    def sign(self) -> None:
        empty = [name for name, done in self.fields if not done]
        dialog = SignDialog(empty, self)
        dialog.accepted.connect(lambda: self.sign_with(dialog.request()))
        self.dialog = dialog
        dialog.open()

    def sign_with(self, request: SignRequest) -> None:
        """Add a signature on the worker; the window shows the signed bytes."""
        content = self.content
        self._set_busy(True)
        self._tell(_("Signing…"))

        def sign(_ws: OpenWorkspace, progress: Progress, cancel: Cancel) -> SignedPdf:
            from app.services.minutes import sign_minutes

            return sign_minutes(
                content,
                request.key,
                field=request.field,
                timestamp_url=request.timestamp_url,
                level=request.level,
                progress=progress,
                cancel=cancel,
            )

        # Its phases, and a Stop heard between them (not inside pyHanko's call).
        self.step = LongStepDialog(self, _("Sign the minutes"), _("Signing…"))
        self.step.start(self.ops, sign, self._signed, self._stopped_or_refused)

    def _signed(self, signed: Any) -> None:
        self.last_note = _(
            "Signed by {signer} in the field {field}: save the PDF to keep the signature."
        ).format(signer=signed.signer, field=signed.field)
        self.show_pdf(signed.content)

    # -- print -------------------------------------------------------------------

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"verbale-{self.call_id}")
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        self.dialog = dialog
        self.printer = printer
        QDialog.open(dialog)  # window-modal, no nested event loop

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page on ``printer``; the number of pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            self._tell(_("The printer could not be opened."))
            return 0
        count = self.document.pageCount()
        try:
            for index in range(count):
                if index:
                    printer.newPage()
                target = painter.viewport()
                points = self.document.pagePointSize(index)
                size = QSize(round(points.width() * PRINT_DPI / 72),
                             round(points.height() * PRINT_DPI / 72))  # fmt: skip
                image = self.document.render(index, size)
                scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), scaled), image)
        finally:
            painter.end()
        self._tell(
            n_("{count} page sent to the printer.", "{count} pages sent to the printer.", count)
            .format(count=count)
        )  # fmt: skip
        return count
