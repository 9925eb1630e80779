"""The member's evaluation sheet as XLSX, out and back in (issue 15, item 7):
one row per proposal and criterion, drop-down lists of the allowed levels,
the motivations and the declarations; the import previews without writing,
then writes all or nothing, with the checks of ``vaglio score import``."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.models import AuditEvent, ConflictDeclaration, Score
from app.services import declarations, member_desk, scores
from app.services.errors import ImportRefusedError
from app.services.sheet_workbook import (
    HEADERS,
    describe_change,
    export_sheet_workbook,
    import_sheet_workbook,
    preview_sheet_workbook,
)
from app.services.unlocking import OpenWorkspace
from tests.support.workspaces import CALL_ID, Template, copy_template, opened

WHY = "Proposta solida, con una rete di quartiere ben descritta."
ALL = ("innovation", "impact", "coherence", "sustainability", "community")
REASON = "Ho lavorato per il proponente nel 2019."


def state(ws: OpenWorkspace) -> tuple[object, ...]:
    """Everything a refused or previewed import must leave as it was."""
    with ws.session() as session:
        return (
            sorted(
                (d.proposal_id, d.has_conflict, d.category, d.reason)
                for d in session.scalars(select(ConflictDeclaration))
            ),
            sorted(
                (s.proposal_id, s.criterion_id, s.value, s.justification)
                for s in session.scalars(select(Score))
            ),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def rows_of(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def fill(path: Path, target: Path, edit: dict[tuple[str, str], dict[str, object]]) -> Path:
    """Set cells of the rows of (proposal, criterion), as a member would in Excel."""
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, row[2].value)
        for column, value in edit.get(key, {}).items():  # type: ignore[arg-type]
            row[header.index(column)].value = value
    workbook.save(target)
    return target


@pytest.fixture
def started(member: OpenWorkspace) -> OpenWorkspace:
    """A member who declared generally, declared P001 free and scored it partly."""
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P001", conflict=False)
    declarations.declare_proposal(
        member, CALL_ID, "P002", conflict=True, category="professional", reason=REASON
    )
    scores.save_scores(member, CALL_ID, "P001", values={"innovation": D("0.6")},
                       justifications={"innovation": WHY})  # fmt: skip
    return member


def test_the_sheet_has_a_row_per_proposal_and_criterion_with_lists_and_declarations(
    started: OpenWorkspace, tmp_path: Path
) -> None:
    result = export_sheet_workbook(started, CALL_ID, tmp_path / "scheda.xlsx")
    workbook = load_workbook(result.path)
    sheet, guide, levels = workbook.worksheets
    assert tuple(c.value for c in sheet[1]) == HEADERS
    rows = rows_of(result.path)
    # Five admissible proposals (P006 is not) times five criteria.
    assert (result.rows, result.proposals, len(rows)) == (25, 5, 25)
    assert {r["proposta"] for r in rows} == {"P001", "P002", "P003", "P004", "P005"}
    # In the member's own review order, each proposal's criteria together.
    order = [r["proposta"] for r in rows][::5]
    assert order == [row.proposal.id for row in member_desk.desk(started, CALL_ID).rows
                     if row.proposal.id != "P006"]  # fmt: skip
    first = next(r for r in rows if (r["proposta"], r["criterio"]) == ("P001", "innovation"))
    assert (first["valore"], first["motivazione"], first["conflitto"]) == (0.6, WHY, "no")
    conflicted = next(r for r in rows if r["proposta"] == "P002")
    assert (conflicted["conflitto"], conflicted["categoria"]) == ("sì", "professional")
    assert conflicted["motivo"] == REASON
    assert next(r for r in rows if r["proposta"] == "P003")["conflitto"] is None
    assert "0,2" in str(first["valori_ammessi"])
    # A drop-down of the six levels on every value cell, from the hidden sheet.
    assert levels.sheet_state == "hidden"
    assert [levels.cell(r, 1).value for r in range(2, 8)] == [0, 0.2, 0.4, 0.6, 0.8, 1]
    lists = {v.formula1: str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert "livelli!$A$2:$A$7" in lists
    assert "F2" in lists["livelli!$A$2:$A$7"].split()
    assert '"sì,no"' in lists
    assert "conflitto" in " ".join(str(c.value) for c in guide["A"])


def test_a_filled_sheet_is_previewed_without_writing_then_imported(
    started: OpenWorkspace, tmp_path: Path
) -> None:
    exported = export_sheet_workbook(started, CALL_ID, tmp_path / "scheda.xlsx").path
    edit: dict[tuple[str, str], dict[str, object]] = {
        ("P001", key): {"valore": 0.8, "motivazione": WHY} for key in ALL
    }
    edit[("P003", "innovation")] = {"conflitto": "no", "valore": "0,4", "motivazione": WHY}
    filled = fill(exported, tmp_path / "compilata.xlsx", edit)
    before = state(started)

    preview = preview_sheet_workbook(started, CALL_ID, filled)
    assert state(started) == before
    assert len(preview.changes) == 6  # five of P001 and one of P003
    changed = {(c.proposal, c.criterion): c for c in preview.changes}
    assert describe_change(changed[("P001", "innovation")]) == "0,6 → 0,8"
    assert describe_change(changed[("P003", "innovation")]) == "— → 0,4"
    assert preview.declarations == 1  # P003's "no"; P001 and P002 unchanged

    imported = import_sheet_workbook(started, CALL_ID, filled)
    assert (imported.scores, imported.proposals, imported.declarations) == (6, 2, 1)
    statuses = {r.proposal.id: r.status for r in member_desk.desk(started, CALL_ID).rows}
    assert statuses["P001"] == "complete"
    assert statuses["P002"] == "conflicted"
    # Exported again, the sheet holds what was imported.
    again = rows_of(export_sheet_workbook(started, CALL_ID, tmp_path / "again.xlsx").path)
    assert {r["valore"] for r in again if r["proposta"] == "P001"} == {0.8}


def test_an_empty_cell_changes_nothing_and_an_untouched_sheet_imports_as_no_change(
    started: OpenWorkspace, tmp_path: Path
) -> None:
    exported = export_sheet_workbook(started, CALL_ID, tmp_path / "scheda.xlsx").path
    blanked = fill(exported, tmp_path / "b.xlsx",
                   {("P001", "innovation"): {"valore": None, "motivazione": None}})  # fmt: skip
    before = state(started)
    preview = preview_sheet_workbook(started, CALL_ID, blanked)
    assert (preview.changes, preview.declarations) == ((), 0)
    assert state(started) == before
    untouched = preview_sheet_workbook(started, CALL_ID, exported)
    assert (untouched.changes, untouched.unchanged) == ((), 1)


@pytest.mark.parametrize(
    ("edit", "where", "words"),
    [
        ({("P001", "impact"): {"valore": 0.5, "motivazione": WHY}}, "colonna valore", "0,5"),
        ({("P001", "impact"): {"valore": 0.4, "motivazione": "corta"}}, "colonna motivazione",
         "20"),
        ({("P003", "impact"): {"conflitto": "sì", "categoria": "cugino", "motivo": REASON}}, "colonna categoria",
         "cugino"),
        ({("P004", "impact"): {"valore": 0.4, "motivazione": WHY}}, "colonna proposta", "P004"),
        ({("P002", "impact"): {"valore": 0.4, "motivazione": WHY}}, "colonna proposta", "P002"),
        ({("P001", "impact"): {"criterio": "bellezza", "valore": 0.4, "motivazione": WHY}},
         "colonna criterio", "bellezza"),
    ],
    ids=["not-a-level", "short-motivation", "bad-category", "undeclared", "conflicted",
         "unknown-criterion"],
)  # fmt: skip
def test_a_bad_sheet_is_refused_whole_naming_the_sheet_column(
    started: OpenWorkspace,
    tmp_path: Path,
    edit: dict[tuple[str, str], dict[str, object]],
    where: str,
    words: str,
) -> None:
    exported = export_sheet_workbook(started, CALL_ID, tmp_path / "scheda.xlsx").path
    good = {("P001", "coherence"): {"valore": 1, "motivazione": WHY}}
    filled = fill(exported, tmp_path / "bad.xlsx", {**good, **edit})
    before = state(started)
    for attempt in (preview_sheet_workbook, import_sheet_workbook):
        with pytest.raises(ImportRefusedError) as refused:
            attempt(started, CALL_ID, filled)
        assert "non è stato importato nulla" in str(refused.value)
        assert len(refused.value.problems) == 1
        problem = refused.value.problems[0]
        assert where in problem.where, problem
        assert words in problem.message, problem
        assert state(started) == before


def test_a_spreadsheet_that_is_not_a_vaglio_sheet_is_refused(
    started: OpenWorkspace, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["proposta", "criterio", "valore"])
    sheet.append(["P001", "impact", 0.4])
    workbook.save(tmp_path / "other.xlsx")
    before = state(started)
    with pytest.raises(ImportRefusedError) as refused:
        import_sheet_workbook(started, CALL_ID, tmp_path / "other.xlsx")
    assert "non è una scheda di valutazione esportata da Vaglio" in str(refused.value)
    assert "motivazione" in str(refused.value)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(Exception, match="XLSX"):
        import_sheet_workbook(started, CALL_ID, tmp_path / "broken.xlsx")
    assert state(started) == before


def test_a_points_call_gets_a_decimal_range_instead_of_a_list(
    points_member_template: Template, tmp_path: Path
) -> None:
    home = copy_template(points_member_template, tmp_path / "member")
    with opened(points_member_template, home) as ws:
        declarations.declare_general(ws, CALL_ID)
        result = export_sheet_workbook(ws, CALL_ID, tmp_path / "punti.xlsx")
        sheet = load_workbook(result.path).worksheets[0]
        ranges = [v for v in sheet.data_validations.dataValidation if v.type == "decimal"]
        assert {(v.operator, v.formula1) for v in ranges} == {("between", "0")}
        assert {v.formula2 for v in ranges} <= {"10", "15", "20", "25", "30"}
        assert "F2" in " ".join(str(v.sqref) for v in ranges).split()
        filled = fill(result.path, tmp_path / "f.xlsx", {
            ("P001", "impact"): {"conflitto": "no", "valore": 7.5, "motivazione": WHY},
        })  # fmt: skip
        imported = import_sheet_workbook(ws, CALL_ID, filled)
        assert (imported.scores, imported.declarations) == (1, 1)
        sheet_view = member_desk.score_sheet(ws, CALL_ID, "P001")
        assert {c.rule.key: c.value for c in sheet_view.criteria}["impact"] == D("7.5")
