"""The recovery sheet: one page to print or keep as a PDF when a workspace is
created, with its owner, its fingerprint and its recovery code (the one way
back into the workspace if the passphrase is lost), and what to do with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.i18n import _, format_datetime


@dataclass(frozen=True)
class RecoverySheetView:
    name: str
    role: str  # already in words
    workspace: str
    fingerprint: str
    recovery_code: str


def render_recovery_sheet(view: RecoverySheetView) -> bytes:
    """The sheet as PDF bytes."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    from app import clock
    from app.reports.document_pdf import DocumentMeta, build_pdf
    from app.reports.fonts import BOLD
    from app.reports.minutes_layout import Styles, escape

    styles = Styles()
    code_style = ParagraphStyle(
        "code", parent=styles.body, fontName=BOLD, fontSize=20, leading=28, alignment=1,
        spaceBefore=8, spaceAfter=8,
    )  # fmt: skip
    title = _("Recovery code of a Vaglio workspace")

    def story(_places: list[Any]) -> list[Any]:
        rows = [
            (_("Name"), view.name),
            (_("Role"), view.role),
            (_("Workspace folder"), view.workspace),
            (_("Fingerprint"), view.fingerprint),
            (_("Created on"), format_datetime(clock.now())),
        ]
        flow: list[Any] = [Paragraph(escape(title), styles.title), Spacer(1, 8)]
        flow += [
            Paragraph(f"<b>{escape(label)}</b>: {escape(value)}", styles.body)
            for label, value in rows
        ]
        flow.append(Paragraph(escape(view.recovery_code), code_style))
        for line in (
            _(
                "This code opens the workspace if the passphrase is lost. Anyone who has it "
                "and this computer can read the workspace: keep this sheet locked away, "
                "never with the computer, and never send it by e-mail."
            ),
            _("It is shown only once, when the workspace is created: Vaglio cannot show it again."),
        ):
            flow.append(Paragraph(escape(line), styles.body))
        return flow

    meta = DocumentMeta(
        title=title,
        author=view.name,
        subject=title,
        header_left="Vaglio",
        header_right=view.name,
        footer_left=_("Confidential"),
    )
    return build_pdf(story, meta).content
