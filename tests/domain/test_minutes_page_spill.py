"""The minutes' pages go to a temporary file as the layout makes them
(issue 16: the minutes of 10,000 proposals stream to disk): the same bytes as
pages kept in memory, and memory keeps only where each page lies."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.reports import minutes_layout
from app.reports.minutes_layout import PageSpill, compress_last_page, numbered_canvas


def draw(canvas: Canvas, pages: int) -> None:
    for number in range(pages):
        canvas.setFont(minutes_layout.REGULAR, 10)
        for line in range(40):
            canvas.drawString(60, 780 - 18 * line, f"Pagina {number}, riga {line}: àèìòù")
        canvas.showPage()


def render(mode: str, pages: int = 12) -> bytes:
    """``own``: reportlab compresses each page when it writes the file;
    ``memory``: each page compressed as it is added; ``disk``: and spilled."""
    minutes_layout.register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    spill = PageSpill() if mode == "disk" else None
    for number in range(pages):
        canvas.setFont(minutes_layout.REGULAR, 10)
        canvas.drawString(60, 780, f"Pagina {number}: àèìòù")
        canvas.showPage()
        if mode != "own":
            compress_last_page(canvas, spill)
    if mode != "own":
        assert canvas._doc.Pages.pages[0].stream is None  # held compressed, not as text
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize("ascii85", [1, 0])
def test_pages_compressed_early_or_on_disk_write_reportlabs_own_bytes(
    ascii85: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "useA85", ascii85)
    own = render("own")
    assert render("memory") == own
    assert render("disk") == own
    assert (b"/ASCII85Decode" in own) == bool(ascii85)


def test_the_numbered_canvas_keeps_only_where_each_page_lies() -> None:
    minutes_layout.register_fonts()
    out = io.BytesIO()
    cls = numbered_canvas("Verbale", "MI-CC-2020", "Vaglio")
    canvas: Any = cls(out, invariant=1)
    draw(canvas, 30)
    kept = [state["_code"] for state in canvas._pages]
    assert len(kept) == 30
    assert all(isinstance(ref, tuple) and len(ref) == 2 for code in kept for ref in code)
    assert canvas._spill.file.seek(0, 2) > 30 * 100  # the operators are on disk
    canvas.save()
    assert canvas._spill.file.closed
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) == 30
    last = reader.pages[-1].extract_text()
    assert "Pagina 29, riga 39" in last and "30 di 30" in last
