"""The minutes as an archival PDF (PDF/A-2b) and their long-term signatures
(PAdES B-LT, B-LTA), checked with tools that are not ours: pikepdf (its
PDF/A-2b validator, the XMP, the output intent), poppler's pdffonts, pdfinfo
and pdfsig, and pyHanko's own validation.

A test CA names a CRL served on loopback in every certificate it issues; the
time-stamp server runs on loopback too. Nothing leaves the machine."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import pdfa

from app.errors import VaglioError
from app.reports.minutes import render_minutes
from app.reports.pdfa import (
    ArchivalMetadata,
    archival_canvas,
    document_options,
    srgb_profile,
    xmp_date,
)
from app.resources import resource_path
from app.services.minutes import (
    Pkcs12Key,
    make_minutes,
    minutes_view,
    sign_minutes,
    verify_signatures,
)
from tests.support.minutes import CALL, approved_demo, open_home, pdfsig
from tests.support.pki import P12_PASSPHRASE, CrlServer, Pki, TimestampServer
from tests.support.workspaces import ARTIFACTS

pytestmark = pytest.mark.slow

XMP_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
XMP_BASIC = "{http://ns.adobe.com/xap/1.0/}"
XMP_DC = "{http://purl.org/dc/elements/1.1/}"
XMP_PDF = "{http://ns.adobe.com/pdf/1.3/}"


@pytest.fixture(scope="module")
def minutes(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = approved_demo(demo_template, tmp_path_factory.mktemp("pdfa") / "demo")
    ws = open_home(home)
    try:
        yield minutes_view(ws, CALL), make_minutes(ws, CALL).content
    finally:
        ws.close()


@pytest.fixture(scope="module")
def unsigned(minutes: Any) -> bytes:
    return bytes(minutes[1])


@pytest.fixture(scope="module")
def crls() -> Iterator[CrlServer]:
    with CrlServer() as server:
        yield server


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory, crls: CrlServer) -> Pki:
    pki = Pki.create(tmp_path_factory.mktemp("pdfa-pki"), crl_url=crls.url)
    crls.pki = pki
    return pki


@pytest.fixture(scope="module")
def tsa(pki: Pki) -> Iterator[TimestampServer]:
    with TimestampServer(pki) as server:
        yield server


@pytest.fixture(scope="module")
def signers(pki: Pki) -> dict[str, Pkcs12Key]:
    return {
        "president": Pkcs12Key(pki.pkcs12("Elena Colombo", "rsa")[0], P12_PASSPHRASE),
        "member": Pkcs12Key(pki.pkcs12("Marco Ferrari", "ec")[0], P12_PASSPHRASE),
    }


@pytest.fixture(scope="module")
def two_plain(unsigned: bytes, signers: dict[str, Pkcs12Key]) -> bytes:
    """Two B-B signatures, RSA then ECDSA (which pyHanko would declare PDF 2.0)."""
    first = sign_minutes(unsigned, signers["president"])
    return sign_minutes(first.content, signers["member"]).content


@pytest.fixture(scope="module")
def two_long_term(
    unsigned: bytes, signers: dict[str, Pkcs12Key], tsa: TimestampServer, crls: CrlServer
) -> bytes:
    before = crls.requests
    first = sign_minutes(unsigned, signers["president"], timestamp_url=tsa.url, level="b-lt")
    second = sign_minutes(first.content, signers["member"], timestamp_url=tsa.url, level="b-lt")
    assert crls.requests > before  # the CRL was fetched from the address in the certificates
    return second.content


@pytest.fixture(scope="module")
def archived(unsigned: bytes, signers: dict[str, Pkcs12Key], tsa: TimestampServer) -> bytes:
    return sign_minutes(unsigned, signers["member"], timestamp_url=tsa.url, level="b-lta").content


def _write(tmp_path: Path, content: bytes, name: str = "verbale.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _first_revision(content: bytes) -> bytes:
    """The file as reportlab wrote it, before pyHanko's incremental updates."""
    end = content.index(b"%%EOF") + len(b"%%EOF")
    return content[:end] + b"\n"


# -- the document as laid out -------------------------------------------------------


def test_the_first_revision_passes_pikepdfs_pdfa_2b_validator(unsigned: bytes) -> None:
    report = pdfa.validate_written(io.BytesIO(_first_revision(unsigned)), "2b")
    assert report.verdict == "pass", report.summary(40)
    assert report.output_intent == "RGB"


def test_xmp_and_information_agree_and_the_dates_are_the_approval(
    minutes: Any, tmp_path: Path
) -> None:
    view, content = minutes
    approved = xmp_date(view.approved_at)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        xmp = pdf.open_metadata()
        info = pdf.docinfo
        assert xmp[f"{XMP_PDFAID}part"] == "2"
        assert xmp[f"{XMP_PDFAID}conformance"] == "B"
        for key in ("CreateDate", "ModifyDate", "MetadataDate"):
            assert xmp[f"{XMP_BASIC}{key}"] == approved, key
        assert xmp[f"{XMP_DC}title"] == str(info["/Title"])
        assert str(info["/Title"]).startswith("Verbale della Commissione di valutazione")
        assert CALL in str(info["/Title"])
        assert xmp[f"{XMP_DC}creator"] == [str(info["/Author"])] == [view.secretary.name]
        assert xmp[f"{XMP_DC}description"] == str(info["/Subject"])
        assert xmp[f"{XMP_PDF}Producer"] == str(info["/Producer"])
        assert xmp[f"{XMP_BASIC}CreatorTool"] == str(info["/Creator"]) == "Vaglio"
        assert pdf.Root.Lang == "it"
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
    # poppler reads the same real dates, never 2000-01-01 nor the clock.
    moment = view.approved_at.astimezone(__import__("datetime").UTC)
    raw = moment.strftime("D:%Y%m%d%H%M%S")
    out = subprocess.run(
        ["pdfinfo", "-rawdates", str(_write(tmp_path, content))],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert re.search(rf"CreationDate:\s+{raw}", out), out
    assert re.search(rf"ModDate:\s+{raw}", out), out
    assert "2000" not in re.search(r"CreationDate:.*", out).group(0)  # type: ignore[union-attr]
    assert re.search(r"PDF version:\s+1\.7", out), out


def test_two_prints_are_the_same_bytes(minutes: Any) -> None:
    view, content = minutes
    assert render_minutes(view).content == render_minutes(view).content == content


def test_an_srgb_output_intent_with_its_icc_profile(unsigned: bytes) -> None:
    with pikepdf.open(io.BytesIO(unsigned)) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        assert "sRGB" in str(intent.OutputConditionIdentifier)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        data = profile.read_bytes()
    assert data == srgb_profile() == resource_path("icc", "sRGB.icc").read_bytes()
    assert data[36:40] == b"acsp" and data[12:16] == b"mntr" and data[16:20] == b"RGB "
    assert data[8] in (2, 4)  # ICC v2 or v4: PDF/A-2 takes either


def _transparency(pdf: pikepdf.Pdf) -> list[str]:
    """Every construct that would make the file use transparency."""
    found = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        smask = obj.get("/SMask")
        if smask is not None and smask != pikepdf.Name.None_:
            found.append(f"{obj.objgen} /SMask")
        for key in ("/CA", "/ca"):
            if key in obj and float(obj[key]) != 1.0:
                found.append(f"{obj.objgen} {key}")
        if obj.get("/BM") not in (None, pikepdf.Name.Normal, pikepdf.Name.Compatible):
            found.append(f"{obj.objgen} /BM")
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == pikepdf.Name.Transparency:
            found.append(f"{obj.objgen} /Group")
    return found


def _fonts(tmp_path: Path, content: bytes) -> list[str]:
    out = subprocess.run(
        ["pdffonts", str(_write(tmp_path, content, "fonts.pdf"))],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.splitlines()[2:]


def _assert_still_archival(content: bytes, tmp_path: Path) -> None:
    """What must hold after every incremental signature for the file to stay PDF/A-2."""
    lines = _fonts(tmp_path, content)
    assert lines, "no font at all?"
    for line in lines:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line
    assert not any("Courier" in line or "Helvetica" in line for line in lines)
    assert content.startswith(b"%PDF-1.7")
    with pikepdf.open(io.BytesIO(content)) as pdf:
        version = pdf.Root.get("/Version")
        assert version is None or str(version) in ("/1.7", "1.7"), version
        for name, extension in dict(pdf.Root.get("/Extensions", {})).items():
            assert str(extension.BaseVersion).lstrip("/") <= "1.7", name
        xmp = pdf.open_metadata()
        info = pdf.docinfo
        assert xmp[f"{XMP_PDFAID}part"] == "2" and xmp[f"{XMP_PDFAID}conformance"] == "B"
        assert xmp[f"{XMP_PDF}Producer"] == str(info["/Producer"])
        modified = xmp[f"{XMP_BASIC}ModifyDate"]
        assert str(info["/ModDate"]).startswith("D:" + re.sub(r"\D", "", modified[:19]))
        assert "/OutputIntents" in pdf.Root and not pdf.is_encrypted
        assert "/NeedAppearances" not in pdf.Root.AcroForm
        assert _transparency(pdf) == []
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                flags = int(annot.get("/F", 0))
                assert flags & 4 and not flags & (1 | 2 | 32), annot.get("/T")  # printed, shown
                rect = [float(v) for v in annot.Rect]
                if rect[2] > rect[0] and rect[3] > rect[1]:
                    assert set(annot.AP.keys()) == {"/N"}, annot.get("/T")


def test_no_transparency_and_nothing_but_embedded_fonts(unsigned: bytes, tmp_path: Path) -> None:
    _assert_still_archival(unsigned, tmp_path)


def test_two_signatures_keep_the_file_archival(two_plain: bytes, tmp_path: Path) -> None:
    _assert_still_archival(two_plain, tmp_path)
    # The stamps are written in DejaVu Sans, embedded: two subsets, one per stamp.
    stamps = [line for line in _fonts(tmp_path, two_plain) if "CID TrueType" in line]
    assert len(stamps) == 2 and all("DejaVuSans" in line for line in stamps), stamps


def test_the_reusable_builder_makes_any_reportlab_document_pdfa(tmp_path: Path) -> None:
    import datetime as dt

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from app.reports.fonts import register_fonts

    meta = ArchivalMetadata(
        title="Graduatoria — pubblicazione",
        author="Comune di Prova",
        subject="Prova",
        language="it",
        created=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, **document_options(meta))
    style = ParagraphStyle("body", fontName=register_fonts())
    document.build([Paragraph("Perché è così: 1.000,00 €", style)],
                   canvasmaker=archival_canvas(Canvas, meta))  # fmt: skip
    report = pdfa.validate_written(io.BytesIO(buffer.getvalue()), "2b")
    assert report.verdict == "pass", report.summary(40)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        assert pdf.open_metadata()[f"{XMP_BASIC}CreateDate"] == "2026-03-01T09:30:00+00:00"


# -- long-term signatures -------------------------------------------------------------


def test_two_signatures_at_b_lt_hold_for_pyhanko_with_their_level(
    two_long_term: bytes, pki: Pki
) -> None:
    reports = verify_signatures(two_long_term, [pki.ca_pem])
    assert [r.signer for r in reports] == ["Elena Colombo", "Marco Ferrari"]
    for report in reports:
        assert report.level == "B-LT", report
        assert report.intact and report.valid and report.trusted and report.sound, report
        assert report.timestamp is not None
    with pikepdf.open(io.BytesIO(two_long_term)) as pdf:
        dss = pdf.Root.DSS
        assert len(dss.Certs) >= 3 and len(dss.CRLs) >= 1 and len(dss.VRI) == 2


def test_two_signatures_at_b_lt_hold_for_pdfsig(two_long_term: bytes, tmp_path: Path) -> None:
    out = pdfsig(_write(tmp_path, two_long_term))
    signed = [text for text in re.split(r"Signature #\d+:", out)[1:] if "Validation" in text]
    assert len(signed) == 2, out
    for text in signed:
        assert "Signature is Valid." in text and "ETSI.CAdES.detached" in text, out
    assert "Elena Colombo" in signed[0] and "Marco Ferrari" in signed[1]


def test_b_lt_keeps_the_file_archival(two_long_term: bytes, tmp_path: Path) -> None:
    _assert_still_archival(two_long_term, tmp_path)


def test_b_lta_adds_a_document_time_stamp(archived: bytes, pki: Pki, tmp_path: Path) -> None:
    reports = verify_signatures(archived, [pki.ca_pem])
    assert [r.level for r in reports] == ["B-LTA", "document-timestamp"]
    signature, stamp = reports
    assert signature.signer == "Marco Ferrari" and stamp.signer == "Vaglio Test TSA"
    for report in reports:
        assert report.intact and report.valid and report.trusted and report.sound, report
    assert stamp.revision > signature.revision and stamp.timestamp is not None
    # This poppler lists the document time-stamp but cannot validate that kind
    # ("Unimplemented Feature"): it checks the person's signature, pyHanko both.
    out = pdfsig(_write(tmp_path, archived))
    assert out.count("Signature is Valid.") == 1, out
    assert "Vaglio Test TSA" in out
    _assert_still_archival(archived, tmp_path)


def test_levels_b_b_and_b_t_are_reported_too(
    two_plain: bytes, unsigned: bytes, signers: dict[str, Pkcs12Key], tsa: TimestampServer
) -> None:
    assert [r.level for r in verify_signatures(two_plain)] == ["B-B", "B-B"]
    stamped = sign_minutes(unsigned, signers["member"], timestamp_url=tsa.url)  # as before: B-T
    assert [r.level for r in verify_signatures(stamped.content)] == ["B-T"]
    explicit = sign_minutes(unsigned, signers["member"], timestamp_url=tsa.url, level="b-t")
    assert [r.level for r in verify_signatures(explicit.content)] == ["B-T"]


@pytest.mark.parametrize("level", ["b-t", "b-lt", "b-lta"])
def test_a_level_that_needs_a_time_stamp_is_refused_without_one(
    level: str, unsigned: bytes, signers: dict[str, Pkcs12Key], tsa: TimestampServer
) -> None:
    requests = tsa.requests
    with pytest.raises(VaglioError) as refused:
        sign_minutes(unsigned, signers["member"], level=level)
    assert str(refused.value) == (
        f"Il livello {level.upper()} richiede un server di marcatura temporale: indicane "
        "l'indirizzo (--timestamp-url). Non è stato firmato nulla."
    )
    assert tsa.requests == requests


def test_b_b_with_a_time_stamp_server_is_refused(
    unsigned: bytes, signers: dict[str, Pkcs12Key], tsa: TimestampServer
) -> None:
    with pytest.raises(VaglioError, match="B-B"):
        sign_minutes(unsigned, signers["member"], timestamp_url=tsa.url, level="b-b")


def test_b_lt_without_a_reachable_crl_signs_nothing(unsigned: bytes, tmp_path: Path) -> None:
    # A CA whose CRL address answers nothing: the validation data cannot be had.
    with CrlServer() as closed:
        address = closed.url
    lost = Pki.create(tmp_path / "lost", crl_url=address)
    key = Pkcs12Key(lost.pkcs12("Sara Esposito", "ec")[0], P12_PASSPHRASE)
    with TimestampServer(lost) as tsa, pytest.raises(VaglioError) as refused:
        sign_minutes(unsigned, key, timestamp_url=tsa.url, level="b-lt")
    message = str(refused.value)
    assert message.startswith("Non è stato possibile raccogliere i dati di validazione")
    assert message.endswith("Non è stato firmato nulla.")


def test_the_signature_page_renders_with_the_new_stamp_font(two_long_term: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "minutes-b-lt.pdf"
    path.write_bytes(two_long_term)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    with pikepdf.open(path) as pdf:
        signed_pages = {
            number
            for number, page in enumerate(pdf.pages, start=1)
            for annot in page.get("/Annots", [])
            if annot.get("/V") is not None
        }
    assert signed_pages and max(signed_pages) <= pages
    page = min(signed_pages)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(path),
         str(ARTIFACTS / "minutes-b-lt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert list(ARTIFACTS.glob("minutes-b-lt-*.png"))
