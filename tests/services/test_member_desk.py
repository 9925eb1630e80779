"""The member's desk: declarations first, then scores; every refusal."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Score
from app.services import declarations, member_desk, scores
from app.services import evaluation_errors as errors
from app.services.workspace import verify_audit
from tests.support.workspaces import CALL_ID

WHY = "Proposta solida, con una rete di quartiere ben descritta."
ALL = ("innovation", "impact", "coherence", "sustainability", "community")


def _score_rows(ws) -> int:  # type: ignore[no-untyped-def]
    with ws.session() as session:
        return session.scalar(select(func.count()).select_from(Score)) or 0


def _audit_count(ws) -> int:  # type: ignore[no-untyped-def]
    with ws.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def score_all(ws, proposal: str, value: str = "0.8") -> None:  # type: ignore[no-untyped-def]
    scores.save_scores(
        ws,
        CALL_ID,
        proposal,
        values={k: D(value) for k in ALL},
        justifications={k: WHY for k in ALL},
    )


def test_the_desk_before_anything(member) -> None:  # type: ignore[no-untyped-def]
    view = member_desk.desk(member, CALL_ID)
    assert not view.general_declared and not view.ready_to_submit
    statuses = {row.proposal.id: row.status for row in view.rows}
    assert statuses["P006"] == "inadmissible"
    assert {s for p, s in statuses.items() if p != "P006"} == {"to_declare"}
    assert view.scorable == 5 and view.complete == 0
    assert sorted(row.review_position for row in view.rows) == list(range(1, 7))


def test_review_order_is_per_member_and_stable() -> None:
    ids = [f"P{n:03d}" for n in range(1, 41)]
    one = member_desk.review_order(CALL_ID, "a" * 64, ids)
    assert one == member_desk.review_order(CALL_ID, "a" * 64, ids)
    assert one != member_desk.review_order(CALL_ID, "b" * 64, ids)
    assert one != ids and sorted(one) == ids


def test_nothing_before_the_general_declaration(member) -> None:  # type: ignore[no-untyped-def]
    before = _audit_count(member)
    with pytest.raises(errors.GeneralDeclarationMissingError, match="dichiarazione generale"):
        declarations.declare_proposal(member, CALL_ID, "P001", conflict=False)
    with pytest.raises(errors.GeneralDeclarationMissingError):
        scores.save_scores(member, CALL_ID, "P001", values={"impact": D("0.6")})
    assert _audit_count(member) == before and _score_rows(member) == 0


def test_scoring_waits_for_the_proposal_declaration(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    with pytest.raises(errors.ProposalDeclarationMissingError, match="P001"):
        scores.save_scores(member, CALL_ID, "P001", values={"impact": D("0.6")})
    assert _score_rows(member) == 0


def test_a_conflicted_proposal_is_never_scored(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P002", conflict=False)
    score_all(member, "P002")
    result = declarations.declare_proposal(
        member,
        CALL_ID,
        "P002",
        conflict=True,
        category="kinship",
        reason="Mia cugina presiede la fondazione.",
    )
    assert result.withdrawn_scores == 5
    assert _score_rows(member) == 0
    with pytest.raises(errors.ConflictedProposalError, match="conflitto di interessi"):
        scores.save_scores(member, CALL_ID, "P002", values={"impact": D("0.6")})
    sheet = member_desk.score_sheet(member, CALL_ID, "P002")
    assert (
        sheet.conflicted and sheet.conflict_category == "kinship" and sheet.status == "conflicted"
    )
    # Still readable.
    assert sheet.applicant == "Fondazione Lavoro e Futuro"


def test_inadmissible_proposals_are_not_scored(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P006", conflict=False)
    with pytest.raises(errors.InadmissibleProposalError, match="non è ammissibile"):
        scores.save_scores(member, CALL_ID, "P006", values={"impact": D("0.6")})


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (
            {"conflict": True, "category": "friendship", "reason": "x"},
            errors.ConflictCategoryError,
            "kinship",
        ),
        (
            {"conflict": True, "category": "economic", "reason": "  "},
            errors.ConflictReasonMissingError,
            "perché",
        ),
    ],
)
def test_declaration_refusals(member, kwargs, error, words) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    before = _audit_count(member)
    with pytest.raises(error, match=words):
        declarations.declare_proposal(member, CALL_ID, "P001", **kwargs)
    assert _audit_count(member) == before
    assert member_desk.score_sheet(member, CALL_ID, "P001").declared is False


@pytest.mark.parametrize(
    ("values", "justifications", "error", "words"),
    [
        ({"impact": D("0.5")}, {}, errors.ValueNotAllowedError, "i livelli sono 0, 0,2"),
        ({"impact": D("2")}, {}, errors.ValueNotAllowedError, "non è ammesso"),
        ({"beauty": D("1")}, {}, errors.UnknownCriterionError, "beauty"),
        (
            {"impact": D("1")},
            {"impact": "troppo breve"},
            errors.MotivationTooShortError,
            "almeno 20",
        ),
        ({"impact": D("1")}, {}, errors.MotivationTooShortError, "(0 caratteri)"),
    ],
)
def test_score_refusals_from_the_command_line(member, values, justifications, error, words) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(member, CALL_ID, "P001", conflict=False)
    before = _audit_count(member)
    with pytest.raises(error, match=words):
        scores.save_scores(
            member,
            CALL_ID,
            "P001",
            values=values,
            justifications=justifications,
            require_motivation=True,
        )
    assert _score_rows(member) == 0 and _audit_count(member) == before


def test_partial_then_complete_then_ready(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    for code in ("P001", "P002", "P003", "P004", "P005"):
        declarations.declare_proposal(member, CALL_ID, code, conflict=False)
    # The form saves a motivation typed before the value: partial.
    scores.save_scores(member, CALL_ID, "P001", justifications={"impact": "Buona"})
    sheet = member_desk.score_sheet(member, CALL_ID, "P001")
    assert sheet.status == "partial" and sheet.criteria[1].value is None
    score_all(member, "P001", "0.6")
    sheet = member_desk.score_sheet(member, CALL_ID, "P001")
    assert sheet.status == "complete"
    assert sheet.total == D("60.0")  # 0.6 x 100
    for code in ("P002", "P003", "P004"):
        score_all(member, code)
    view = member_desk.desk(member, CALL_ID)
    assert (view.complete, view.scorable, view.ready_to_submit) == (4, 5, False)
    declarations.declare_proposal(
        member,
        CALL_ID,
        "P005",
        conflict=True,
        category="professional",
        reason="Ho collaborato con il proponente nel 2019.",
    )
    view = member_desk.desk(member, CALL_ID)
    assert (view.complete, view.scorable, view.ready_to_submit) == (4, 4, True)
    # Clearing a value makes the sheet partial again.
    scores.save_scores(member, CALL_ID, "P001", values={"impact": None})
    assert member_desk.score_sheet(member, CALL_ID, "P001").status == "partial"
    assert verify_audit(member).entries > 10


def test_declarations_can_change_and_every_change_is_audited(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    declarations.declare_proposal(
        member, CALL_ID, "P003", conflict=True, category="other", reason="Socio dell'associazione."
    )
    declarations.declare_proposal(member, CALL_ID, "P003", conflict=False)
    with member.session() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "declaration.proposal")
        ).all()
    assert [r.subject for r in rows] == ["P003", "P003"]
    assert '"conflict":false' in rows[-1].details and '"previous":true' in rows[-1].details
    assert member_desk.score_sheet(member, CALL_ID, "P003").status == "to_score"


def test_general_declaration_text_is_filled_in(member) -> None:  # type: ignore[no-untyped-def]
    text = declarations.general_declaration_text(member, CALL_ID)
    assert text.version == "2020-1"
    assert "Sara Esposito" in text.text and "35-bis" in text.text and "6-bis" in text.text
    from app.i18n import set_language

    set_language("en")
    assert (
        "DECLARATION OF NO INCOMPATIBILITY"
        in declarations.general_declaration_text(member, CALL_ID).text
    )


def test_the_secretariat_does_not_declare(secretariat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.NotAMemberWorkspaceError, match="commissario"):
        declarations.declare_general(secretariat, CALL_ID)


def _scores_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["proposal", "criterion", "value", "justification"])
        writer.writerows(rows)
    return path


def test_score_import_all_or_nothing(member, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    for code in ("P001", "P002"):
        declarations.declare_proposal(member, CALL_ID, code, conflict=False)
    declarations.declare_proposal(
        member,
        CALL_ID,
        "P004",
        conflict=True,
        category="economic",
        reason="Fornitore dell'impresa sociale.",
    )
    good = [("P001", k, "0,8", WHY) for k in ALL] + [("P002", "impact", "1", WHY)]
    bad = good + [
        ("P003", "impact", "0.6", WHY),  # not declared
        ("P004", "impact", "0.6", WHY),  # conflicted
        ("P006", "impact", "0.6", WHY),  # inadmissible
        ("P002", "beauty", "0.6", WHY),  # unknown criterion
        ("P002", "innovation", "0.7", WHY),  # not a level
        ("P002", "coherence", "x", WHY),  # unreadable
        ("P002", "community", "0.2", "corta"),  # too short
        ("P001", "impact", "0.2", WHY),  # twice
    ]
    with pytest.raises(Exception) as caught:
        scores.import_scores(member, CALL_ID, _scores_csv(tmp_path / "bad.csv", bad))
    problems = {p.where: p.message for p in caught.value.problems}  # type: ignore[attr-defined]
    assert "dichiarare" in problems["riga 8, colonna proposal"]
    assert "conflitto" in problems["riga 9, colonna proposal"]
    assert "non è ammissibile" in problems["riga 10, colonna proposal"]
    assert "beauty" in problems["riga 11, colonna criterion"]
    assert "0,7" in problems["riga 12, colonna value"]
    assert "numero" in problems["riga 13, colonna value"]
    assert "almeno 20" in problems["riga 14, colonna justification"]
    assert "riga 3" in problems["riga 15, colonna criterion"]
    assert _score_rows(member) == 0
    result = scores.import_scores(member, CALL_ID, _scores_csv(tmp_path / "good.csv", good))
    assert (result.scores, result.proposals) == (6, 2)
    assert member_desk.score_sheet(member, CALL_ID, "P001").status == "complete"
