"""The minutes as a document: what the text says, every page rendered, fonts
embedded, signature fields in the signature blocks; refused before approval."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import clock
from app.i18n import format_decimal, set_language
from app.labels import exclusion_label
from app.services.minutes import make_minutes, minutes_view
from app.services.minutes_errors import MinutesBeforeApprovalError
from tests.support.minutes import CALL, approved_demo, open_home
from tests.support.workspaces import ARTIFACTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("minutes") / "demo")


@pytest.fixture(scope="module")
def minutes(demo_home: Path) -> Iterator[tuple[object, bytes]]:
    set_language("it")
    ws = open_home(demo_home)
    try:
        view = minutes_view(ws, CALL)
        pdf = make_minutes(ws, CALL)
    finally:
        ws.close()
    yield view, pdf.content


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (cells wrap)."""
    return re.sub(r"\s+", " ", text)


def test_the_text_holds_the_call_the_commission_the_ranking_and_the_annex(minutes) -> None:  # type: ignore[no-untyped-def]
    view, content = minutes
    text = _text(content)
    flat = _flat(text)
    call = view.call
    for fact in (call.id, call.authority.upper(), call.programme, call.project_code, call.cup,
                 "550.000,00 €", "VERBALE DELLA COMMISSIONE DI VALUTAZIONE"):  # fmt: skip
        assert fact in flat, fact
    assert _flat(call.title) in flat
    for member in view.commission:
        assert member.name in flat
        assert member.fingerprint in flat
    assert view.secretary.name in flat
    ranking = view.ranking
    assert len(ranking.rows) == 13 and len(ranking.excluded) == 27
    places = ranking.grid.decimals
    for row in ranking.rows:
        total = format_decimal(row.total, places)
        # The ranking table's line: place, proposal, title … total.
        assert re.search(rf"\b{row.rank} {row.proposal} .*? {re.escape(total)} ", flat), row
    reasons = {e.reason for e in ranking.excluded}
    assert reasons == {"below_threshold", "below_criterion_floor", "no_quorum", "inadmissible"}
    excluded_part = flat[flat.index("Proposte non ammesse alla graduatoria") :]
    for row in ranking.excluded:
        label = exclusion_label(row.reason)
        assert re.search(rf"{row.proposal} .*?{re.escape(label)}", excluded_part), row
    annex = flat[flat.index("Allegato A") :]
    for bundle in ranking.bundles:
        assert bundle.payload_hash in annex.replace(" ", "")
        assert bundle.sealed_sha256 in annex.replace(" ", "")
        assert bundle.fingerprint in annex
    assert ranking.document_sha256 in flat
    # The per-proposal scores carry the motivations.
    assert "Motivazioni" in flat or "motivazioni" in flat
    assert "Soluzione originale per Padova" in flat


def test_conflicts_declarations_and_method(minutes) -> None:  # type: ignore[no-untyped-def]
    view, content = minutes
    flat = _flat(_text(content))
    assert view.conflicts, "the demo has a declared conflict"
    conflict = view.conflicts[0]
    assert conflict.member in flat and conflict.proposal in flat
    assert "rapporto professionale" in flat
    assert _flat(conflict.reason) in flat
    assert "versione del testo 2020-1" in flat
    assert "Metodo: aggregativo compensatore" in flat
    # The money rule, in words a reader can check by hand.
    assert "almeno il 40% del costo entro 60 giorni" in flat
    assert "il minore tra il tetto, il contributo richiesto e il costo residuo" in flat
    assert "si ferma al primo progetto che il fondo non riesce a coprire" in flat
    for label in ("non valutabile", "insufficiente", "ottimo"):
        assert label in flat
    assert "Non è stato necessario alcun sorteggio" in flat


def test_every_page_says_page_x_of_y_and_embeds_its_fonts(minutes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _view, content = minutes
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 10
    for number, page in enumerate(reader.pages, start=1):
        assert f"Pagina {number} di {pages}" in page.extract_text()
    path = tmp_path / "verbale.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    assert lines and all(" yes " in line for line in lines), fonts.stdout
    assert not any("Helvetica" in line or "Times" in line for line in lines)


def test_every_page_renders_with_pdftoppm(minutes) -> None:  # type: ignore[no-untyped-def]
    _view, content = minutes
    folder = ARTIFACTS / "minutes"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = folder / "verbale.pdf"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(source), str(folder / "pagina")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    images = sorted(folder.glob("pagina-*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(content)).pages)
    from PySide6.QtGui import QImage

    for image_path in images:
        image = QImage(str(image_path))
        assert not image.isNull() and image.width() > 400
        # Not blank: some dark pixels between the running header and footer.
        dark = sum(
            1
            for y in range(image.height() // 8, image.height() * 7 // 8, 7)
            for x in range(0, image.width(), 7)
            if image.pixelColor(x, y).lightness() < 128
        )
        assert dark > 0, image_path.name


def test_signature_fields_sit_in_the_signature_blocks(minutes) -> None:  # type: ignore[no-untyped-def]
    view, content = minutes
    from app.services.minutes import signature_fields

    fields = signature_fields(content)
    names = [name for name, _signed in fields]
    # A substitute who evaluated nothing (the demo's Luca Bianchi) signs nothing.
    signers = [m for m in view.commission if m.role != "substitute" or m.bundles]
    assert len(names) == len(signers) + 1 == 4
    assert names[0] == "firma-01-presidente-elena-colombo"
    assert names[-1].startswith("firma-04-segretario-")
    assert not any(signed for _name, signed in fields)
    reader = PdfReader(io.BytesIO(content))
    widgets = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == len(names)
    for widget in widgets:
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        assert x2 - x1 > 150 and y2 - y1 > 40  # a visible box, not a zero-size field


def test_english_minutes(demo_home: Path) -> None:
    ws = open_home(demo_home)
    set_language("en")
    try:
        content = make_minutes(ws, CALL).content
    finally:
        set_language("it")
        ws.close()
    flat = _flat(_text(content))
    assert "MINUTES OF THE EVALUATION COMMISSION" in flat
    assert "Page 1 of" in flat
    assert "quorum of evaluators not reached" in flat
    assert "€550,000.00" in flat


def test_refused_before_the_ranking_is_approved(demo_copy: Path) -> None:
    ws = open_home(demo_copy / "segreteria")
    try:
        with pytest.raises(MinutesBeforeApprovalError) as refusal:
            make_minutes(ws, CALL)
    finally:
        ws.close()
    assert "approva prima la graduatoria" in str(refusal.value)


def test_individual_scores_and_a_lottery(secretariat) -> None:  # type: ignore[no-untyped-def]
    """A call that puts each member's values in the minutes and settles a tie by lottery."""
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals
    from app.services.ranking import approve_ranking, record_lottery_number
    from app.services.sittings import add_sitting
    from tests.support.commission import CONFLICT, FIXTURES, deliver, uniform

    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', 'id = "MI-CC-INDIVIDUALI"', 1)
    text = text.replace(
        "individual_scores_in_minutes = false", "individual_scores_in_minutes = true"
    )
    text = text.replace(
        'tie_break = ["impact", "innovation", "lower_request", "lottery"]',
        'tie_break = ["lottery"]',
    )
    assert "individual_scores_in_minutes = true" in text
    call_id = create_call(secretariat, text).call_id
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    same = {p: uniform("0.8") for p in ("P001", "P002")}
    deliver(
        secretariat,
        call_id,
        {
            "Anna Rossi": {**same, "P003": uniform("0.6")},
            "Bruno Neri": {**same, "P003": CONFLICT},
            "Carla Verdi": {**same, "P003": uniform("0.4")},
        },
    )
    record_lottery_number(secretariat, call_id, "37")
    add_sitting(
        secretariat, call_id, held_on=clock.today_in_rome(), starts_at="10:00", ends_at="11:00",
        place="Sala Alessi", present=["Anna Rossi", "Bruno Neri", "Carla Verdi"],
        secretary="Elena Ferri",
    )  # fmt: skip
    approve_ranking(secretariat, call_id)
    view = minutes_view(secretariat, call_id)
    content = make_minutes(secretariat, call_id).content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "minutes-individual-scores.pdf").write_bytes(content)  # for people to look at
    flat = _flat(_text(content))
    assert view.ranking.lotteries
    draw = view.ranking.lotteries[0]
    assert draw.seed in flat and "37" in flat
    assert ", ".join(draw.order) in flat
    # The digest and the algorithm, with every step a reader needs to recompute
    # the draw, are in the minutes (the lottery dialog only says they are).
    for words in ("impronta SHA-256", "mescolamento Fisher–Yates", "un a capo",
                  "contatore (8 byte, big-endian", "Chiunque può ripetere il calcolo"):  # fmt: skip
        assert words in flat, words
    # Each member's values have a column: the names head the scores table.
    assert "Anna Rossi Bruno Neri Carla Verdi" in flat
    assert "0,80" in flat
    p003 = next(p for p in view.proposals if p.proposal == "P003")
    assert p003.abstained == ("Bruno Neri",)
    assert "Astensione per conflitto di interessi dichiarato: Bruno Neri." in flat
    assert p003.reason == "no_quorum" and Decimal(0) not in p003.points.values()
