"""Italian column names beside the English ones, in every importer, and the
templates the GUI offers: a filled template imports as it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app import clock
from app.models import Score
from app.services import declarations, member_desk, scores
from app.services.declaration_import import import_declarations
from app.services.demo import DEMO_PASSPHRASE
from app.services.errors import ImportRefusedError
from app.services.funding import funding_view, import_campaigns
from app.services.import_templates import (
    UnknownTemplateError,
    import_template,
    save_template,
    suggested_name,
)
from app.services.proposal_import import import_proposals, plan_import
from app.services.proposals import list_proposals
from app.services.ranking import approve_ranking
from app.services.unlocking import OpenWorkspace
from app.services.workspace import unlock, verify_audit
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import CALL_ID, FIXTURES

WHY = "Proposta solida, con una rete di quartiere ben descritta."
ALL = ("innovation", "impact", "coherence", "sustainability", "community")
DEMO_CALL = "MI-CC-2020"
TODAY = clock.today_in_rome()

PROPOSAL = {
    "codice": "P101",
    "titolo": "Portineria di quartiere",
    "proponente": "Cooperativa sociale Il Ponte",
    "codice_fiscale": "01234560157",
    "legale_rappresentante": "Maria Rossi",
    "partner": "Associazione Vicini di Casa; Parrocchia San Giovanni",
    "quartiere": "Corvetto",
    "area_tematica": "servizi di cura e assistenza",
    "costo_totale": "48000,00",
    "contributo_richiesto": "28800,00",
    "sintesi": "Servizi di prossimità per anziani soli.",
    "allegati": "P001-progetto.pdf",
}


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """``rows`` under ``header`` as CSV or XLSX, by the suffix of ``path``."""
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def read_back(path: Path) -> tuple[list[str], list[list[str]]]:
    """A template's header and rows, as the user sees them."""
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        sheet = book.worksheets[0]
        lines = [
            [str(v) if v is not None else "" for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert text.split("\r\n")[0].count(";") > 0  # as Italian spreadsheets write it
        lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    return lines[0], lines[1:]


def filled(path: Path, changes: dict[str, str]) -> Path:
    """The template at ``path`` with its example row's cells in ``changes`` overwritten."""
    header, rows = read_back(path)
    assert len(rows) == 1, rows
    row = [changes.get(name, value) for name, value in zip(header, rows[0], strict=True)]
    return write(path.with_name("filled" + path.suffix), header, [row])


# -- proposals ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_proposals_with_italian_headers(
    draft_call: OpenWorkspace, tmp_path: Path, suffix: str
) -> None:
    path = write(tmp_path / f"proposte{suffix}", list(PROPOSAL), [list(PROPOSAL.values())])
    result = import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    assert (result.imported, result.attachments) == (1, 1)
    (found,) = list_proposals(draft_call, CALL_ID)
    assert (found.id, found.title, found.neighbourhood) == (
        "P101",
        "Portineria di quartiere",
        "Corvetto",
    )


def test_a_header_may_mix_the_languages_column_by_column(
    draft_call: OpenWorkspace, tmp_path: Path
) -> None:
    header = ["id", *list(PROPOSAL)[1:6], "neighbourhood", *list(PROPOSAL)[7:]]
    path = write(tmp_path / "p.csv", header, [list(PROPOSAL.values())])
    assert import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments").imported == 1


def test_problems_name_the_column_as_the_file_wrote_it(
    draft_call: OpenWorkspace, tmp_path: Path
) -> None:
    row = {**PROPOSAL, "costo_totale": "tanti"}
    path = write(tmp_path / "p.csv", list(row), [list(row.values())])
    plan = plan_import(draft_call, CALL_ID, path, FIXTURES / "attachments")
    assert [p.where for p in plan.problems] == ["riga 2, colonna costo_totale"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_one_column_in_both_languages_is_refused(
    draft_call: OpenWorkspace, tmp_path: Path, suffix: str
) -> None:
    header = [*PROPOSAL, "total_cost"]
    path = write(tmp_path / f"p{suffix}", header, [[*PROPOSAL.values(), "48000"]])
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    assert [str(p) for p in caught.value.problems] == [
        "intestazione: le colonne costo_totale e total_cost sono la stessa colonna, "
        "in due lingue: tienine una sola"
    ]
    assert list_proposals(draft_call, CALL_ID) == []
    assert verify_audit(draft_call).entries == 2  # workspace.created, call.created


def test_a_missing_column_is_named_in_both_languages(
    draft_call: OpenWorkspace, tmp_path: Path
) -> None:
    row = {k: v for k, v in PROPOSAL.items() if k != "quartiere"}
    path = write(tmp_path / "p.csv", list(row), [list(row.values())])
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    assert [p.message for p in caught.value.problems] == [
        "manca la colonna quartiere (o neighbourhood)"
    ]


# -- campaigns ------------------------------------------------------------------


@pytest.fixture
def approved(demo_copy: Path) -> Iterator[OpenWorkspace]:
    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    approve_ranking(ws, DEMO_CALL, DEMO_REASON)
    yield ws
    ws.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_campaigns_with_italian_headers(
    approved: OpenWorkspace, tmp_path: Path, suffix: str
) -> None:
    header = ["proposta", "raccolto", "sostenitori", "chiuso_il"]
    path = write(
        tmp_path / f"campagne{suffix}", header, [["P038", "19.000,00", "300", TODAY.isoformat()]]
    )
    assert import_campaigns(approved, DEMO_CALL, path).imported == 1
    by_id = {p.proposal: p for p in funding_view(approved, DEMO_CALL).projects}
    assert by_id["P038"].backers == 300


def test_campaigns_in_both_languages_are_refused(approved: OpenWorkspace, tmp_path: Path) -> None:
    header = ["proposta", "raccolto", "sostenitori", "chiuso_il", "raised"]
    path = write(tmp_path / "c.csv", header, [["P038", "19000", "300", TODAY.isoformat(), "1"]])
    with pytest.raises(ImportRefusedError) as caught:
        import_campaigns(approved, DEMO_CALL, path)
    assert "le colonne raccolto e raised sono la stessa colonna" in str(caught.value)
    assert all(p.raised is None for p in funding_view(approved, DEMO_CALL).projects)


# -- declarations and scores ----------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_declarations_with_italian_headers(
    member: OpenWorkspace, tmp_path: Path, suffix: str
) -> None:
    declarations.declare_general(member, CALL_ID)
    header = ["proposta", "conflitto", "categoria", "motivo"]
    rows = [
        ["P001", "no", "", ""],
        ["P002", "sì", "Professionale", "Ho lavorato per il proponente nel 2019."],
    ]
    result = import_declarations(member, CALL_ID, write(tmp_path / f"d{suffix}", header, rows))
    assert (result.declared, result.conflicts) == (2, 1)
    sheet = member_desk.score_sheet(member, CALL_ID, "P002")
    assert sheet.conflict_category == "professional"  # the Italian name, read as the code


def test_declaration_problems_name_the_italian_column(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    header = ["proposta", "conflitto", "categoria", "motivo"]
    rows = [["P001", "forse", "", ""], ["P003", "no", "", ""], ["P003", "no", "", ""]]
    path = write(tmp_path / "d.csv", header, rows)
    with pytest.raises(ImportRefusedError) as caught:
        import_declarations(member, CALL_ID, path)
    assert [p.where for p in caught.value.problems] == [
        "riga 2, colonna conflitto",
        "riga 4, colonna proposta",  # P003 twice
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_scores_with_italian_headers(member: OpenWorkspace, tmp_path: Path, suffix: str) -> None:
    declarations.declare_general(member, CALL_ID)
    header = ["proposta", "criterio", "valore", "motivazione", "conflitto", "categoria", "motivo"]
    rows = [["P001", key, "0,8", WHY, "no", "", ""] for key in ALL]
    result = scores.import_scores(member, CALL_ID, write(tmp_path / f"s{suffix}", header, rows))
    assert (result.scores, result.declarations) == (5, 1)
    status = {r.proposal.id: r.status for r in member_desk.desk(member, CALL_ID).rows}
    assert status["P001"] == "complete"


def test_scores_in_both_languages_are_refused(member: OpenWorkspace, tmp_path: Path) -> None:
    declarations.declare_general(member, CALL_ID)
    header = ["proposta", "criterio", "valore", "motivazione", "value"]
    path = write(tmp_path / "s.csv", header, [["P001", "impact", "0,8", WHY, "0,6"]])
    with pytest.raises(ImportRefusedError) as caught:
        scores.import_scores(member, CALL_ID, path)
    assert [p.message for p in caught.value.problems] == [
        "le colonne valore e value sono la stessa colonna, in due lingue: tienine una sola"
    ]
    with member.session() as session:
        assert session.scalar(select(func.count()).select_from(Score)) == 0


# -- templates ------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_proposals_template_imports_back(
    draft_call: OpenWorkspace, tmp_path: Path, file_format: str
) -> None:
    template = import_template(draft_call, CALL_ID, "proposals")
    path = save_template(template, tmp_path / suggested_name("proposals", file_format))
    assert path.name == f"modello-proposte.{file_format}"
    header, rows = read_back(path)
    assert header[:3] == ["codice", "titolo", "proponente"]
    assert "costo_totale" in header and "quartiere" in header
    assert rows[0][header.index("quartiere")] == "Adriano"  # the call's first
    result = import_proposals(
        draft_call, CALL_ID, filled(path, {"titolo": "Orti condivisi"}), FIXTURES / "attachments"
    )
    assert (result.imported, result.inadmissible, result.attachments) == (1, 0, 1)
    assert [p.title for p in list_proposals(draft_call, CALL_ID)] == ["Orti condivisi"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_campaigns_template_imports_back(
    approved: OpenWorkspace, tmp_path: Path, file_format: str
) -> None:
    template = import_template(None, None, "campaigns")
    path = save_template(template, tmp_path / suggested_name("campaigns", file_format))
    assert read_back(path)[0] == ["proposta", "raccolto", "sostenitori", "chiuso_il"]
    path = filled(path, {"proposta": "P038", "chiuso_il": TODAY.strftime("%d/%m/%Y")})
    assert import_campaigns(approved, DEMO_CALL, path).imported == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_declarations_template_imports_back(
    member: OpenWorkspace, tmp_path: Path, file_format: str
) -> None:
    declarations.declare_general(member, CALL_ID)
    template = import_template(None, None, "declarations")
    path = save_template(template, tmp_path / suggested_name("declarations", file_format))
    assert read_back(path)[0] == ["proposta", "conflitto", "categoria", "motivo"]
    result = import_declarations(member, CALL_ID, filled(path, {"proposta": "P003"}))
    assert (result.declared, result.conflicts) == (1, 0)


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(UnknownTemplateError, match="Non esiste il modello"):
        import_template(None, None, "verbali")


def test_a_sheet_of_a_regional_call_fits_and_one_row_more_is_refused(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    """10,000 proposals x 8 criteria fit in one score sheet (issue 16); the
    bound on rows stays, with its message and nothing written."""
    from app.services.errors import InputFileError
    from app.services.tabular import MAX_ROWS, read_table

    assert MAX_ROWS >= 10_000 * 8
    declarations.declare_general(member, CALL_ID)
    header = ["proposta", "criterio", "valore", "motivazione"]
    rows = [["P001", "impact", "0,8", WHY]] * (MAX_ROWS + 1)
    path = write(tmp_path / "s.csv", header, rows)
    with pytest.raises(InputFileError) as caught:
        scores.import_scores(member, CALL_ID, path)
    assert str(caught.value) == f"Impossibile leggere s.csv: più di {MAX_ROWS} righe."
    with member.session() as session:
        assert session.scalar(select(func.count()).select_from(Score)) == 0
    fits = write(tmp_path / "t.csv", header, rows[:MAX_ROWS])
    assert len(read_table(fits).rows) == MAX_ROWS
