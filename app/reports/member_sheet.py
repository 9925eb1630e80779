"""A member's individual evaluation sheet (scheda individuale di valutazione)
as a PDF, with one empty signature field for the member's own card.

:func:`sheet_story` is also the minutes' annex of the members' sheets (then
without the signature box: the annex reproduces bundles the members already
signed). The text is in the current language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.i18n import _, format_datetime, format_decimal
from app.labels import category_label, commission_role_label
from app.models.numbers import places_of
from app.reports.document_pdf import BuiltPdf, DocumentMeta, build_pdf
from app.reports.sheet_view import SheetCriterion, SheetProposal, SheetView

if TYPE_CHECKING:
    from app.reports.minutes_view import MinutesView

CHANGED = "▲"  # the mark of a row that differs from the last bundle sent


def _value(view: SheetView, value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format_decimal(value, max(places_of(value.normalize()), 0))
    label = next((level.label for level in view.grid.levels if level.value == value), "")
    return f"{text} ({label})" if label else text


def _points(view: SheetView, value: Decimal | None) -> str:
    return "—" if value is None else format_decimal(value, view.grid.decimals)


def bundle_statement(view: SheetView) -> tuple[str, bool]:
    """What the sheet says of the bundle, and whether it is a warning."""
    bundle = view.bundle
    if bundle is None:
        return (
            _(
                "No score bundle has been sent yet: the values of this sheet have not been "
                "transmitted to the office."
            ),
            True,
        )
    facts = {
        "sequence": bundle.sequence,
        "moment": format_datetime(bundle.created_at),
        "digest": bundle.payload_hash,
    }
    if view.from_bundle:
        text = _(
            "Printed from the values of score bundle no. {sequence} of {moment}, signed by the "
            "member and accepted by the office; SHA-256 of the bundle: {digest}."
        )
        return text.format(**facts), False
    if view.unsent:
        text = _(
            "This sheet shows values not yet sent: the rows marked {mark} differ from the last "
            "bundle sent (no. {sequence} of {moment}; SHA-256 {digest}) and also show the "
            "value sent."
        )
        return text.format(mark=CHANGED, **facts), True
    text = _(
        "The values of this sheet are those of the last bundle sent, no. {sequence} of "
        "{moment}; SHA-256 of the bundle: {digest}."
    )
    return text.format(**facts), False


def _declaration(proposal: SheetProposal) -> str:
    if not proposal.declared:
        return _("Declaration not made yet.")
    moment = format_datetime(proposal.declared_at) if proposal.declared_at else "—"
    if proposal.conflict:
        text = _(
            "Conflict of interest declared on {moment}: {category} — “{reason}”. "
            "The proposal is not scored."
        ).format(moment=moment, category=category_label(proposal.category), reason=proposal.reason)
    else:
        text = _("No conflict of interest (declared on {moment}).").format(moment=moment)
    if proposal.declaration_changed:
        if proposal.sent_conflict is None:
            sent = _("The last bundle sent did not declare this proposal.")
        elif proposal.sent_conflict:
            sent = _("The last bundle sent declared a conflict of interest.")
        else:
            sent = _("The last bundle sent declared no conflict of interest.")
        text = f"{CHANGED} {text} {sent}"
    return text


def _criterion_rows(view: SheetView, criterion: SheetCriterion, s: Any) -> list[Any]:
    from reportlab.platypus import Paragraph

    from app.reports.minutes_layout import escape

    # Differences are marked against a bundle sent; without one the sheet says so once.
    compared = not view.from_bundle and view.bundle is not None
    mark = f"{CHANGED} " if compared and criterion.changed else ""
    motivation = [Paragraph(escape(criterion.motivation or "—"), s.cell)]
    if mark:
        sent = (
            _("Sent: nothing.")
            if criterion.sent_motivation is None
            else _("Sent: {value} — {motivation}").format(
                value=_value(view, criterion.sent_value), motivation=criterion.sent_motivation
            )
        )
        motivation.append(Paragraph(escape(sent), s.motivation))
    return [
        Paragraph(escape(mark + criterion.title), s.cell),
        Paragraph(escape(_value(view, criterion.value)), s.cell_right),
        Paragraph(escape(_points(view, criterion.points)), s.cell_right),
        motivation,
    ]


def sheet_story(view: SheetView, s: Any, places: list[Any], *, annex: bool = False) -> list[Any]:
    """The flowables of one member's sheet (``places`` collects the signature box)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

    from app.reports.minutes_layout import FRAME_WIDTH, SignatureBox, escape, field_name, table

    def p(text: str, style: Any) -> Any:
        return Paragraph(escape(text), style)

    call = view.call
    story: list[Any] = []
    if annex:
        story.append(p(_("Individual sheet of {member}").format(member=view.member), s.section))
    else:
        story += [
            p(call.authority, s.authority),
            p(call.programme, s.subtitle),
            p(_("Individual evaluation sheet"), s.title),
            p(call.title, s.call_title),
        ]
    story.append(
        p(
            _(
                "Call {call_id} · CUP {cup}. Member: {member} ({role}); key fingerprint {fp}."
            ).format(
                call_id=call.id,
                cup=call.cup,
                member=view.member,
                role=commission_role_label(view.role),
                fp=view.fingerprint,
            ),
            s.body,
        )
    )
    if view.general_declared_at is not None:
        general = _("Declaration of no incompatibility (text {version}) made on {moment}.").format(
            version=view.general_version, moment=format_datetime(view.general_declared_at)
        )
    else:
        general = _("Declaration of no incompatibility: not made yet.")
    story.append(p(general, s.body))
    statement, warning = bundle_statement(view)
    story.append(p(statement, s.subsection_loose if warning else s.body))
    widths = [46 * mm, 29 * mm, 17 * mm, FRAME_WIDTH - 92 * mm]
    for proposal in view.proposals:
        story += [
            CondPageBreak(40 * mm),
            p(f"{proposal.code} — {proposal.title}", s.subsection),
            p(proposal.applicant, s.cell_small),
            p(_declaration(proposal), s.body),
        ]
        if proposal.criteria:
            rows: list[Any] = [
                [p(_("Criterion"), s.cell_bold), p(_("Value"), s.head_right),
                 p(_("Points"), s.head_right), p(_("Motivation"), s.cell_bold)]
            ]  # fmt: skip
            rows += [_criterion_rows(view, c, s) for c in proposal.criteria]
            total = "—" if proposal.total is None else _points(view, proposal.total)
            rows.append([p(_("Total of this member"), s.cell_bold), "", p(total, s.head_right), ""])
            story.append(table(rows, widths))
    if not annex:
        story += [Spacer(1, 8 * mm)]
        block: list[Any] = []
        if view.printed_at is not None:
            block.append(
                p(_("Printed on {moment}.").format(moment=format_datetime(view.printed_at)), s.body)
            )
        block += [
            p(_("Signature of the member"), s.signature_role),
            p(view.member, s.body),
            SignatureBox(
                field_name("componente", view.member, 1),
                70 * mm,
                places,
                _("digital signature"),
            ),
        ]
        story.append(KeepTogether(block))
    return story


def render_sheet(view: SheetView) -> BuiltPdf:
    """The member's sheet as PDF bytes with one empty signature field."""
    from app.reports.minutes_layout import Styles

    styles = Styles()
    title = _("Individual evaluation sheet")
    meta = DocumentMeta(
        title=f"{title} — {view.member} — {view.call.id}",
        author=view.member,
        subject=f"{view.call.authority} — {view.call.title}",
        header_left=f"{view.call.authority} — {title}",
        header_right=f"{view.call.id} · {view.member}",
        footer_left=_("Key fingerprint {fp}").format(fp=view.fingerprint),
    )
    return build_pdf(lambda places: sheet_story(view, styles, places), meta)


def sheets_rule_sentences(view: MinutesView) -> list[str]:
    """The rules section's words for ``[minutes] individual_sheets`` (none by default)."""
    if not view.individual_sheets:
        return []
    return [
        _(
            "Individual sheets: the call requires each member's individual sheet to be annexed "
            "to these minutes (Annex B), with the member's name, values and motivations as in "
            "the score bundle the ranking was computed from."
        )
    ]


def sheets_annex(view: MinutesView, s: Any) -> list[Any]:
    """The minutes' annex of the members' individual sheets (after Annex A),
    when the call asks for it; nothing otherwise."""
    from reportlab.platypus import PageBreak, Paragraph

    from app.reports.minutes_layout import escape

    if not view.individual_sheets:
        return []
    story: list[Any] = [
        PageBreak(),
        Paragraph(escape(_("Annex B — The members' individual sheets")), s.section),
        Paragraph(
            escape(
                _(
                    "The call requires the members' individual sheets to be annexed to the "
                    "minutes (minutes.individual_sheets). Each sheet shows the declarations, "
                    "values and motivations of the score bundle the approved ranking was "
                    "computed from, as signed by the member and accepted by the office; its "
                    "SHA-256 is the one listed in Annex A."
                )
            ),
            s.body,
        ),
    ]
    for index, sheet in enumerate(view.individual_sheets):
        if index:
            story.append(PageBreak())
        story += sheet_story(sheet, s, [], annex=True)
    return story
