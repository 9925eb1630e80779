"""PDF/A-2b for any PDF that Vaglio lays out with reportlab.

A reportlab document becomes an archival one with three additions, all made
here on the canvas before it writes the file:

- XMP metadata (``pdfaid:part`` 2, ``pdfaid:conformance`` B, title, author,
  subject, language, the application, and the dates), mirrored exactly by the
  document information dictionary;
- an sRGB output intent with its ICC profile (``resources/icc/sRGB.icc``);
- header version 1.7 (PDF/A-2 is built on ISO 32000-1, PDF 1.7).

The creation date is a fact of the document, never the wall clock: the
caller gives it (the minutes give the approval time of the ranking), so two
prints of the same document are the same bytes. The fonts are the caller's
business: every Vaglio PDF uses the DejaVu family of :mod:`app.reports.fonts`,
which reportlab embeds as subsets. Nothing here draws with transparency or
encrypts.

Use :func:`document_options` for the keyword arguments of a
``SimpleDocTemplate`` and :func:`archival_canvas` around its canvas class
(or :func:`make_archival` on a canvas made by hand).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from app.resources import resource_path

PART = 2
CONFORMANCE = "B"
PDF_VERSION = (1, 7)
ICC_PROFILE = ("icc", "sRGB.icc")
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@dataclass(frozen=True)
class ArchivalMetadata:
    """What the XMP packet and the information dictionary of a document say."""

    title: str
    author: str
    subject: str
    language: str  # BCP 47: "it", "en"
    created: dt.datetime  # a recorded moment (naive means UTC), never "now"
    creator: str = "Vaglio"
    keywords: str = ""


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def xmp_date(moment: dt.datetime) -> str:
    """``2026-03-20T09:15:00+00:00``: the XMP form of a moment, in UTC, to the second."""
    return _utc(moment).replace(microsecond=0).isoformat()


def document_options(meta: ArchivalMetadata) -> dict[str, Any]:
    """Keyword arguments of reportlab's ``SimpleDocTemplate`` for ``meta``."""
    return {
        "title": meta.title,
        "author": meta.author,
        "subject": meta.subject,
        "creator": meta.creator,
        "keywords": meta.keywords,
        "lang": meta.language,
        "invariant": True,  # no wall clock, no random identifier
    }


@cache
def srgb_profile() -> bytes:
    """The sRGB ICC profile (v4, 588 bytes; see ``resources/icc/README.md``)."""
    return resource_path(*ICC_PROFILE).read_bytes()


def xmp_packet(meta: ArchivalMetadata, producer: str) -> bytes:
    """The XMP metadata of ``meta`` as UTF-8 bytes, wrapped in an xpacket."""
    moment = xmp_date(meta.created)

    def text(value: str) -> str:
        return escape(value)

    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '  <rdf:Description rdf:about=""',
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"',
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        f"   <pdfaid:part>{PART}</pdfaid:part>",
        f"   <pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>",
        "   <dc:format>application/pdf</dc:format>",
        "   <dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{text(meta.title)}</rdf:li></rdf:Alt></dc:title>',
        f"   <dc:creator><rdf:Seq><rdf:li>{text(meta.author)}</rdf:li></rdf:Seq></dc:creator>",
        "   <dc:description><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{text(meta.subject)}</rdf:li></rdf:Alt></dc:description>',
        f"   <dc:language><rdf:Bag><rdf:li>{text(meta.language)}</rdf:li></rdf:Bag></dc:language>",
        f"   <xmp:CreateDate>{moment}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{moment}</xmp:ModifyDate>",
        f"   <xmp:MetadataDate>{moment}</xmp:MetadataDate>",
        f"   <xmp:CreatorTool>{text(meta.creator)}</xmp:CreatorTool>",
        f"   <pdf:Producer>{text(producer)}</pdf:Producer>",
        f"   <pdf:Keywords>{text(meta.keywords)}</pdf:Keywords>",
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="r"?>',
    ]
    return "\n".join(lines).encode("utf-8")


class _Moment:
    """The creation date in the shape of reportlab's ``TimeStamp`` (UTC)."""

    def __init__(self, moment: dt.datetime) -> None:
        utc = _utc(moment).replace(microsecond=0)
        self.t = utc.timestamp()
        self.lt = utc.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = 0
        self.dmm = 0
        self.tzname = "UTC"


def _drop_empty_transitions(document: Any) -> None:
    """reportlab gives every page an empty ``/Trans`` dictionary: leave it out."""
    add_page = document.addPage

    def addPage(page: Any) -> None:  # noqa: N802 - reportlab's name
        transition = getattr(page, "Trans", None)
        if transition is not None and not getattr(transition, "dict", None):
            page.Trans = None
        add_page(page)

    document.addPage = addPage


def make_archival(canvas: Any, meta: ArchivalMetadata) -> None:
    """Make the document that ``canvas`` is writing a PDF/A-2b one (call before saving)."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFString,
    )

    document = canvas._doc
    _drop_empty_transitions(document)
    document._pdfVersion = max(tuple(document._pdfVersion), PDF_VERSION)
    document._timeStamp = _Moment(meta.created)  # the Info dates
    info = document.info
    info.title, info.author, info.subject = meta.title, meta.author, meta.subject
    info.creator, info.keywords = meta.creator, meta.keywords
    catalog = document.Catalog
    catalog.Lang = PDFString(meta.language)
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        content=xmp_packet(meta, info.producer),
        filters=[],  # PDF/A: the metadata stream is never filtered
    )
    profile = document.Reference(
        PDFStream(PDFDictionary({"N": 3}), content=srgb_profile(), filters=None)
    )
    catalog.OutputIntents = PDFArray(
        [
            PDFDictionary(
                {
                    "Type": PDFName("OutputIntent"),
                    "S": PDFName("GTS_PDFA1"),
                    "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
                    "Info": PDFString(OUTPUT_CONDITION),
                    "DestOutputProfile": profile,
                }
            )
        ]
    )
    # reportlab's catalog writes only the keys it knows: teach this one the intents.
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]


def archival_canvas(canvas_class: type, meta: ArchivalMetadata) -> type:
    """A subclass of ``canvas_class`` whose documents are PDF/A-2b with ``meta``."""

    class ArchivalCanvas(canvas_class):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if not kwargs.get("initialFontName"):
                from app.reports.fonts import register_fonts

                # reportlab starts every page in Helvetica, which is never embedded.
                kwargs["initialFontName"] = register_fonts()
            super().__init__(*args, **kwargs)
            make_archival(self, meta)

    return ArchivalCanvas


# -- keeping the file PDF/A through pyHanko's incremental updates ------------------------


def _pinned_metadata(moment: dt.datetime) -> Any:
    """pyHanko's document metadata whose "last modified" stays ``moment``.

    pyHanko sets the modification date to "now" on every write; the unsigned
    minutes must not depend on the clock, so their date stays the approval's.
    """
    from pyhanko.pdf_utils.metadata.model import DocumentMetadata

    class Pinned(DocumentMetadata):
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "last_modified" and value == "now":
                value = _utc(moment).replace(microsecond=0)
            super().__setattr__(name, value)

    return Pinned(last_modified=_utc(moment).replace(microsecond=0))


def archival_writer(
    pdf: bytes, *, modified: dt.datetime | None = None, max_version: tuple[int, int] | None = (1, 7)
) -> Any:
    """pyHanko's incremental writer on ``pdf`` that keeps a PDF/A file PDF/A.

    - the document information dictionary names the same producer as the XMP
      (pyHanko writes its own name in the XMP and appends it in the dictionary);
    - with ``modified``, the modification date is that moment, not the clock,
      and the second part of the file identifier comes from the bytes updated
      (pyHanko draws it at random): the same input gives the same output;
    - the catalog's version stays at most ``max_version`` (pyHanko would declare
      PDF 2.0 for an ECDSA signature, which PDF 1.7 with the ESIC extension
      already carries); ``None`` leaves pyHanko's choice (Ed25519 needs 2.0).
    """
    import hashlib
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR

    def version_of(name: Any) -> tuple[int, ...]:
        return tuple(int(part) for part in str(name).lstrip("/").split("."))

    class ArchivalWriter(IncrementalPdfFileWriter):
        @classmethod
        def _handle_id(cls, prev: Any) -> Any:
            identifier = super()._handle_id(prev)  # type: ignore[no-untyped-call]
            if modified is not None:
                derived = hashlib.sha256(pdf).digest()[:16]
                identifier[1] = generic.ByteStringObject(derived)
            return identifier

        def ensure_output_version(self, version: tuple[int, int]) -> None:
            if max_version is not None:
                version = min(version, max_version)
            super().ensure_output_version(version)  # type: ignore[no-untyped-call]

        def register_extension(self, ext: Any) -> None:
            if max_version is not None and version_of(ext.base_version) > max_version:
                return
            super().register_extension(ext)

        def _update_meta(self) -> None:
            super()._update_meta()  # type: ignore[no-untyped-call]
            if self._info is not None:
                info = self._info.get_object()  # type: ignore[no-untyped-call]
                if str(info.get("/Producer", "")) != VENDOR:
                    info["/Producer"] = generic.TextStringObject(VENDOR)
                    self.mark_update(self._info)

    writer = ArchivalWriter(io.BytesIO(pdf))
    if modified is not None:
        writer._meta = _pinned_metadata(modified)
    return writer
