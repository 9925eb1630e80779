"""Importing proposals: the formats people send, and every refusal."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import Attachment
from app.services.errors import ImportRefusedError, InputFileError
from app.services.proposal_import import import_proposals, plan_import
from app.services.proposals import list_proposals, proposal_detail
from app.services.workspace import verify_audit
from tests.support.workspaces import CALL_ID, FIXTURES

HEADER = [
    "id",
    "title",
    "applicant",
    "applicant_tax_code",
    "legal_representative",
    "partners",
    "neighbourhood",
    "thematic_area",
    "total_cost",
    "requested_contribution",
    "summary",
    "attachments",
]
GOOD = {
    "id": "P101",
    "title": "Portineria di quartiere",
    "applicant": "Cooperativa sociale Il Ponte",
    "applicant_tax_code": "01234560157",
    "legal_representative": "Maria Rossi",
    "partners": "Associazione Vicini di Casa; Parrocchia San Giovanni",
    "neighbourhood": "Corvetto",
    "thematic_area": "servizi di cura e assistenza",
    "total_cost": "48000.00",
    "requested_contribution": "28800.00",
    "summary": "Servizi di prossimità per anziani soli.",
    "attachments": "P001-progetto.pdf",
}


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    header: list[str] = HEADER,
    bom: bool = False,
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def _nothing_imported(ws) -> None:  # type: ignore[no-untyped-def]
    assert list_proposals(ws, CALL_ID) == []
    assert verify_audit(ws).entries == 2  # workspace.created, call.created


def test_the_example_file_imports_with_its_attachments(draft_call) -> None:  # type: ignore[no-untyped-def]
    result = import_proposals(
        draft_call, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments"
    )
    assert (result.imported, result.inadmissible, result.attachments) == (6, 1, 5)
    rows = {r.id: r for r in list_proposals(draft_call, CALL_ID)}
    assert not rows["P006"].admissible
    assert "100.000,00 €" in rows["P006"].inadmissible_reasons[0]
    detail = proposal_detail(draft_call, CALL_ID, "P002")
    assert [a.filename for a in detail.attachments] == ["P002-progetto.pdf", "P002-budget.pdf"]
    assert detail.partners == ()
    assert proposal_detail(draft_call, CALL_ID, "P001").partners == (
        "Associazione Vicini di Casa",
        "Parrocchia San Giovanni",
    )


def test_semicolons_bom_italian_amounts_and_quoted_newlines(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tricky = row(
        summary='Prima riga; con "virgolette", e punto e virgola\nseconda riga',
        total_cost="48.000,00",
        requested_contribution="28.800,00",
    )
    path = write_csv(tmp_path / "p.csv", [tricky], delimiter=";", bom=True)
    import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    detail = proposal_detail(draft_call, CALL_ID, "P101")
    assert detail.summary == 'Prima riga; con "virgolette", e punto e virgola\nseconda riga'
    assert detail.row.total_cost == Decimal("48000.00")
    assert detail.row.requested_contribution == Decimal("28800.00")


def test_xlsx_with_numbers_in_cells(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    values = row(id="P201")
    sheet.append(
        [
            float(values[c]) if c in ("total_cost", "requested_contribution") else values[c]
            for c in HEADER
        ]
    )
    sheet.append([row(id="P202", total_cost="72.500,00")[c] for c in HEADER])
    workbook.save(tmp_path / "p.xlsx")
    result = import_proposals(draft_call, CALL_ID, tmp_path / "p.xlsx", FIXTURES / "attachments")
    assert result.imported == 2
    amounts = {r.id: r.total_cost for r in list_proposals(draft_call, CALL_ID)}
    assert amounts == {"P201": Decimal("48000.00"), "P202": Decimal("72500.00")}


def test_inadmissible_proposals_are_imported_and_marked(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        row(id="A1", total_cost="120000.00", requested_contribution="60000.00"),
        row(id="A2", total_cost="50000.00", requested_contribution="35000.00"),
        row(id="A3", total_cost="100000.00", requested_contribution="60000.00"),
    ]
    result = import_proposals(
        draft_call, CALL_ID, write_csv(tmp_path / "p.csv", rows), FIXTURES / "attachments"
    )
    assert result.inadmissible == 2
    by_id = {r.id: r for r in list_proposals(draft_call, CALL_ID)}
    assert "costo totale 120.000,00 €" in by_id["A1"].inadmissible_reasons[0]
    assert "30.000,00 €" in by_id["A2"].inadmissible_reasons[0]  # 60 % of 50.000
    assert by_id["A3"].admissible


@pytest.mark.parametrize(
    ("rows", "where", "words"),
    [
        (
            [row(total_cost="dodicimila")],
            "riga 2, colonna total_cost",
            "«dodicimila» non è un importo in euro: scrivi per esempio 12500,00 oppure 12.500,00",
        ),
        ([row(total_cost="12.500")], "riga 2, colonna total_cost", "ambiguo"),
        (
            [row(requested_contribution="0")],
            "riga 2, colonna requested_contribution",
            "maggiore di zero",
        ),
        ([row(), row(title="Altro")], "riga 3, colonna id", "duplicato (anche alla riga 2)"),
        (
            [row(neighbourhood="Brera")],
            "riga 2, colonna neighbourhood",
            "quartiere sconosciuto Brera",
        ),
        (
            [row(thematic_area="sport")],
            "riga 2, colonna thematic_area",
            "ambito tematico sconosciuto",
        ),
        ([row(attachments="manca.pdf")], "riga 2, colonna attachments", "non trovato"),
        ([row(attachments="../call.toml")], "riga 2, colonna attachments", "non valido"),
        (
            [row(applicant_tax_code="01234560158")],
            "riga 2, colonna applicant_tax_code",
            "carattere di controllo",
        ),
        (
            [row(applicant_tax_code="RSSMRA85T10A562T")],
            "riga 2, colonna applicant_tax_code",
            "carattere di controllo",
        ),
        ([row(title="")], "riga 2, colonna title", "obbligatorio"),
        ([row(id="P 1")], "riga 2, colonna id", "lettere, cifre"),
    ],
)
def test_row_refusals_name_row_and_column(draft_call, tmp_path: Path, rows, where, words) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "p.csv", rows)
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    messages = {p.where: p.message for p in caught.value.problems}
    assert where in messages, messages
    assert words in messages[where]
    assert "non è stato importato nulla" in str(caught.value)
    _nothing_imported(draft_call)


def test_a_file_that_is_not_a_pdf_is_refused(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "fake.pdf").write_text("not a pdf at all")
    path = write_csv(tmp_path / "p.csv", [row(attachments="fake.pdf")])
    with pytest.raises(ImportRefusedError, match="non è un PDF"):
        import_proposals(draft_call, CALL_ID, path, tmp_path)
    _nothing_imported(draft_call)


def test_missing_and_unknown_columns(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = [c for c in HEADER if c != "total_cost"] + ["costo"]
    path = write_csv(tmp_path / "p.csv", [row()], header=header)
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    text = str(caught.value)
    assert "manca la colonna costo_totale (o total_cost)" in text
    assert "colonna sconosciuta costo" in text
    _nothing_imported(draft_call)


def test_every_problem_is_reported_at_once(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [row(id="B1", neighbourhood="Brera"), row(id="B2"), row(id="B3", total_cost="x")]
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(
            draft_call, CALL_ID, write_csv(tmp_path / "p.csv", rows), FIXTURES / "attachments"
        )
    assert [p.where for p in caught.value.problems] == [
        "riga 2, colonna neighbourhood",
        "riga 4, colonna total_cost",
    ]
    _nothing_imported(draft_call)


def test_ids_already_in_the_call_are_refused(draft_call, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "p.csv", [row()])
    import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    with pytest.raises(ImportRefusedError, match="già nell'avviso"):
        import_proposals(draft_call, CALL_ID, path, FIXTURES / "attachments")
    assert len(list_proposals(draft_call, CALL_ID)) == 1


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("p.csv", b"", "vuoto"),
        ("p.csv", "id,title\nP1,Caff\xe8\n".encode("latin-1"), "UTF-8"),
        ("p.txt", b"id\n", ".csv o .xlsx"),
        ("p.xlsx", b"PK\x03\x04 not really", "XLSX"),
    ],
)
def test_unreadable_files(
    draft_call, tmp_path: Path, name: str, content: bytes, words: str
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputFileError, match=words):
        import_proposals(draft_call, CALL_ID, tmp_path / name, FIXTURES / "attachments")
    _nothing_imported(draft_call)


def test_plan_writes_nothing_and_lists_every_row(draft_call) -> None:  # type: ignore[no-untyped-def]
    plan = plan_import(draft_call, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    assert plan.ok and len(plan.proposals) == 6
    _nothing_imported(draft_call)


def test_an_import_reports_each_proposal_and_a_stop_rolls_it_all_back(  # type: ignore[no-untyped-def]
    draft_call, tmp_path: Path, monkeypatch
) -> None:
    from app.services import proposal_import
    from app.services.proposal_import import ImportStoppedError
    from app.services.steps import Cancel

    # Sent to the database at every attachment: the stop undoes rows already flushed.
    monkeypatch.setattr(proposal_import, "FLUSH_ATTACHMENTS", 1)
    path = write_csv(tmp_path / "p.csv", [row(id=f"S{n:02d}") for n in range(1, 13)])
    cancel = Cancel()
    heard: list[str] = []

    def progress(text: str) -> None:
        heard.append(text)
        if text == "Proposta 10 di 12…":
            cancel.set()  # ten proposals are written (not committed) by now

    with pytest.raises(ImportStoppedError) as stopped:
        import_proposals(
            draft_call, CALL_ID, path, FIXTURES / "attachments", progress=progress, cancel=cancel
        )
    assert str(stopped.value) == "Import delle proposte interrotto: non è stato scritto nulla."
    checked = ["Controllo della proposta 1 di 12…", "Controllo della proposta 10 di 12…",
               "Controllo della proposta 12 di 12…"]  # fmt: skip
    assert heard == [*checked, "Proposta 1 di 12…", "Proposta 10 di 12…"]
    _nothing_imported(draft_call)
    with draft_call.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0

    # Not stopped, the same file goes in whole, its last proposal reported.
    heard.clear()
    result = import_proposals(
        draft_call, CALL_ID, path, FIXTURES / "attachments", progress=heard.append
    )
    assert result.imported == 12 and result.attachments == 12
    assert heard == [*checked, "Proposta 1 di 12…", "Proposta 10 di 12…", "Proposta 12 di 12…"]
    assert verify_audit(draft_call).entries == 3
