"""Declarations in bulk (``vaglio declare --from``, and the declaration
columns of ``vaglio score import``): each row an explicit statement, the file
refused whole with every problem, and the same history as single ones."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, ConflictDeclaration, Score
from app.services import declarations, member_desk, scores
from app.services.conflict_history import conflict_events
from app.services.declaration_import import import_declarations
from app.services.errors import ImportRefusedError
from app.services.evaluation_errors import GeneralDeclarationMissingError
from app.services.intake import accept_score_bundle
from app.services.submission import submit
from app.services.unlocking import OpenWorkspace
from app.services.workspace import unlock
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template

WHY = "Proposta solida, con una rete di quartiere ben descritta."
ALL = ("innovation", "impact", "coherence", "sustainability", "community")
REASON = "Ho lavorato per il proponente nel 2019."
HEADER = ["proposal", "conflict", "category", "reason"]


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]], **options: str) -> Path:
    with path.open("w", newline="", encoding=options.get("encoding", "utf-8")) as handle:
        writer = csv.writer(handle, delimiter=options.get("delimiter", ","))
        writer.writerow(header)
        writer.writerows(rows)
    return path


def state(ws: OpenWorkspace) -> tuple[object, ...]:
    """Everything a refused import must leave as it was."""
    with ws.session() as session:
        return (
            sorted(
                (d.proposal_id, d.has_conflict, d.category, d.reason, d.declared_at.isoformat())
                for d in session.scalars(select(ConflictDeclaration))
            ),
            session.scalar(select(func.count()).select_from(Score)),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def statuses(ws: OpenWorkspace) -> dict[str, str]:
    return {row.proposal.id: row.status for row in member_desk.desk(ws, CALL_ID).rows}


GOOD = [
    ("P001", "no", "", ""),
    ("P002", "Sì", "professional", REASON),
    ("P003", "NO", "", ""),
    ("P004", "yes", "economic", "Fornitore dell'impresa sociale."),
    ("P005", "si", "kinship", "Mia sorella è la legale rappresentante."),
]


def test_a_file_of_declarations_is_recorded_like_single_ones(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    result = import_declarations(member, CALL_ID, write_csv(tmp_path / "d.csv", HEADER, GOOD))
    assert (result.declared, result.changed, result.conflicts) == (5, 5, 3)
    assert result.changes.declarations
    assert statuses(member) == {
        "P001": "to_score", "P002": "conflicted", "P003": "to_score",
        "P004": "conflicted", "P005": "conflicted", "P006": "inadmissible",
    }  # fmt: skip
    sheet = member_desk.score_sheet(member, CALL_ID, "P002")
    assert (sheet.conflict_category, sheet.conflict_reason) == ("professional", REASON)
    with member.session() as session:
        entries = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "declaration.proposal")
        ).all()
    assert [e.subject for e in entries] == ["P001", "P002", "P003", "P004", "P005"]
    assert all(json.loads(e.details)["source"] == "d.csv" for e in entries)


def test_the_same_file_again_changes_nothing(member: OpenWorkspace, tmp_path: Path) -> None:
    declarations.declare_general(member, CALL_ID)
    path = write_csv(tmp_path / "d.csv", HEADER, GOOD)
    import_declarations(member, CALL_ID, path)
    before = state(member)
    again = import_declarations(member, CALL_ID, path)
    assert (again.declared, again.changed) == (5, 0)
    assert state(member) == before  # same times, no new audit entry


def test_a_conflict_in_the_file_withdraws_the_scores(member: OpenWorkspace, tmp_path: Path) -> None:
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P002", conflict=False)
    scores.save_scores(
        member, CALL_ID, "P002", values=dict.fromkeys(ALL, D("0.8")),
        justifications=dict.fromkeys(ALL, WHY),
    )  # fmt: skip
    rows = [("P002", "sì", "membership", "Sono socio dell'associazione proponente.")]
    result = import_declarations(member, CALL_ID, write_csv(tmp_path / "d.csv", HEADER, rows))
    assert result.withdrawn_scores == 5 and result.changes.scores
    with member.session() as session:
        assert session.scalar(select(func.count()).select_from(Score)) == 0


def test_the_file_is_refused_whole_with_every_problem(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P001", conflict=False)
    before = state(member)
    rows = [
        ("P002", "sì", "professional", REASON),  # row 2: fine
        ("P099", "no", "", ""),  # row 3: unknown proposal
        ("P003", "forse", "", ""),  # row 4: not yes/no
        ("P004", "sì", "friendship", REASON),  # row 5: unknown category
        ("P005", "sì", "other", "corto"),  # row 6: reason too short
        ("P001", "sì", "kinship", ""),  # row 7: reason missing
        ("P006", "no", "economic", "Perché sì."),  # row 8: category and reason without conflict
        ("P002", "no", "", ""),  # row 9: P002 twice
        ("", "no", "", ""),  # row 10: no proposal
    ]
    with pytest.raises(ImportRefusedError) as caught:
        import_declarations(member, CALL_ID, write_csv(tmp_path / "bad.csv", HEADER, rows))
    problems = {p.where: p.message for p in caught.value.problems}
    assert str(caught.value).startswith(
        "bad.csv rifiutato (9 problemi), non è stato importato nulla"
    )
    assert problems == {
        "riga 3, colonna proposal": "l'avviso non ha la proposta P099",
        "riga 4, colonna conflict": "scrivere sì (o yes) oppure no, non forse",
        "riga 5, colonna category": "la categoria del conflitto è friendship: usare kinship, "
        "professional, economic, membership, other (parentela, professionale, economico, "
        "appartenenza, altro)",
        "riga 6, colonna reason": "dire perché c'è un conflitto, in almeno 10 caratteri "
        "(5 scritti)",
        "riga 7, colonna reason": "dire perché c'è un conflitto, in almeno 10 caratteri "
        "(0 scritti)",
        "riga 8, colonna category": "la categoria va indicata solo con un conflitto",
        "riga 8, colonna reason": "il motivo va indicato solo con un conflitto",
        "riga 9, colonna proposal": "P002 già dichiarata alla riga 2",
        "riga 10, colonna proposal": "manca la proposta",
    }
    assert state(member) == before  # not even row 2 was written


def test_a_missing_column_or_an_empty_file_is_refused(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    before = state(member)
    with pytest.raises(ImportRefusedError, match=r"manca la colonna motivo \(o reason\)"):
        import_declarations(
            member, CALL_ID, write_csv(tmp_path / "a.csv", HEADER[:3], [("P001", "no", "")])
        )
    with pytest.raises(ImportRefusedError, match="nessuna dichiarazione nel file"):
        import_declarations(member, CALL_ID, write_csv(tmp_path / "b.csv", HEADER, []))
    assert state(member) == before


def test_nothing_before_the_general_declaration(member: OpenWorkspace, tmp_path: Path) -> None:
    before = state(member)
    with pytest.raises(GeneralDeclarationMissingError):
        import_declarations(member, CALL_ID, write_csv(tmp_path / "d.csv", HEADER, GOOD))
    assert state(member) == before


def test_semicolons_a_bom_and_a_workbook(member: OpenWorkspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    declarations.declare_general(member, CALL_ID)
    path = write_csv(tmp_path / "d.csv", HEADER, GOOD[:2], delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfproposal;conflict")
    assert import_declarations(member, CALL_ID, path).changed == 2
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *GOOD[2:]]:
        sheet.append(list(row))
    book.save(tmp_path / "d.xlsx")
    assert import_declarations(member, CALL_ID, tmp_path / "d.xlsx").changed == 3
    assert "to_declare" not in statuses(member).values()


def submitted_member(member: OpenWorkspace) -> bytes:
    """Declare everything (P002 in conflict), score the rest, submit: the sealed bundle."""
    declarations.declare_general(member, CALL_ID)
    for code in ("P001", "P003", "P004", "P005"):
        declarations.declare_proposal(member, CALL_ID, code, conflict=False)
        scores.save_scores(
            member, CALL_ID, code, values=dict.fromkeys(ALL, D("0.8")),
            justifications=dict.fromkeys(ALL, WHY),
        )  # fmt: skip
    declarations.declare_proposal(
        member, CALL_ID, "P002", conflict=True, category="professional", reason=REASON
    )
    return submit(member, CALL_ID).copy.read_bytes()


def test_a_row_may_not_contradict_a_submitted_declaration(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    submitted_member(member)
    before = state(member)
    rows = [("P001", "no", "", ""), ("P002", "no", "", ""),
            ("P003", "sì", "other", "Un conflitto scoperto dopo l'invio.")]  # fmt: skip
    with pytest.raises(ImportRefusedError) as caught:
        import_declarations(member, CALL_ID, write_csv(tmp_path / "d.csv", HEADER, rows))
    problems = {p.where: p.message for p in caught.value.problems}
    assert set(problems) == {"riga 3, colonna conflict", "riga 4, colonna conflict"}
    assert problems["riga 3, colonna conflict"].startswith(
        "contraddice la dichiarazione già inviata nel pacchetto n. 1 (conflitto, rapporto "
        "professionale: Ho lavorato per il proponente nel 2019.)"
    )
    assert "vaglio declare MI-CC-2020 P003 …" in problems["riga 4, colonna conflict"]
    assert "(nessun conflitto)" in problems["riga 4, colonna conflict"]
    assert state(member) == before
    # What agrees with the bundle is accepted (and changes nothing) ...
    same = [("P001", "no", "", ""), ("P002", "sì", "professional", REASON)]
    assert (
        import_declarations(member, CALL_ID, write_csv(tmp_path / "s.csv", HEADER, same)).changed
        == 0
    )
    # ... and a deliberate single declaration still changes a submitted one.
    declarations.declare_proposal(member, CALL_ID, "P002", conflict=False)
    assert statuses(member)["P002"] == "to_score"


def test_the_office_reads_the_same_history_either_way(
    member: OpenWorkspace, member_template: Template, tmp_path: Path
) -> None:
    """A conflict declared from a file, submitted, then withdrawn: the office's
    history is the one single declarations give."""
    declarations.declare_general(member, CALL_ID)
    rows = [(code, "no", "", "") for code in ("P001", "P003", "P004", "P005")]
    rows.append(("P002", "sì", "professional", REASON))
    import_declarations(member, CALL_ID, write_csv(tmp_path / "d.csv", HEADER, rows))
    for code in ("P001", "P003", "P004", "P005"):
        scores.save_scores(
            member, CALL_ID, code, values=dict.fromkeys(ALL, D("0.8")),
            justifications=dict.fromkeys(ALL, WHY),
        )  # fmt: skip
    first = submit(member, CALL_ID).copy.read_bytes()
    declarations.declare_proposal(member, CALL_ID, "P002", conflict=False)
    scores.save_scores(
        member, CALL_ID, "P002", values=dict.fromkeys(ALL, D("0.6")),
        justifications=dict.fromkeys(ALL, WHY),
    )  # fmt: skip
    second = submit(member, CALL_ID).copy.read_bytes()
    office_home = shutil.copytree(member_template.home.parent / "secretariat", tmp_path / "office")
    office = unlock(office_home, PASSPHRASE)
    try:
        accept_score_bundle(office, first)
        accept_score_bundle(office, second)
        with office.session() as session:
            events = conflict_events(session, CALL_ID)
    finally:
        office.close()
    assert [(e.proposal, e.kind, e.category, e.reason) for e in events] == [
        ("P002", "conflict", "professional", REASON),
        ("P002", "withdrawn", None, ""),
    ]


SCORE_HEADER = ["proposal", "criterion", "value", "justification", "conflict", "category", "reason"]


def test_score_import_takes_declarations_in_the_same_file(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    rows = [("P001", key, "0.8", WHY, "no", "", "") for key in ALL]  # stated on every row
    rows.append(("P002", "", "", "", "sì", "professional", REASON))  # a row that only declares
    rows += [("P003", key, "0,6", WHY, "no" if key == "innovation" else "", "", "") for key in ALL]
    path = write_csv(tmp_path / "s.csv", SCORE_HEADER, rows)
    result = scores.import_scores(member, CALL_ID, path)
    assert (result.scores, result.proposals, result.declarations) == (10, 2, 3)
    assert result.changes.declarations and result.changes.scores
    found = statuses(member)
    assert (found["P001"], found["P002"], found["P003"]) == ("complete", "conflicted", "complete")
    assert found["P004"] == "to_declare"  # nothing said of it: nothing inferred


def test_score_import_never_infers_a_declaration(member: OpenWorkspace, tmp_path: Path) -> None:
    declarations.declare_general(member, CALL_ID)
    before = state(member)
    rows = [
        ("P001", "impact", "0.8", WHY, "no", "", ""),  # row 2: fine
        ("P004", "impact", "0.8", WHY, "", "", ""),  # row 3: scores, no declaration anywhere
        ("P005", "impact", "0.8", WHY, "sì", "other", REASON),  # row 4: scores a conflict
        ("P001", "coherence", "0.8", WHY, "sì", "other", REASON),  # row 5: P001 said otherwise
        ("P003", "", "", "", "", "kinship", ""),  # row 6: a category, no answer
    ]
    with pytest.raises(ImportRefusedError) as caught:
        scores.import_scores(member, CALL_ID, write_csv(tmp_path / "s.csv", SCORE_HEADER, rows))
    problems = {p.where: p.message for p in caught.value.problems}
    assert "dichiarare" in problems["riga 3, colonna proposal"]
    assert "non puoi valutarla" in problems["riga 4, colonna proposal"]
    assert problems["riga 5, colonna proposal"] == "P001 già dichiarata alla riga 2"
    assert problems["riga 6, colonna conflict"] == "scrivere sì (o yes) oppure no, non ''"
    assert state(member) == before


def test_score_files_without_the_columns_work_as_before(
    member: OpenWorkspace, tmp_path: Path
) -> None:
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P001", conflict=False)
    rows = [("P001", key, "0.8", WHY) for key in ALL]
    result = scores.import_scores(
        member, CALL_ID, write_csv(tmp_path / "s.csv", SCORE_HEADER[:4], rows)
    )
    assert (result.scores, result.declarations) == (5, 0) and not result.changes.declarations


def test_the_review_page_compares_with_the_last_bundle(member: OpenWorkspace) -> None:
    from app.services.declaration_review import declarations_view

    view = declarations_view(member, CALL_ID)
    assert not view.general_declared and view.submitted_sequence is None
    assert {row.state for row in view.rows} == {"undeclared"}
    submitted_member(member)
    declarations.declare_proposal(member, CALL_ID, "P002", conflict=False)
    view = declarations_view(member, CALL_ID)
    assert view.general_declared and view.submitted_sequence == 1
    rows = {row.proposal: row for row in view.rows}
    assert (rows["P001"].state, rows["P001"].sent) == ("no_conflict", "as_sent")
    assert (rows["P002"].state, rows["P002"].sent) == ("no_conflict", "changed")
    assert (rows["P006"].state, rows["P006"].sent) == ("undeclared", "as_sent")
    assert (view.count("no_conflict"), view.count("conflict"), view.count("undeclared")) == (
        5,
        0,
        1,
    )
