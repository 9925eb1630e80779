"""The page furniture of the minutes: styles, header and footer with
"Pagina X di Y", tables, and the signature boxes whose places become the
PDF's signature fields.

reportlab is imported here at module level: only the minutes' modules import
this one, and they are loaded when a PDF is made, never at start-up.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.i18n import _
from app.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts
from app.reports.minutes_progress import LayoutWatch

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TOP_MARGIN = 24 * mm
BOTTOM_MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
SIGNATURE_BOX_HEIGHT = 20 * mm
RULE = colors.HexColor("#5a5a5a")
SHADE = colors.HexColor("#eef0f2")
LINE = colors.HexColor("#b9bec4")


def escape(text: str) -> str:
    """Text made safe for a reportlab Paragraph (its markup is XML-like)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Styles:
    """The paragraph styles of the minutes (fonts registered on first use)."""

    def __init__(self) -> None:
        register_fonts()
        self.body = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=9.5, leading=13.2, spaceAfter=4
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=11, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BOLD)
        self.head_right = ParagraphStyle("head_right", parent=self.cell_bold, alignment=2)
        self.cell_small = ParagraphStyle("cell_small", parent=self.cell, fontSize=7, leading=9)
        self.digest = ParagraphStyle("digest", parent=self.cell, fontSize=6.5, leading=8.4)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=2)
        self.motivation = ParagraphStyle(
            "motivation", parent=self.cell, fontSize=8, leading=10.4, leftIndent=8,
            textColor=colors.HexColor("#2b2f33"),
        )  # fmt: skip
        self.note = ParagraphStyle(
            "note", parent=self.body, fontName=ITALIC, fontSize=8.5, leading=11.5
        )
        self.authority = ParagraphStyle(
            "authority", parent=self.body, fontName=BOLD, fontSize=13, leading=17,
            alignment=TA_CENTER, spaceAfter=2,
        )  # fmt: skip
        self.subtitle = ParagraphStyle(
            "subtitle", parent=self.body, fontSize=9.5, leading=13, alignment=TA_CENTER,
            spaceAfter=1,
        )  # fmt: skip
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=BOLD, fontSize=15, leading=20,
            alignment=TA_CENTER, spaceBefore=10, spaceAfter=4,
        )  # fmt: skip
        self.call_title = ParagraphStyle(
            "call_title", parent=self.body, fontSize=11, leading=15, alignment=TA_CENTER,
            spaceAfter=10,
        )  # fmt: skip
        self.section = ParagraphStyle(
            "section", parent=self.body, fontName=BOLD, fontSize=11.5, leading=15,
            spaceBefore=10, spaceAfter=5, keepWithNext=True,
        )  # fmt: skip
        self.subsection = ParagraphStyle(
            "subsection", parent=self.body, fontName=BOLD, fontSize=9.5, leading=13,
            spaceBefore=7, spaceAfter=3, keepWithNext=True,
        )  # fmt: skip
        # A heading that may end a page when a CondPageBreak before it left room
        # for a few rows: a long table then starts on the same page.
        self.subsection_loose = ParagraphStyle(
            "subsection_loose", parent=self.subsection, keepWithNext=False
        )
        self.signature_role = ParagraphStyle(
            "signature_role", parent=self.body, fontName=BOLD, fontSize=9, leading=12,
            spaceAfter=0,
        )  # fmt: skip


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = False,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A ruled table that repeats its header row on every page it spans."""
    result = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ]
    if zebra:
        commands.append(
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8f9fa")])
        )
    result.setStyle(TableStyle([*commands, *extra]))
    return result


Block = tuple[list[str], str, float, float]  # lines, font, size, leading


class TextLines(Flowable):  # type: ignore[misc]
    """Blocks of plain text already broken into lines, drawn in one text object.

    Much cheaper than Paragraphs for the thousands of cells of a big call:
    no markup to parse, nothing to compute again when a long table is split
    across pages (``make bench``).
    """

    def __init__(self, blocks: list[Block], indent: float = 0) -> None:
        super().__init__()
        self.blocks = [block for block in blocks if block[0]]
        self.indent = indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = sum(leading * len(lines) for lines, _f, _s, leading in self.blocks)
        return self.width, self.height

    def draw(self) -> None:
        if not self.blocks:
            return
        first = self.blocks[0]
        text = self.canv.beginText(self.indent, self.height - first[2])
        text.setFillColor(colors.HexColor("#2b2f33"))
        for lines, font, size, leading in self.blocks:
            text.setFont(font, size, leading)
            text.textLines(lines, trim=0)
        self.canv.drawText(text)


def text_cell(width: float, *parts: tuple[str, str, float, float]) -> TextLines:
    """A cell of ``(text, font, size, leading)`` parts, broken to ``width`` less padding."""
    return TextLines(
        [(split_lines([text], font, size, width - 6), font, size, leading)
         for text, font, size, leading in parts if text]
    )  # fmt: skip


def split_lines(texts: list[str], font: str, size: float, width: float) -> list[str]:
    """``texts`` broken into lines no wider than ``width`` points."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for text in texts:
        if "\n" not in text and stringWidth(text, font, size) <= width:
            lines.append(text)  # most fit: one measure instead of one per word
        else:
            lines.extend(simpleSplit(text, font, size, width))
    return lines


# -- signature fields -------------------------------------------------------------


@dataclass(frozen=True)
class FieldPlace:
    """Where a signature field goes: page index (0-based) and box in points."""

    name: str
    page: int
    box: tuple[float, float, float, float]


def field_name(role: str, person: str, index: int) -> str:
    """An ASCII field name that tells whose signature goes there.

    ``firma-02-componente-marco-ferrari``: the number keeps the names unique
    and in the order of the blocks; PDF partial field names may not hold dots.
    """
    plain = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "firmatario"
    return f"firma-{index:02d}-{role}-{slug}"[:120]


class SignatureBox(Flowable):  # type: ignore[misc]
    """An empty framed box in a signature block; records where it was drawn."""

    def __init__(self, name: str, width: float, places: list[FieldPlace], hint: str) -> None:
        super().__init__()
        self.name = name
        self.width = width
        self.height = SIGNATURE_BOX_HEIGHT
        self.places = places
        self.hint = hint

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 2)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setFont(ITALIC, 6.5)
        canvas.setFillColor(colors.HexColor("#8a8f95"))
        canvas.drawCentredString(self.width / 2, 2.2 * mm, self.hint)
        canvas.restoreState()
        x, y = canvas.absolutePosition(0, 0)
        self.places.append(
            FieldPlace(
                self.name, canvas.getPageNumber() - 1, (x, y, x + self.width, y + self.height)
            )
        )


# -- header, footer and "Pagina X di Y" ----------------------------------------------


class LazyStory(list):  # type: ignore[type-arg]
    """A story that takes its flowables from an iterator as the layout
    reaches them, so that the minutes of a regional call never hold the
    tables of every proposal at once.

    reportlab's layout reads the story as a list, from the front (it looks a
    few flowables ahead to keep a heading with its table, puts split parts
    back at the front); before each such look the story is topped up to
    :data:`AHEAD` flowables, far more than any look ahead, so the layout
    (and the file) is the same as with the whole list.
    """

    AHEAD = 200

    def __init__(self, head: list[Any], rest: Iterator[Any]) -> None:
        super().__init__(head)
        self._rest: Iterator[Any] | None = rest
        self._top_up()

    def _top_up(self) -> None:
        while self._rest is not None and list.__len__(self) < self.AHEAD:
            try:
                self.append(next(self._rest))
            except StopIteration:
                self._rest = None

    def __len__(self) -> int:
        self._top_up()
        return list.__len__(self)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: Any) -> Any:
        self._top_up()
        return list.__getitem__(self, index)

    def __delitem__(self, index: Any) -> None:
        list.__delitem__(self, index)
        self._top_up()


class PageSpill:
    """The pages' compressed content, written to a temporary file as the
    layout makes it and read back when it is needed: the minutes of a
    regional call (30,000 pages) go to disk page by page, and memory holds a
    pair of numbers per page. The file is removed when it is closed."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def put(self, data: bytes) -> tuple[int, int]:
        offset = self.file.seek(0, 2)
        self.file.write(data)
        return offset, len(data)

    def get(self, ref: tuple[int, int]) -> bytes:
        self.file.seek(ref[0])
        return self.file.read(ref[1])

    def close(self) -> None:
        self.file.close()


def compress_last_page(canvas: Canvas, spill: PageSpill | None = None) -> None:
    """Compress the page reportlab just added, now rather than when it writes
    the file: the same Flate stream and dictionary as its own (the bytes do
    not change), but the document holds each page compressed, or with
    ``spill`` only where its compressed stream lies on disk."""
    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFBase85Encode,
        PDFName,
        PDFStream,
        PDFZCompress,
        pdfdocEnc,
    )

    page = canvas._doc.Pages.pages[-1]
    if not page.stream or not page.compression or page.Contents:
        return
    # The filters and their order of reportlab's PDFPage.check_format and
    # PDFStream.format (ASCII85 outside Flate by default).
    filters = [PDFBase85Encode, PDFZCompress] if rl_config.useA85 else [PDFZCompress]
    packed = page.stream
    for step in reversed(filters):
        packed = step.encode(packed)
    if spill is None:
        stream = PDFStream(content=packed)
    else:  # ASCII85's text as the bytes reportlab would write (and count) for it
        stream = _spilled(spill, spill.put(pdfdocEnc(packed)))
    stream.dictionary["Filter"] = PDFArray([PDFName(step.pdfname) for step in filters])
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None


def _spilled(spill: PageSpill, ref: tuple[int, int]) -> Any:
    """A reportlab stream whose content is read from ``spill`` when written."""
    from reportlab.pdfbase.pdfdoc import PDFStream

    class SpilledStream(PDFStream):  # type: ignore[misc]
        @property
        def content(self) -> bytes:
            return spill.get(ref)

        @content.setter
        def content(self, _value: bytes) -> None:
            pass  # set by PDFStream's constructor; the bytes are on disk

    return SpilledStream(content=b"")


def numbered_canvas(
    header_left: str, header_right: str, footer_left: str, watch: LayoutWatch | None = None
) -> type[Canvas]:
    """A canvas class that writes the running header and "Pagina X di Y" on each page.

    Pages are kept until the end (reportlab's usual recipe), so the total is
    known when the footers are drawn, without laying the document out twice.
    ``watch`` hears each page laid out, then each page numbered.
    """
    watching = watch or LayoutWatch()

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Never reference an unembedded standard font, not even the default one.
            kwargs["initialFontName"] = REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._spill = PageSpill()

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            state = dict(self.__dict__)
            # The page's operators kept compressed until the total is known
            # (reportlab joins them with the same newline when it writes the
            # page): the minutes of a regional call run to 30,000 pages.
            code = state["_code"]
            state["_code"] = (
                [self._spill.put(zlib.compress("\n".join(code).encode("utf-8")))] if code else []
            )
            self._pages.append(state)
            self._startPage()
            watching.page_done(len(self._pages))

        def save(self) -> None:
            total = len(self._pages)
            pages, self._pages = self._pages, []
            pages.reverse()
            while pages:  # each page's state is let go once reportlab holds the page
                watching.numbering(total - len(pages) + 1, total)
                self.__dict__.update(pages.pop())
                packed: list[tuple[int, int]] = self.__dict__["_code"]
                self._code = [zlib.decompress(self._spill.get(c)).decode("utf-8") for c in packed]
                self._furniture(total)
                Canvas.showPage(self)
                compress_last_page(self, self._spill)
            try:
                Canvas.save(self)
            finally:
                self._spill.close()

        def _furniture(self, total: int) -> None:
            self.saveState()
            self.setFillColor(RULE)
            self.setStrokeColor(RULE)
            top = PAGE_HEIGHT - 13 * mm
            self.setFont(REGULAR, 7.5)
            self.drawString(MARGIN, top, header_left)
            self.drawRightString(PAGE_WIDTH - MARGIN, top, header_right)
            self.setLineWidth(0.4)
            self.line(MARGIN, top - 2.2 * mm, PAGE_WIDTH - MARGIN, top - 2.2 * mm)
            bottom = 11 * mm
            self.line(MARGIN, bottom + 4 * mm, PAGE_WIDTH - MARGIN, bottom + 4 * mm)
            self.drawString(MARGIN, bottom, footer_left)
            self.setFont(BOLD, 8)
            self.drawRightString(
                PAGE_WIDTH - MARGIN,
                bottom,
                _("Page {page} of {pages}").format(page=self._pageNumber, pages=total),
            )
            self.restoreState()

    return NumberedCanvas


def cells(style: ParagraphStyle, *texts: str) -> list[Paragraph]:
    """Paragraph cells from plain texts (escaped)."""
    return [Paragraph(escape(text), style) for text in texts]
