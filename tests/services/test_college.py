"""Conflicts as facts with a history, and substitutes keeping the college.

Review finding 1: with three members and a quorum of three, one member's
invented conflict on a competitor dropped it from rank 1 to "no quorum", and
a conflict withdrawn in a later bundle left no trace.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from app.models import RankingRecord, Substitution
from app.services.college_errors import (
    NotASubstituteError,
    NotInConflictError,
    NoVacantSeatError,
    SubstituteAlreadySeatedError,
)
from app.services.intake import accept_score_bundle
from app.services.ranking import approve_ranking, ranking_view
from app.services.ranking_errors import CollegeIncompleteError
from app.services.status import call_status
from app.services.substitutes import assign_substitute, college
from app.services.unlocking import OpenWorkspace
from tests.support.commission import (
    CONFLICT,
    Commission,
    complete_college_call,
    uniform,
)
from tests.support.minutes import record_sitting

ALL = ("P001", "P002", "P003", "P004", "P005")


def sheet(conflicts: tuple[str, ...] = (), value: str = "0.8") -> dict[str, object]:
    return {p: CONFLICT if p in conflicts else uniform(value) for p in ALL}


def _snapshot(ws: OpenWorkspace) -> dict[str, list[tuple[object, ...]]]:
    with ws.session() as session:
        tables = session.scalars(
            text("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ).all()
        return {
            t: [tuple(r) for r in session.execute(text(f'SELECT * FROM "{t}"'))] for t in tables
        }


@pytest.fixture
def commission(secretariat):  # type: ignore[no-untyped-def]
    """A complete college of three, two substitutes, the call published."""
    call_id = complete_college_call(secretariat)
    board = Commission(secretariat, call_id)
    for name in ("Elena Colombo", "Luca Ferri", "Dario Neri"):
        board.enrol(name)
    for name in ("Marco Bianchi", "Sara Verdi"):
        board.enrol(name, "substitute")
    board.publish()
    return board


def test_a_conflict_is_told_at_intake_and_kept_with_its_history(commission) -> None:  # type: ignore[no-untyped-def]
    ws, call_id = commission.ws, commission.call_id
    first = commission.send(
        "Elena Colombo", sheet(("P004",)), conflict_reason="Ha lavorato per il proponente nel 2019."
    )
    assert first.notes() == [
        "Elena Colombo dichiara un conflitto su P004: rapporto professionale — Ha lavorato per "
        "il proponente nel 2019."
    ]
    # A later bundle withdraws it: flagged, and the first declaration stays.
    second = commission.send("Elena Colombo", sheet())
    assert second.notes() == [
        "Elena Colombo RITIRA il conflitto dichiarato su P004: ora senza conflitto"
    ]
    status = call_status(ws, call_id)
    assert [(e.member, e.proposal, e.kind, e.bundle_sequence) for e in status.conflicts] == [
        ("Elena Colombo", "P004", "conflict", 1),
        ("Elena Colombo", "P004", "withdrawn", 2),
    ]
    assert status.conflicts[1].withdrawn and not status.conflicts[0].withdrawn
    # The same declaration again adds nothing.
    before = _snapshot(ws)["conflict_history"]
    assert commission.send("Elena Colombo", sheet()).notes() == []
    assert _snapshot(ws)["conflict_history"] == before


def test_a_conflict_leaves_the_proposal_short_and_a_substitute_fills_it(commission) -> None:  # type: ignore[no-untyped-def]
    ws, call_id = commission.ws, commission.call_id
    commission.send("Elena Colombo", sheet(("P004",)))
    commission.send("Luca Ferri", sheet())
    commission.send("Dario Neri", sheet())
    view = college(ws, call_id)
    assert (view.college, view.required) == ("complete", 3)
    assert [(p.proposal, p.why()) for p in view.short] == [
        ("P004", "2 valutatori su 3: Elena Colombo in conflitto, senza supplente")
    ]
    # Without a substitute, the proposal misses the quorum of three.
    assert {e.proposal: e.reason for e in ranking_view(ws, call_id).excluded}["P004"] == (
        "no_quorum"
    )

    marco = commission.keys["Marco Bianchi"].public.key_id
    done = assign_substitute(ws, call_id, "P004", marco[:12])
    assert (done.substitute, done.replaces, done.published.sequence) == (
        "Marco Bianchi",
        "Elena Colombo",
        2,
    )
    assert college(ws, call_id).short == ()  # the substitute may still evaluate it
    # The substitute's bundle covers the proposals assigned to them, no other.
    refused_before = _snapshot(ws)
    from app.services.bundle_content import BundleRefusedError

    with pytest.raises(BundleRefusedError, match="dichiara su P001, che non è tra le sue"):
        accept_score_bundle(ws, commission.bundle("Marco Bianchi", sheet())[1])
    assert _snapshot(ws) == refused_before
    commission.send("Marco Bianchi", {"P004": uniform("0.6")})
    row = {r.proposal: r for r in ranking_view(ws, call_id).rows}["P004"]
    assert row.evaluators == 3
    assert college(ws, call_id).incomplete == ()
    record_sitting(ws, call_id)
    approved = approve_ranking(ws, call_id).view
    assert approved.college is not None and approved.college.shortfalls == ()


def test_the_wrong_substitutions_are_refused_and_write_nothing(commission) -> None:  # type: ignore[no-untyped-def]
    ws, call_id = commission.ws, commission.call_id
    commission.send("Elena Colombo", sheet(("P004",)))
    keys = {name: k.public.key_id for name, k in commission.keys.items()}
    before = _snapshot(ws)
    cases = [
        ("P004", keys["Luca Ferri"], None, NotASubstituteError, "non è un supplente"),
        ("P003", keys["Marco Bianchi"], None, NoVacantSeatError, "non c'è un posto da coprire"),
        ("P004", keys["Marco Bianchi"], keys["Luca Ferri"], NotInConflictError,
         "Luca Ferri non ha dichiarato un conflitto su P004"),
    ]  # fmt: skip
    for proposal, substitute, replaces, error, words in cases:
        with pytest.raises(error, match=words):
            assign_substitute(ws, call_id, proposal, substitute, replaces_key=replaces)
        assert _snapshot(ws) == before
    assign_substitute(ws, call_id, "P004", keys["Marco Bianchi"])
    commission.send("Luca Ferri", sheet(("P004",)))
    with pytest.raises(SubstituteAlreadySeatedError, match="valuta già P004"):
        assign_substitute(ws, call_id, "P004", keys["Marco Bianchi"])
    assign_substitute(ws, call_id, "P004", keys["Sara Verdi"])
    with ws.session() as session:
        seats = session.scalars(select(Substitution)).all()
        assert len(seats) == 2


def test_approval_under_a_complete_college_needs_every_seat_or_a_reason(commission) -> None:  # type: ignore[no-untyped-def]
    ws, call_id = commission.ws, commission.call_id
    commission.send("Elena Colombo", sheet(("P004",)))
    commission.send("Luca Ferri", sheet())
    record_sitting(ws, call_id)
    before = _snapshot(ws)
    with pytest.raises(CollegeIncompleteError) as refused:
        approve_ranking(ws, call_id)
    message = str(refused.value)
    assert "Il collegio di MI-CC-COLLEGIO non è completo" in message
    assert (
        "P004: 1 valutatore su 3: Elena Colombo in conflitto, senza supplente; Dario Neri non ha"
        in message
    )
    assert "Dario Neri non ha inviato nulla" in message
    assert _snapshot(ws) == before
    reason = (
        "Dario Neri assente per malattia (certificato agli atti); nessun supplente disponibile."
    )
    approved = approve_ranking(ws, call_id, reason).view
    assert approved.college is not None and approved.college.reason == reason
    with ws.session() as session:
        document = json.loads(session.get_one(RankingRecord, call_id).document or "{}")
    assert document["college"]["reason"] == reason
    assert document["college"]["silent"] == ["Dario Neri"]
    assert [s["proposal"] for s in document["college"]["shortfalls"]] == list(ALL)
