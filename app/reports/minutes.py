"""The evaluation minutes (verbale) of a call as a PDF, with its signature fields.

:func:`render_minutes` lays out a :class:`MinutesView` with reportlab (A4,
DejaVu fonts embedded, "Pagina X di Y" on every page) as a PDF/A-2b
document created at the approval of the ranking (:mod:`app.reports.pdfa`), then adds one empty
signature field over each signature block with pyHanko, so that each signer
later fills their own field in an incremental update (see
:mod:`app.reports.signing`). The text is in the current language.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Any

from app.clock import rome
from app.i18n import _, current_language, moments_in
from app.reports.minutes_progress import LayoutWatch
from app.reports.minutes_view import MinutesView
from app.reports.pdfa import (
    ArchivalMetadata,
    archival_canvas,
    archival_writer,
    document_options,
)


@dataclass(frozen=True)
class MinutesPdf:
    """The PDF bytes, how many pages, and the signature fields it holds."""

    content: bytes
    pages: int
    fields: tuple[str, ...]


def archival_metadata(view: MinutesView) -> ArchivalMetadata:
    """The PDF/A metadata of the minutes: created when the ranking was approved."""
    call = view.call
    title = _("Minutes of the evaluation commission")
    return ArchivalMetadata(
        title=f"{title} — {call.title} ({call.id})",
        author=view.secretary.name,
        subject=f"{call.authority} — {call.programme} — CUP {call.cup}",
        language=current_language(),
        created=view.approved_at,
    )


def _template(watch: LayoutWatch) -> type[Any]:
    from reportlab.platypus import SimpleDocTemplate

    from app.reports.minutes_scores import PROPOSAL_MARK

    class WatchedTemplate(SimpleDocTemplate):  # type: ignore[misc]
        """reportlab's template, telling the watch which proposal the layout
        has reached (the mark on each proposal's first flowable)."""

        def handle_flowable(self, flowables: list[Any]) -> None:
            mark = getattr(flowables[0], PROPOSAL_MARK, None) if flowables else None
            if mark is not None:
                watch.reached_proposal(*mark)
            super().handle_flowable(flowables)

    return WatchedTemplate


def _layout(view: MinutesView, watch: LayoutWatch) -> tuple[bytes, int, list[object]]:
    from reportlab.lib.pagesizes import A4

    from app.reports import minutes_college as college
    from app.reports import minutes_scores as scores
    from app.reports import minutes_sections as sections
    from app.reports.member_sheet import sheets_annex
    from app.reports.minutes_layout import (
        BOTTOM_MARGIN,
        MARGIN,
        TOP_MARGIN,
        FieldPlace,
        LazyStory,
        Styles,
        numbered_canvas,
    )

    styles = Styles()
    call = view.call
    places: list[FieldPlace] = []
    head = [
        *sections.title_block(view, styles),
        *sections.premises(view, styles),
        *sections.commission(view, styles),
        *college.college(view, styles),
        *sections.sittings(view, styles),
        *sections.declarations(view, styles),
        *sections.criteria_and_method(view, styles),
        *scores.proposal_scores(view, styles),
    ]
    tail = [
        *scores.ranking(view, styles),
        *sections.lottery(view, styles),
        *sections.approval_and_signatures(view, styles, places),
        *sections.annex(view, styles),
        *sheets_annex(view, styles),
    ]
    # Each proposal's tables are made when the layout reaches them.
    story = LazyStory(
        head,
        itertools.chain(scores.each_proposal(view, styles), tail),
    )
    buffer = io.BytesIO()
    title = _("Minutes of the evaluation commission")
    meta = archival_metadata(view)
    document = _template(watch)(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        **document_options(meta),
    )
    digest = view.ranking.document_sha256 or ""
    canvas = archival_canvas(
        numbered_canvas(
            f"{call.authority} — {title}",
            f"{call.id} · CUP {call.cup}",
            _("Ranking SHA-256 {digest}…").format(digest=digest[:16]),
            watch,
        ),
        meta,
    )
    watch.phase(_("Laying out the minutes…"))
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue(), document.page, list(places)


def render_minutes(view: MinutesView, watch: LayoutWatch | None = None) -> MinutesPdf:
    """The minutes of ``view`` as PDF bytes with an empty signature field per signer.

    ``watch`` hears the pages as they are laid out and may stop the layout
    (its ``check`` raises); nothing is written anywhere, the PDF is in memory.
    """
    watch = watch or LayoutWatch()
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    from app.reports.minutes_layout import FieldPlace

    # Every moment in Rome's time, whatever the zone of the computer printing.
    with moments_in(rome()):
        content, pages, places = _layout(view, watch)
    watch.phase(_("Adding the signature fields…"))
    # The fields are an update of their own, dated like the document: no clock.
    writer = archival_writer(content, modified=view.approved_at)
    names = []
    for place in places:
        assert isinstance(place, FieldPlace)
        x1, y1, x2, y2 = (round(v) for v in place.box)
        append_signature_field(
            writer, SigFieldSpec(place.name, on_page=place.page, box=(x1, y1, x2, y2))
        )
        names.append(place.name)
    out = io.BytesIO()
    writer.write(out)
    return MinutesPdf(out.getvalue(), pages, tuple(names))
