"""The fonts every Vaglio PDF embeds (DejaVu Sans, shipped in ``resources/fonts``).

Embedding our own TrueType fonts means accents and the euro sign print the same
on every reader, whatever fonts the reader's machine has.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.resources import resource_path

FAMILY = "VaglioSans"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Oblique"
BOLD_ITALIC = f"{FAMILY}-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}


@cache
def register_fonts() -> str:
    """Register the family with reportlab once; returns the regular font's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return REGULAR


def font_file(name: str = REGULAR) -> Path:
    """The TrueType file of one of the family's fonts (for pyHanko's stamps)."""
    return resource_path("fonts", _FILES[name])


# What a signature stamp can show: Latin-1 (see ``signing.stamp_safe``) and the
# punctuation people type in names.
_STAMP_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x2013, 0x2014, 0x2018,
                     0x2019, 0x201C, 0x201D, 0x2026, 0x20AC]  # fmt: skip


@cache
def stamp_font_bytes() -> bytes:
    """DejaVu Sans for signature stamps: the stamp's letters, 1000 units per em.

    pyHanko (0.38) writes a font's glyph widths in the font's own units, which
    PDF reads as thousandths of an em: DejaVu's 2048 units spread the stamp's
    letters apart. Rescaled to 1000 units, the widths are right.
    """
    import io
    import logging

    from fontTools import subset, ttLib
    from fontTools.ttLib.scaleUpem import scale_upem

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # tables it leaves out
    font = ttLib.TTFont(str(font_file(REGULAR)))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_STAMP_CHARACTERS)
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
