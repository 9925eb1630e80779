"""The one place where Vaglio's documents other than the minutes become PDF
bytes: the member's individual sheet and the ranking for publication.

:func:`build_pdf` lays out a reportlab story on A4 with the minutes' page
furniture (DejaVu fonts embedded, running header, "Pagina X di Y"), then adds
an empty signature field over each :class:`SignatureBox` the story drew, with
pyHanko, as the minutes do. Both are PDF/A-2b, like the minutes
(:mod:`app.reports.pdfa`), and print every moment in Rome's time.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.clock import now, rome
from app.i18n import current_language, moments_in


@dataclass(frozen=True)
class DocumentMeta:
    """The document information and the running header and footer."""

    title: str
    author: str
    subject: str
    header_left: str
    header_right: str
    footer_left: str
    # The document's creation date: a recorded moment (the approval) when
    # there is one, so that two prints are the same; otherwise the print's.
    created: dt.datetime | None = None


@dataclass(frozen=True)
class BuiltPdf:
    content: bytes
    pages: int
    fields: tuple[str, ...]


def build_pdf(story: Callable[[list[Any]], list[Any]], meta: DocumentMeta) -> BuiltPdf:
    """The PDF of ``story(places)``; ``places`` collects the signature boxes drawn."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from app.reports.minutes_layout import (
        BOTTOM_MARGIN,
        MARGIN,
        TOP_MARGIN,
        FieldPlace,
        numbered_canvas,
    )
    from app.reports.pdfa import (
        ArchivalMetadata,
        archival_canvas,
        archival_writer,
        document_options,
    )

    created = meta.created or now()
    archival = ArchivalMetadata(
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        language=current_language(),
        created=created,
    )
    places: list[FieldPlace] = []
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        **document_options(archival),
    )
    canvas = archival_canvas(
        numbered_canvas(meta.header_left, meta.header_right, meta.footer_left), archival
    )
    with moments_in(rome()):
        document.build(story(places), canvasmaker=canvas)
    content = buffer.getvalue()
    if not places:
        return BuiltPdf(content, document.page, ())
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = archival_writer(content, modified=created)
    for place in places:
        x1, y1, x2, y2 = (round(v) for v in place.box)
        append_signature_field(
            writer, SigFieldSpec(place.name, on_page=place.page, box=(x1, y1, x2, y2))
        )
    out = io.BytesIO()
    writer.write(out)
    return BuiltPdf(out.getvalue(), document.page, tuple(p.name for p in places))
