"""The rules a call declares (issue 13) through the real services: pending
ties in ``ranking --json``, ex aequo below and across the funding line, the
order of submission imported with the proposals, and every refusal of those
columns (row and column named, nothing written).

The fixture call: P002 scores 100 and needs 43,500 (α 0.40 on 72,500); P001
and P003 tie at 80 and need 28,800 (0.60 × 48,000) and 15,000 (0.60 × 25,000).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Proposal
from app.scoring.ties import SubmissionOrderMissingError
from app.services.errors import ImportRefusedError
from app.services.proposal_import import import_proposals
from app.services.ranking import approve_ranking, ranking_view, record_lottery_number
from app.services.ranking_errors import NoLotteryNeededError
from app.services.ranking_files import contract_json
from app.services.unlocking import OpenWorkspace
from app.services.workspace import verify_audit
from tests.support.commission import FIXTURES, deliver
from tests.support.minutes import record_sitting
from tests.support.ranking_rules import EVERY_ORDER, TIED, make_call, ordered, proposals_csv


def rows(ws: OpenWorkspace, call_id: str) -> list[dict[str, object]]:
    return [
        {k: v for k, v in row.items() if k in ("rank", "proposal", "pending")}
        for row in contract_json(ranking_view(ws, call_id))["ranking"]
    ]


def test_pending_ties_share_a_provisional_rank_in_the_json(secretariat: OpenWorkspace) -> None:
    call_id = make_call(secretariat, "MI-CC-ATTESA")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    assert rows(secretariat, call_id) == [
        {"rank": 1, "proposal": "P002"},
        {"rank": 2, "proposal": "P001", "pending": True},
        {"rank": 2, "proposal": "P003", "pending": True},
    ]
    record_lottery_number(secretariat, call_id, "12-45-78")
    drawn = rows(secretariat, call_id)
    assert [r["rank"] for r in drawn] == [1, 2, 3]
    assert all("pending" not in r for r in drawn)


def test_ex_aequo_below_the_line_shares_the_place_and_needs_no_lottery(
    secretariat: OpenWorkspace,
) -> None:
    # Fund 550,000: 43,500 + 28,800 + 15,000 all fit.
    call_id = make_call(secretariat, "MI-CC-EXAEQUO", ties="ex_aequo")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    assert rows(secretariat, call_id) == [
        {"rank": 1, "proposal": "P002"},
        {"rank": 2, "proposal": "P001"},
        {"rank": 2, "proposal": "P003"},
    ]
    view = ranking_view(secretariat, call_id)
    assert [r.decided_by for r in view.rows] == ["", "ex_aequo", "ex_aequo"]
    with pytest.raises(NoLotteryNeededError):
        record_lottery_number(secretariat, call_id, "7")
    record_sitting(secretariat, call_id)
    frozen = approve_ranking(secretariat, call_id).view
    assert [(r.rank, r.proposal) for r in frozen.rows] == [(1, "P002"), (2, "P001"), (2, "P003")]
    # Read back from the frozen document, whose rules name the ties.
    assert ranking_view(secretariat, call_id).rows == frozen.rows


def test_ex_aequo_across_the_line_waits_for_the_lottery(secretariat: OpenWorkspace) -> None:
    # Fund 60,000: P002 takes 43,500; 16,500 is left: P003 (15,000) fits,
    # P001 (28,800) does not, and together they do not: the tie crosses.
    call_id = make_call(secretariat, "MI-CC-SOGLIA", ties="ex_aequo", fund="60000.00")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    assert rows(secretariat, call_id)[1:] == [
        {"rank": 2, "proposal": "P001", "pending": True},
        {"rank": 2, "proposal": "P003", "pending": True},
    ]
    drawn = record_lottery_number(secretariat, call_id, "5").view
    assert [r.decided_by for r in drawn.rows[1:]] == ["lottery", "lottery"]


def test_submission_order_from_the_imported_columns(
    secretariat: OpenWorkspace, tmp_path: Path
) -> None:
    call_id = make_call(
        secretariat,
        "MI-CC-PROTOCOLLO",
        ties="ex_aequo",
        fund="60000.00",
        tie_break='["submission_order", "lottery"]',
    )
    path = proposals_csv(tmp_path / "proposte.csv", EVERY_ORDER)
    import_proposals(secretariat, call_id, path, FIXTURES / "attachments")
    with secretariat.session() as session:
        p001, p003 = (
            session.scalars(
                select(Proposal).where(Proposal.call_id == call_id, Proposal.code == code)
            ).one()
            for code in ("P001", "P003")
        )
        # Times without an offset are Rome's: 12:30 CEST is 10:30 UTC.
        assert (p001.protocol, p001.submitted_at) == (
            90,
            dt.datetime(2020, 7, 10, 10, 30, tzinfo=dt.UTC),
        )
        assert p003.submitted_at == dt.datetime(2020, 7, 10, 10, 29, 59, tzinfo=dt.UTC)
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    view = ranking_view(secretariat, call_id)
    assert [(r.rank, r.proposal, r.decided_by) for r in view.rows] == [
        (1, "P002", ""),
        (2, "P003", "submission_order"),
        (3, "P001", "submission_order"),
    ]


def test_a_call_by_submission_order_refuses_a_file_without_it(
    draft_call: OpenWorkspace, tmp_path: Path
) -> None:
    call_id = make_call(draft_call, "MI-CC-SENZA", tie_break='["submission_order", "lottery"]')
    audit_before = verify_audit(draft_call).entries
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(
            draft_call, call_id, proposals_csv(tmp_path / "a.csv", None), FIXTURES / "attachments"
        )
    messages = {p.where: p.message for p in caught.value.problems}
    assert (
        "l'avviso risolve le parità secondo l'ordine di presentazione"
        in messages["riga 2, colonna protocol"]
    )
    assert "riga 2, colonna submitted_at" in messages
    assert "non è stato importato nulla" in str(caught.value)
    with draft_call.session() as session:
        assert session.scalars(select(Proposal).where(Proposal.call_id == call_id)).all() == []
    assert verify_audit(draft_call).entries == audit_before


@pytest.mark.parametrize(
    ("values", "column", "words"),
    [
        (ordered(0, "2020-07-10 12:00"), "protocol", "numero intero, almeno 1"),
        (ordered(12, "2020-07-10 12:00") | {"protocol": "PG-12"}, "protocol", "numero intero"),
        (ordered(12, "domani"), "submitted_at", "non è una data e ora"),
        (ordered(12, "2020-07-10"), "submitted_at", "non è una data e ora"),
        (ordered(12, "31/02/2020 10:00"), "submitted_at", "non è una data e ora"),
        (ordered(7, "2020-07-10 12:00"), "protocol", "presente anche alla riga"),
    ],
)
def test_a_bad_submission_value_is_refused_with_its_row_and_column(
    draft_call: OpenWorkspace, tmp_path: Path, values: dict[str, str], column: str, words: str
) -> None:
    call_id = make_call(draft_call, "MI-CC-ERRORI")
    # Row 2 is P001; P002 (row 3) has protocol 7 already.
    extra = {"P001": values, "P002": ordered(7, "2020-07-11 09:00")}
    path = proposals_csv(tmp_path / "b.csv", extra)
    with pytest.raises(ImportRefusedError) as caught:
        import_proposals(draft_call, call_id, path, FIXTURES / "attachments")
    where = f"riga {2 if 'riga' not in words else 3}, colonna {column}"
    messages = {p.where: p.message for p in caught.value.problems}
    assert where in messages, messages
    assert words in messages[where]
    with draft_call.session() as session:
        assert session.scalars(select(Proposal).where(Proposal.call_id == call_id)).all() == []


def test_the_columns_are_optional_for_other_calls(
    draft_call: OpenWorkspace, tmp_path: Path
) -> None:
    call_id = make_call(draft_call, "MI-CC-FACOLTATIVE")
    path = proposals_csv(tmp_path / "c.csv", {"P002": ordered(7, "2020-07-11T09:00:00+00:00")})
    import_proposals(draft_call, call_id, path, FIXTURES / "attachments")
    with draft_call.session() as session:
        found = {
            p.code: (p.protocol, p.submitted_at)
            for p in session.scalars(select(Proposal).where(Proposal.call_id == call_id))
        }
    assert found["P002"] == (7, dt.datetime(2020, 7, 11, 9, 0, tzinfo=dt.UTC))
    assert found["P001"] == (None, None)


def test_a_ranked_proposal_without_its_order_stops_the_ranking_with_a_sentence(
    secretariat: OpenWorkspace, tmp_path: Path
) -> None:
    # Imported under a call without the rule; the rule is then added while the
    # call is still a draft (the editor allows it): the ranking says what is missing.
    call_id = make_call(secretariat, "MI-CC-MANCANTE")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    from app.models import Call

    with secretariat.session() as session:
        call = session.get(Call, call_id)
        assert call is not None
        call.definition = call.definition.replace(
            'tie_break = ["lottery"]', 'tie_break = ["submission_order", "lottery"]'
        )
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    with pytest.raises(SubmissionOrderMissingError) as caught:
        ranking_view(secretariat, call_id)
    assert caught.value.proposals == ("P001", "P002", "P003")
    assert "numero di protocollo" in str(caught.value)
