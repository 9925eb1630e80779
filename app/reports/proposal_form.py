"""A proposal's application form as a PDF (the demo's attachments).

Real calls receive these from applicants; the demo generates them so that the
commission has something to read. Built from a plain :class:`ProposalForm`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from app.reports.fonts import BOLD, REGULAR, register_fonts


@dataclass(frozen=True)
class ProposalForm:
    """What the form shows; amounts already formatted by the caller."""

    call_title: str
    authority: str
    code: str
    title: str
    applicant: str
    tax_code: str
    legal_representative: str
    partners: tuple[str, ...]
    neighbourhood: str
    thematic_area: str
    total_cost: str
    requested_contribution: str
    summary: str
    context: str = ""
    objectives: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    beneficiaries: str = ""
    campaign: str = ""
    budget: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    kind: str = "progetto"  # "progetto" or "budget"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_proposal_form(form: ProposalForm) -> bytes:
    """The PDF bytes of ``form`` (A4, fonts embedded, deterministic)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        ListFlowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.grey)
    heading = ParagraphStyle("h", parent=base, fontName=BOLD, fontSize=15, leading=19)
    section = ParagraphStyle(
        "s", parent=base, fontName=BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=3
    )

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{form.code} — {form.title}",
        author=form.applicant,
        subject=form.call_title,
        creator="Vaglio (demo)",
        invariant=True,
    )
    story: list[object] = [
        Paragraph(_escape(f"{form.authority} — {form.call_title}"), small),
        Spacer(1, 4 * mm),
        Paragraph(
            _escape(
                f"Proposta {form.code}: {form.title}"
                if form.kind == "progetto"
                else f"Piano economico — {form.code}: {form.title}"
            ),
            heading,
        ),
        Spacer(1, 4 * mm),
    ]
    facts = [
        ("Soggetto proponente", form.applicant),
        ("Codice fiscale / P. IVA", form.tax_code),
        ("Legale rappresentante", form.legal_representative),
        ("Partner", ", ".join(form.partners) or "—"),
        ("Quartiere", form.neighbourhood),
        ("Ambito tematico", form.thematic_area),
        ("Costo totale del progetto", form.total_cost),
        ("Contributo richiesto al Comune", form.requested_contribution),
    ]
    table = Table(
        [[Paragraph(_escape(k), base), Paragraph(_escape(v), base)] for k, v in facts],
        colWidths=[55 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)

    def bullets(items: tuple[str, ...]) -> ListFlowable:
        return ListFlowable(
            [Paragraph(_escape(item), base) for item in items], bulletType="bullet", leftIndent=12
        )

    if form.kind == "progetto":
        story += [Paragraph("Sintesi", section), Paragraph(_escape(form.summary), base)]
        if form.context:
            story += [
                Paragraph("Contesto e bisogni", section),
                Paragraph(_escape(form.context), base),
            ]
        if form.objectives:
            story += [Paragraph("Obiettivi", section), bullets(form.objectives)]
        if form.activities:
            story += [Paragraph("Attività", section), bullets(form.activities)]
        if form.beneficiaries:
            story += [
                Paragraph("Destinatari", section),
                Paragraph(_escape(form.beneficiaries), base),
            ]
        if form.campaign:
            story += [
                Paragraph("Campagna di crowdfunding", section),
                Paragraph(_escape(form.campaign), base),
            ]
    if form.budget:
        story.append(Paragraph("Piano dei costi", section))
        rows = [["Voce", "Importo"]] + [[item, amount] for item, amount in form.budget]
        rows.append(["Totale", form.total_cost])
        budget = Table(rows, colWidths=[120 * mm, None])
        budget.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("FONTNAME", (0, 0), (-1, 0), BOLD),
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                ]
            )
        )
        story.append(budget)
    doc.build(story)
    return buffer.getvalue()
