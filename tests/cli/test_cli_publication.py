"""``vaglio publication`` and ``vaglio sheet`` from the command line: the
published ranking (PDF and CSV) holds only the publishable fields, checked on
the demo's own tax codes, legal representatives and motivations; refused
before approval with nothing written; the sheet refused to the secretariat."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import rome
from app.models import Call, Proposal, Score
from app.services.demo import DEMO_PASSPHRASE
from app.services.ranking import approved_view
from tests.support.minutes import CALL, approved_demo, open_home
from tests.support.pki import P12_PASSPHRASE, Pki
from tests.support.workspaces import ARTIFACTS, snapshot_tree

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("publication") / "demo")


@pytest.fixture
def home(approved_home: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(approved_home, tmp_path / "segreteria"))


def recorded(home: Path) -> dict[str, object]:
    """The demo's private fields, as the workspace holds them."""
    ws = open_home(home)
    try:
        with ws.session() as session:
            proposals = session.scalars(select(Proposal).where(Proposal.call_id == CALL)).all()
            motivations = {s.justification for s in session.scalars(select(Score))}
            ranking = approved_view(session, CALL)
            return {
                "tax_codes": {p.applicant_tax_code for p in proposals},
                "representatives": {p.legal_representative for p in proposals},
                "motivations": {m for m in motivations if m},
                "ranking": ranking,
            }
    finally:
        ws.close()


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def assert_fonts_embedded(path: Path) -> None:
    """poppler's pdffonts: every font embedded and subset (DejaVu, no standard font)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    assert rows and all("DejaVuSans" in row[0] and row[-5:-3] == ["yes", "yes"] for row in rows)


def test_refused_before_approval_and_nothing_is_written(
    cli, demo_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    for name in ("graduatoria.pdf", "graduatoria.csv"):
        result = cli("publication", CALL, "--out", str(out_dir / name),
                     home=demo_copy / "segreteria", passphrase=DEMO_PASSPHRASE)  # fmt: skip
        assert result.code == 1
        assert result.err.startswith("error: ") and result.err.count("\n") == 1
        assert "si pubblica dopo la sua approvazione" in result.err
        assert "vaglio ranking MI-CC-2020 --approve" in result.err
    assert snapshot_tree(out_dir) == {}


def test_an_unknown_format_is_refused(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("publication", CALL, "--out", str(tmp_path / "graduatoria.xlsx"), home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and "un file .pdf o .csv, non graduatoria.xlsx" in result.err
    assert not (tmp_path / "graduatoria.xlsx").exists()


def test_the_csv_holds_only_the_publishable_fields(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    facts = recorded(home)
    ranking = facts["ranking"]
    out = tmp_path / "graduatoria.csv"
    result = cli("publication", CALL, "--out", str(out), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    data = out.read_bytes()
    text = data.decode("utf-8")
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in result.out
    lines = list(csv.reader(io.StringIO(text)))
    header = lines[0]
    assert header[:5] == ["Posizione", "Codice proposta", "Titolo", "Proponente",
                          "Punteggio totale"]  # fmt: skip
    assert header[5] == "Carattere innovativo della proposta (max 25)"
    assert header[-4:] == ["Esito", "Motivo dell'esclusione", "Graduatoria approvata il",
                           "SHA-256 della graduatoria"]  # fmt: skip
    rows = lines[1:]
    assert len(rows) == len(ranking.rows) + len(ranking.excluded)  # type: ignore[attr-defined]
    first = ranking.rows[0]  # type: ignore[attr-defined]
    assert rows[0][:5] == ["1", first.proposal, first.title, first.applicant, f"{first.total:.2f}"]
    assert rows[0][-4] == "ammessa in graduatoria"
    assert all(r[-1] == ranking.document_sha256 for r in rows)  # type: ignore[attr-defined]
    approved = ranking.approved_at.astimezone(rome())  # type: ignore[attr-defined]
    assert all(r[-2] == approved.isoformat(timespec="seconds") for r in rows)
    excluded = {r[1]: r for r in rows if r[0] == ""}
    assert excluded["P012"][-4:-2] == ["non ammessa", "non ammissibile"]
    assert excluded["P014"][-3] == "quorum dei valutatori non raggiunto"
    for value in (*facts["tax_codes"], *facts["representatives"], *facts["motivations"]):  # type: ignore[misc]
        assert value not in text, value
    assert "dispersion" not in text


def test_the_pdf_holds_only_the_publishable_fields(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    facts = recorded(home)
    ranking = facts["ranking"]
    out = tmp_path / "graduatoria.pdf"
    result = cli("publication", CALL, "--out", str(out), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    text = pdf_text(out)
    assert "Comune di Milano" in text and "Graduatoria dell'avviso — per la pubblicazione" in text
    assert "CUP B49J17000100006" in text
    assert "Crowdfunding civico 2020 — progetti ad impatto sociale nei quartieri" in text
    assert f"SHA-256 della graduatoria approvata: {ranking.document_sha256}" in text  # type: ignore[attr-defined]
    assert "Graduatoria approvata il" in text
    assert "Proposte ammesse in graduatoria" in text
    assert "Proposte non ammesse alla graduatoria" in text
    for row in ranking.rows:  # type: ignore[attr-defined]
        assert row.proposal in text and row.applicant in text
    assert "C1 = Carattere innovativo della proposta (max 25)" in text
    assert "totale sotto la soglia" in text
    for value in (*facts["tax_codes"], *facts["representatives"], *facts["motivations"]):  # type: ignore[misc]
        assert value not in text, value
    assert_fonts_embedded(out)
    # PDF/A-2b like the minutes, dated by the approval, never by the clock.
    assert_archival(out, ranking.approved_at)  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                    str(ARTIFACTS / "publication")], check=True)  # fmt: skip


def test_the_call_may_publish_tax_codes(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = open_home(home)
    try:
        with ws.session() as session:
            call = session.scalars(select(Call).where(Call.id == CALL)).one()
            call.definition += '\n[publication]\nfields = ["tax_code"]\n'
    finally:
        ws.close()
    facts = recorded(home)
    out = tmp_path / "graduatoria.csv"
    assert cli("publication", CALL, "--out", str(out), home=home,
               passphrase=DEMO_PASSPHRASE).code == 0  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "Codice fiscale del proponente" in text.splitlines()[0]
    assert "97108250156" in text  # P001's applicant, as the demo's proposals say
    for value in facts["representatives"]:  # type: ignore[attr-defined]
        assert value not in text


def test_the_sheet_is_refused_to_the_secretariat(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "scheda.pdf"
    result = cli("sheet", CALL, "--out", str(out), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1
    assert result.err.startswith("error: ") and "area di lavoro di un commissario" in result.err
    assert not out.exists()


def test_the_member_prints_their_sheet(cli, demo_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "scheda.pdf"
    result = cli("sheet", CALL, "--out", str(out), home=demo_copy / "commissario-2",
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "Scheda individuale di MI-CC-2020 scritta in" in result.out
    assert "Ultimo pacchetto inviato: SHA-256 " in result.out
    assert "Campo di firma: firma-01-componente-marco-ferrari." in result.out
    assert "Marco Ferrari" in pdf_text(out)
    assert_fonts_embedded(out)
    assert_archival(out)

    # Ready to sign with the member's own card: vaglio sign fills the member's field.
    pki = Pki.create(tmp_path / "pki")
    card, *_rest = pki.pkcs12("Marco Ferrari", "ec")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(P12_PASSPHRASE + "\n", encoding="utf-8")
    signed = tmp_path / "scheda-firmata.pdf"
    result = cli("sign", str(out), "--out", str(signed), "--sign", str(card),
                 "--sign-passphrase-file", str(secret), passphrase=None)  # fmt: skip
    assert result.code == 0, result.err
    assert "firma-01-componente-marco-ferrari" in result.out
    result = cli("signatures", str(signed), "--trust", str(pki.ca_pem), passphrase=None)
    assert result.code == 0, result.err
    assert "Marco Ferrari" in result.out


def test_the_publication_is_italian_whatever_the_interface_language(home: Path) -> None:
    from app.i18n import current_language, set_language
    from app.services.ranking_publication import publication_content

    set_language("en")
    ws = open_home(home)
    try:
        text = publication_content(ws, CALL, ".csv").decode("utf-8")
    finally:
        ws.close()
        assert current_language() == "en"
        set_language("it")
    assert text.startswith("Posizione,Codice proposta,Titolo,Proponente,Punteggio totale")
    assert "ammessa in graduatoria" in text


def assert_archival(path: Path, created: object = None) -> None:
    """pikepdf reads a PDF/A-2b claim, an sRGB output intent and, when given,
    the creation date."""
    import pikepdf

    from app.reports.pdfa import xmp_date

    with pikepdf.open(path) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and str(intents[0].S) == "/GTS_PDFA1"
        if created is not None:
            assert xmp["xmp:CreateDate"] == xmp_date(created)  # type: ignore[arg-type]
