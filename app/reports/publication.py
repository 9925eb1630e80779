"""The approved ranking for publication (albo pretorio, crowdfunding
platform): an Italian PDF on A4 and a CSV with the same fields and Italian
headers. Only the fields docs/publication.md lists: no motivation, no
member's value, no flag; tax codes and legal representatives only when the
call's ``[publication] fields`` asks for them.

The CSV follows RFC 4180 (comma, double quotes, CRLF, UTF-8) with a decimal
point, as the ranking CSV does: machine-readable for the platform.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.clock import rome
from app.i18n import _, format_datetime, format_decimal
from app.models.definition import CallInfo
from app.reports.document_pdf import BuiltPdf, DocumentMeta, build_pdf


@dataclass(frozen=True)
class PublishedCriterion:
    key: str
    title: str
    max_points: Decimal


@dataclass(frozen=True)
class PublishedRow:
    rank: int | None  # None: not in the ranking
    proposal: str
    title: str
    applicant: str
    total: Decimal | None
    criteria: dict[str, Decimal]
    outcome: str  # the outcome in words
    reason: str  # the exclusion's category in words, "" when ranked
    tax_code: str = ""
    legal_representative: str = ""


@dataclass(frozen=True)
class PublicationView:
    call: CallInfo
    criteria: tuple[PublishedCriterion, ...]
    decimals: int
    rows: tuple[PublishedRow, ...]
    approved_at: dt.datetime
    document_sha256: str
    fields: tuple[str, ...]  # the optional fields the call publishes


def _number(value: Decimal | None, places: int) -> str:
    return "" if value is None else f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def _header(view: PublicationView) -> list[str]:
    extra = {
        "tax_code": _("Applicant's tax code"),
        "legal_representative": _("Legal representative"),
    }
    return [
        _("Position"), _("Proposal code"), _("Title"), _("Applicant"),
        *[extra[name] for name in view.fields],
        _("Total points"),
        *[_("{criterion} (max {points})").format(criterion=c.title,
          points=format_decimal(c.max_points, 0)) for c in view.criteria],
        _("Outcome"), _("Reason for exclusion"), _("Ranking approved on"), _("Ranking SHA-256"),
    ]  # fmt: skip


def publication_csv(view: PublicationView) -> str:
    """The CSV text (CRLF lines)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_header(view))
    approved = view.approved_at.astimezone(rome()).isoformat(timespec="seconds")
    for row in view.rows:
        extra = {"tax_code": row.tax_code, "legal_representative": row.legal_representative}
        writer.writerow(
            ["" if row.rank is None else str(row.rank), row.proposal, row.title, row.applicant,
             *[extra[name] for name in view.fields],
             _number(row.total, view.decimals),
             *[_number(row.criteria.get(c.key), view.decimals) for c in view.criteria],
             row.outcome, row.reason, approved, view.document_sha256]
        )  # fmt: skip
    return out.getvalue()


def _story(view: PublicationView, places: list[Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    from app.reports.fonts import BOLD
    from app.reports.minutes_layout import FRAME_WIDTH, Styles, escape, table

    s = Styles()

    def p(text: str, style: Any) -> Any:
        return Paragraph(escape(text), style)

    def who(row: PublishedRow) -> list[Any]:
        lines = [p(row.title, s.cell), p(row.applicant, s.cell_small)]
        if "tax_code" in view.fields:
            lines.append(p(_("Tax code {code}").format(code=row.tax_code), s.cell_small))
        if "legal_representative" in view.fields:
            lines.append(
                p(_("Legal representative: {name}").format(name=row.legal_representative),
                  s.cell_small)
            )  # fmt: skip
        return lines

    places_ = view.decimals
    call = view.call
    story: list[Any] = [
        p(call.authority, s.authority),
        p(call.programme, s.subtitle),
        p(_("Ranking of the call — for publication"), s.title),
        p(call.title, s.call_title),
        p(_("Call {call_id} · CUP {cup}").format(call_id=call.id, cup=call.cup), s.subtitle),
        p(
            _("Ranking approved on {moment}; SHA-256 of the approved ranking: {digest}.").format(
                moment=format_datetime(view.approved_at), digest=view.document_sha256
            ),
            s.body,
        ),
    ]
    n = len(view.criteria)
    criterion_width = 12 * mm
    fixed = 10 * mm + 14 * mm + 15 * mm + criterion_width * n
    title_width = FRAME_WIDTH - fixed
    numbers = [("ALIGN", (3, 0), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8),
               ("FONTNAME", (0, 0), (-1, 0), BOLD)]  # fmt: skip
    ranked = [r for r in view.rows if r.rank is not None]
    excluded = [r for r in view.rows if r.rank is None]
    head = [_("Pos."), _("Code"), _("Title and applicant"), _("Total"),
            *[f"C{i}" for i in range(1, n + 1)]]  # fmt: skip
    rows: list[list[Any]] = [head]
    for r in ranked:
        rows.append(
            [str(r.rank), r.proposal, who(r), format_decimal(r.total or Decimal(0), places_),
             *[format_decimal(r.criteria[c.key], places_) if c.key in r.criteria else "—"
               for c in view.criteria]]
        )  # fmt: skip
    widths = [10 * mm, 14 * mm, title_width, 15 * mm, *[criterion_width] * n]
    story += [p(_("Proposals admitted to the ranking"), s.section), table(rows, widths, zebra=True,
              extra=numbers)]  # fmt: skip
    legend = "; ".join(
        f"C{i} = {c.title} (max {format_decimal(c.max_points, 0)})"
        for i, c in enumerate(view.criteria, start=1)
    )
    story.append(p(_("Points per criterion: {legend}.").format(legend=legend), s.note))
    if excluded:
        rows = [[_("Code"), _("Title and applicant"), _("Total"), _("Reason for exclusion")]]
        for r in excluded:
            rows.append(
                [r.proposal, who(r), "—" if r.total is None else format_decimal(r.total, places_),
                 p(r.reason, s.cell)]
            )  # fmt: skip
        story += [
            p(_("Proposals not admitted to the ranking"), s.section),
            table(rows, [14 * mm, FRAME_WIDTH - 84 * mm, 15 * mm, 55 * mm], zebra=True,
                  extra=[("ALIGN", (2, 0), (2, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8),
                         ("FONTNAME", (0, 0), (-1, 0), BOLD)]),
        ]  # fmt: skip
    return story


def publication_pdf(view: PublicationView) -> BuiltPdf:
    """The PDF for the albo pretorio (no signature field: the act that approves
    the ranking is signed in the office's own document system)."""
    title = _("Ranking of the call — for publication")
    meta = DocumentMeta(
        title=f"{title} — {view.call.title} ({view.call.id})",
        author=view.call.authority,
        subject=f"{view.call.authority} — CUP {view.call.cup}",
        header_left=f"{view.call.authority} — {title}",
        header_right=f"{view.call.id} · CUP {view.call.cup}",
        footer_left=_("Ranking SHA-256 {digest}…").format(digest=view.document_sha256[:16]),
        created=view.approved_at,
    )
    return build_pdf(lambda places: _story(view, places), meta)
