"""The secretariat's ranking from real bundles: consolidation, lottery, approval."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Call, RankingRecord
from app.scoring.document import canonical, contract_document
from app.scoring.ranking import lottery_seed, shuffle
from app.services.demo import DEMO_PASSPHRASE
from app.services.errors import RoleError, UnknownProposalError
from app.services.ranking import approve_ranking, drill_down, ranking_view, record_lottery_number
from app.services.ranking_errors import (
    BadLotteryNumberError,
    LotteryAlreadyDrawnError,
    LotteryPendingError,
    NoBundlesError,
    NoLotteryNeededError,
    RankingApprovedError,
)
from app.services.workspace import unlock
from app.store import audit
from app.store.workspace import Workspace
from tests.support.commission import CONFLICT, deliver, lottery_call, uniform
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import Template, copy_template, opened

CALL = "MI-CC-2020"


@pytest.fixture
def office(demo_copy: Path) -> Iterator[Workspace]:
    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    yield ws
    ws.close()


def state(ws: Workspace, call_id: str) -> tuple[object, ...]:
    """What a refused operation must leave untouched."""
    with ws.session() as session:
        record = session.get(RankingRecord, call_id)
        call = session.get(Call, call_id)
        assert call is not None
        return (
            None if record is None else (record.lottery_number, record.approved_at, record.sha256),
            call.evaluation_closed_at,
            call.status,
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_the_demo_ranking_from_its_three_bundles(office: Workspace) -> None:
    view = ranking_view(office, CALL)
    assert [b.member for b in view.bundles] == ["Elena Colombo", "Marco Ferrari", "Sara Esposito"]
    assert view.members_without_bundle == () and not view.approved
    assert [r.proposal for r in view.rows[:3]] == ["P038", "P034", "P010"]
    # P038 and P034 share 97.00: the call's first tie-break (impact) settles it.
    assert view.rows[0].total == view.rows[1].total == D("97.00")
    assert view.rows[0].criteria["impact"] > view.rows[1].criteria["impact"]
    assert view.rows[0].decided_by == view.rows[1].decided_by == "impact"
    assert all(r.evaluators == 3 and r.total >= D("60") for r in view.rows)
    reasons = {e.proposal: e.reason for e in view.excluded}
    # Elena Colombo declared a conflict on P014: two evaluations, quorum is three.
    assert reasons["P014"] == "no_quorum"
    assert {p for p, r in reasons.items() if r == "inadmissible"} == {"P012", "P027", "P033"}
    assert reasons["P005"] == "below_threshold" and reasons["P004"] == "below_criterion_floor"
    assert len(view.rows) + len(view.excluded) == 40
    assert next(r for r in view.rows if r.proposal == "P002").flags == ("sustainability",)


def test_the_contract_document(office: Workspace) -> None:
    document = contract_document(ranking_view(office, CALL))
    assert set(document) == {"call", "ranking", "excluded"}
    first = document["ranking"][0]
    assert set(first) == {"rank", "proposal", "total", "criteria", "evaluators", "flags"}
    assert first == {
        "rank": 1,
        "proposal": "P038",
        "total": "97.00",
        "criteria": first["criteria"],
        "evaluators": 3,
        "flags": [],
    }
    assert all(isinstance(v, str) for v in first["criteria"].values())
    flagged = next(r for r in document["ranking"] if r["proposal"] == "P002")
    assert flagged["flags"] == ["dispersion:sustainability"]
    assert {"proposal": "P014", "reason": "no_quorum"} in document["excluded"]


def test_the_order_bundles_arrive_in_changes_nothing(
    secretariat: Workspace, secretariat_template: Template, tmp_path: Path
) -> None:
    sheets = {
        "Anna": {"P001": uniform("0.8"), "P002": uniform("0.6"), "P003": CONFLICT},
        "Bruno": {"P001": uniform("1"), "P002": uniform("0.4"), "P003": uniform("1")},
        "Carla": {"P001": uniform("0.6"), "P002": uniform("1"), "P003": uniform("0.8")},
        "Dario": {"P001": uniform("0.8"), "P002": uniform("0.8"), "P003": uniform("0.8")},
    }
    deliver(secretariat, CALL, sheets)
    one = contract_document(ranking_view(secretariat, CALL))
    with opened(secretariat_template, copy_template(secretariat_template, tmp_path / "b")) as ws:
        deliver(ws, CALL, dict(reversed(sheets.items())))
        other = contract_document(ranking_view(ws, CALL))
    assert one == other
    # P003: (1 + 0.8 + 0.8) / 3 of 100 points; Anna's conflict left out.
    assert [(r["proposal"], r["total"], r["evaluators"]) for r in one["ranking"]] == [
        ("P003", "86.67", 3),
        ("P001", "80.00", 4),
        ("P002", "70.00", 4),
    ]


def test_the_lottery_with_the_publicly_drawn_number(secretariat: Workspace) -> None:
    call_id = lottery_call(secretariat)
    tied = {"P001": uniform("0.8"), "P003": uniform("0.8"), "P002": uniform("1")}
    deliver(secretariat, call_id, {"Anna": tied, "Bruno": tied, "Carla": tied})
    waiting = ranking_view(secretariat, call_id)
    assert waiting.pending_lottery == (("P001", "P003"),)
    assert [r.decided_by for r in waiting.rows] == ["", "pending", "pending"]

    before = state(secretariat, call_id)
    with pytest.raises(LotteryPendingError) as caught:
        approve_ranking(secretariat, call_id)
    assert "P001, P003" in str(caught.value) and "sorteggio" in str(caught.value)
    assert state(secretariat, call_id) == before
    for bad in ("", "12a", "1 2", "-3", "1" * 13):
        with pytest.raises(BadLotteryNumberError) as caught:
            record_lottery_number(secretariat, call_id, bad)
        assert "non è un numero estratto" in str(caught.value)
    assert state(secretariat, call_id) == before

    drawn = record_lottery_number(secretariat, call_id, "12-45-78").view
    seed = lottery_seed(call_id, "12-45-78", ("P001", "P003"))
    assert seed == hashlib.sha256(f"{call_id}\n12-45-78\nP001,P003".encode()).hexdigest()
    (lottery,) = drawn.lotteries
    assert (lottery.seed, lottery.order) == (seed, shuffle(seed, ["P001", "P003"]))
    assert [r.proposal for r in drawn.rows[1:]] == list(lottery.order)
    assert [r.decided_by for r in drawn.rows[1:]] == ["lottery", "lottery"]
    assert ranking_view(secretariat, call_id).lotteries == drawn.lotteries
    with secretariat.session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "ranking.lottery")
        ).one()
        assert json.loads(event.details)["draws"][0]["seed"] == seed

    # From now on no bundle may change the tie the public number settled.
    from app.services.exchange_errors import EvaluationClosedError

    with pytest.raises(EvaluationClosedError):
        deliver(secretariat, call_id, {"Dario": {"P001": uniform("1")}})
    assert ranking_view(secretariat, call_id).lotteries == drawn.lotteries

    before = state(secretariat, call_id)
    with pytest.raises(LotteryAlreadyDrawnError) as caught:
        record_lottery_number(secretariat, call_id, "99")
    assert "12-45-78" in str(caught.value)
    assert state(secretariat, call_id) == before


def test_no_lottery_number_without_a_tie_that_needs_it(office: Workspace) -> None:
    before = state(office, CALL)
    with pytest.raises(NoLotteryNeededError) as caught:
        record_lottery_number(office, CALL, "37")
    assert "Nessun pari merito" in str(caught.value)
    assert state(office, CALL) == before


def test_approval_freezes_the_ranking_and_closes_the_evaluation(
    office: Workspace, demo_copy: Path
) -> None:
    live = ranking_view(office, CALL)
    # The demo's college is complete and P014 has no substitute yet: refused
    # without a reason, and nothing written.
    from app.services.ranking_errors import CollegeIncompleteError

    untouched = state(office, CALL)
    with pytest.raises(CollegeIncompleteError) as refused:
        approve_ranking(office, CALL)
    assert "P014: 2 valutatori su 3: Elena Colombo in conflitto, senza supplente" in str(
        refused.value
    )
    assert state(office, CALL) == untouched
    approved = approve_ranking(office, CALL, DEMO_REASON).view
    assert approved.college is not None and approved.college.reason == DEMO_REASON
    assert approved.approved and approved.document_sha256
    with office.session() as session:
        record = session.get(RankingRecord, CALL)
        call = session.get(Call, CALL)
        assert record is not None and call is not None and record.document is not None
        assert record.sha256 == hashlib.sha256(record.document.encode()).hexdigest()
        assert record.sha256 == approved.document_sha256
        assert json.loads(record.document)["format"] == "vaglio-ranking/1"
        assert canonical(json.loads(record.document)) == record.document
        assert call.evaluation_closed_at == record.approved_at and call.status == "closed"
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "ranking.approve")
        ).one()
        assert json.loads(event.details)["sha256"] == record.sha256
        audit.verify(session)
    frozen = ranking_view(office, CALL)
    assert contract_document(frozen) == contract_document(live)
    assert frozen.document_sha256 == approved.document_sha256
    assert frozen.bundles == live.bundles

    before = state(office, CALL)
    with pytest.raises(RankingApprovedError) as caught:
        approve_ranking(office, CALL)
    assert "già approvata" in str(caught.value)
    assert state(office, CALL) == before


def test_a_bundle_after_approval_is_refused(office: Workspace, demo_copy: Path) -> None:
    from app.services.exchange_errors import EvaluationClosedError
    from app.services.intake import accept_score_bundle
    from app.services.scores import save_scores
    from app.services.submission import submit

    member = unlock(demo_copy / "commissario-3", DEMO_PASSPHRASE)
    try:
        save_scores(member, CALL, "P001", values={"impact": D("1")})
        data = submit(member, CALL).copy.read_bytes()
    finally:
        member.close()
    approve_ranking(office, CALL, DEMO_REASON)
    before = state(office, CALL)
    with pytest.raises(EvaluationClosedError) as caught:
        accept_score_bundle(office, data)
    assert "chiusa" in str(caught.value)
    assert state(office, CALL) == before


def test_nothing_to_approve_without_bundles(secretariat: Workspace) -> None:
    before = state(secretariat, CALL)
    with pytest.raises(NoBundlesError) as caught:
        approve_ranking(secretariat, CALL)
    assert "alcun pacchetto" in str(caught.value)
    assert state(secretariat, CALL) == before
    view = ranking_view(secretariat, CALL)
    assert view.rows == () and {e.reason for e in view.excluded} == {"no_quorum", "inadmissible"}


def test_a_member_cannot_see_the_ranking(member: Workspace) -> None:
    with pytest.raises(RoleError):
        ranking_view(member, CALL)
    with pytest.raises(RoleError):
        approve_ranking(member, CALL)


def test_drill_down_shows_each_member_and_the_dispersion(office: Workspace) -> None:
    conflicted = drill_down(office, CALL, "P014")
    assert conflicted.reason == "no_quorum" and conflicted.rank is None
    elena = conflicted.evaluations[0]
    assert elena.member == "Elena Colombo" and elena.conflicted
    assert elena.conflict_category == "professional" and elena.values == {}
    assert all(not e.conflicted and len(e.values) == 5 for e in conflicted.evaluations[1:])

    flagged = drill_down(office, CALL, "P002")
    assert flagged.rank == 8 and flagged.reason is None
    spread = next(c for c in flagged.criteria if c.key == "sustainability")
    assert spread.flagged and spread.spread is not None and spread.spread >= D("0.6")
    assert spread.evaluators == 3 and spread.points == next(
        r.criteria["sustainability"]
        for r in ranking_view(office, CALL).rows
        if r.proposal == "P002"
    )
    assert all(len(text) >= 20 for e in flagged.evaluations for text in e.motivations.values())
    with pytest.raises(UnknownProposalError):
        drill_down(office, CALL, "P999")


def test_exports_hold_the_same_lines(office: Workspace, tmp_path: Path) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from app.reports.ranking_export import export

    view = ranking_view(office, CALL)
    rows = list(csv.DictReader(io.StringIO(export(view, "csv").decode("utf-8"))))
    assert len(rows) == 40
    first = rows[0]
    assert (first["posizione"], first["proposta"], first["totale"]) == ("1", "P038", "97.00")
    assert first["esito"] == "ammessa"
    assert {
        "proposta": "P014",
        "esito": "esclusa",
        "motivo": "valutatori_insufficienti",
    }.items() <= next(r for r in rows if r["proposta"] == "P014").items()
    assert all(r["segnalazioni"].startswith("dispersione:") for r in rows if r["segnalazioni"])
    path = tmp_path / "graduatoria.xlsx"
    path.write_bytes(export(view, "xlsx"))
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["B2"].value == "P038" and float(sheet["E2"].value) == 97.0
    assert sheet.max_row == 41
    document = json.loads(export(view, "json"))
    assert document["ranking"][0]["title"] == view.rows[0].title
    contract = contract_document(view)
    assert [{k: r[k] for k in contract["ranking"][0]} for r in document["ranking"]] == contract[
        "ranking"
    ]
    assert [{k: e[k] for k in ("proposal", "reason")} for e in document["excluded"]] == contract[
        "excluded"
    ]
