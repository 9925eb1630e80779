"""The detail pane: every field of the selected proposal and its PDFs, read in
place in a viewer with zoom, pages and search (pdf_viewer.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_money
from app.services.views import AttachmentInfo, ProposalDetail, ProposalRow
from app.ui.common.screen_fit import keep_splitter
from app.ui.proposals.pdf_viewer import PdfViewer


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ProposalDetailPane(QWidget):
    """Shows one :class:`ProposalDetail`; asks for attachment bytes when one is chosen."""

    attachment_requested = Signal(int)  # attachment id

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._detail: ProposalDetail | None = None

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = _value_label()

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, title in (
            ("applicant", _("Applicant")),
            ("tax_code", _("Tax code")),
            ("legal_representative", _("Legal representative")),
            ("partners", _("Partners")),
            ("neighbourhood", _("Neighbourhood")),
            ("thematic_area", _("Thematic area")),
            ("total_cost", _("Total cost")),
            ("request", _("Requested contribution")),
            ("summary", _("Summary")),
        ):
            label = _value_label()
            label.setAccessibleName(title)
            self.fields[key] = label
            form.addRow(title + ":", label)

        self.attachment_box = QComboBox()
        self.attachment_box.setAccessibleName(_("Attachments"))
        self.attachment_box.currentIndexChanged.connect(self._attachment_chosen)
        attachment_row = QHBoxLayout()
        attachment_label = QLabel(_("&Attachment:"))
        attachment_label.setBuddy(self.attachment_box)
        attachment_row.addWidget(attachment_label)
        attachment_row.addWidget(self.attachment_box, 1)

        self.viewer = PdfViewer(self)
        self.pdf_document = self.viewer.document
        self.pdf_view = self.viewer.view
        self.no_attachment = QLabel(_("This proposal has no attachments."))
        self.no_attachment.setAlignment(Qt.AlignmentFlag.AlignCenter)

        facts_body = QWidget()
        facts_layout = QVBoxLayout(facts_body)
        facts_layout.addWidget(self.heading)
        facts_layout.addWidget(self.status)
        facts_layout.addLayout(form)
        facts_layout.addStretch(1)
        facts = QScrollArea()
        facts.setWidgetResizable(True)
        facts.setFrameShape(QFrame.Shape.NoFrame)
        facts.setWidget(facts_body)

        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addLayout(attachment_row)
        reader_layout.addWidget(self.viewer, 1)
        reader_layout.addWidget(self.no_attachment, 1)

        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(facts)
        splitter.addWidget(reader)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 580])
        splitter.setChildrenCollapsible(False)
        keep_splitter(splitter, "proposal-facts-and-documents")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_detail(None)

    def show_pending(self, row: ProposalRow) -> None:
        """The selected proposal's heading while its detail waits for the unlock."""
        self.show_detail(None)
        self.heading.setText(f"{row.id} — {row.title}")
        self.status.setText(_("Opening the workspace…"))
        self.status.setStyleSheet("color: palette(placeholder-text);")

    def show_detail(self, detail: ProposalDetail | None) -> None:
        """Fill the pane (``None``: nothing selected)."""
        self._detail = detail
        self.attachment_box.blockSignals(True)
        self.attachment_box.clear()
        self.attachment_box.blockSignals(False)
        self.pdf_document.close()
        if detail is None:
            self.heading.setText(_("Select a proposal in the list."))
            self.status.clear()
            for label in self.fields.values():
                label.clear()
            self._show_reader(False)
            return
        row = detail.row
        self.heading.setText(f"{row.id} — {row.title}")
        if row.admissible:
            self.status.setText(_("Admissible"))
            self.status.setStyleSheet("color: #1d5e20;")
        else:
            self.status.setText(
                _("Not admissible: {reasons}").format(reasons="; ".join(row.inadmissible_reasons))
            )
            self.status.setStyleSheet("color: #8a1c1c; font-weight: bold;")
        values = {
            "applicant": row.applicant,
            "tax_code": detail.applicant_tax_code,
            "legal_representative": detail.legal_representative,
            "partners": ", ".join(detail.partners) or "—",
            "neighbourhood": row.neighbourhood,
            "thematic_area": row.thematic_area,
            "total_cost": format_money(row.total_cost),
            "request": format_money(row.requested_contribution),
            "summary": detail.summary,
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        for info in detail.attachments:
            self.attachment_box.addItem(self._attachment_title(info), info.id)
        self._show_reader(bool(detail.attachments))
        if detail.attachments:
            self._attachment_chosen(0)

    @staticmethod
    def _attachment_title(info: AttachmentInfo) -> str:
        kib = max(1, round(info.size / 1024))
        return f"{info.filename} ({kib} KB)"

    def _show_reader(self, has_attachments: bool) -> None:
        self.attachment_box.setEnabled(has_attachments)
        self.viewer.setVisible(has_attachments)
        self.no_attachment.setVisible(not has_attachments and self._detail is not None)

    def _attachment_chosen(self, position: int) -> None:
        attachment_id = self.attachment_box.itemData(position)
        if attachment_id is not None:
            self.attachment_requested.emit(int(attachment_id))

    def show_pdf(self, attachment_id: int, content: bytes) -> None:
        """Display the bytes of an attachment if it is still the one chosen."""
        if self.attachment_box.currentData() != attachment_id:
            return
        self.viewer.load(content)
