"""The member's sending state (issue 15, item 4): never sent, signed and
waiting, sent, received by the secretariat; changes since the last bundle
judged against what the bundle holds; and what is missing before sending."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from app import clock
from app.services import declarations, scores
from app.services.evaluation_errors import NotAMemberWorkspaceError
from app.services.exchange import sync
from app.services.sending import NEVER, OUTBOX, RECEIVED, SENT, sending_state
from app.services.submission import submit
from tests.support.sending import (
    KEYS,
    WHY,
    declare_and_score_all,
    office_copy,
    open_office,
    share,
)
from tests.support.workspaces import CALL_ID

# 10:12 in Rome on 3 December 2026 (Rome is UTC+1 in winter).
SENT_AT = dt.datetime(2026, 12, 3, 9, 12, tzinfo=dt.UTC)


def test_never_sent_and_everything_missing(member) -> None:  # type: ignore[no-untyped-def]
    state = sending_state(member, CALL_ID)
    assert (state.state, state.sequence, state.unsent_changes) == (NEVER, None, False)
    assert state.headline() == "Mai inviato"
    assert state.readiness.problems() == [
        "Manca la dichiarazione generale di assenza di incompatibilità.",
        "5 proposte attendono ancora la dichiarazione.",
    ]
    assert not state.readiness.ready and state.sentence() == "Mai inviato"


def test_missing_scores_and_motivations_are_counted(member) -> None:  # type: ignore[no-untyped-def]
    declarations.declare_general(member, CALL_ID)
    for code in ("P001", "P002", "P003", "P004"):
        declarations.declare_proposal(member, CALL_ID, code, conflict=False)
    declarations.declare_proposal(member, CALL_ID, "P005", conflict=True, category="other",
                                  reason="Consulenza per il proponente nel 2025.")  # fmt: skip
    for code in ("P001", "P002", "P003"):
        scores.save_scores(member, CALL_ID, code, values={k: D("0.6") for k in KEYS},
                           justifications=dict.fromkeys(KEYS, WHY))  # fmt: skip
    # P004: two values, one with a short motivation; three values missing.
    scores.save_scores(member, CALL_ID, "P004", values={"impact": D("1"), "innovation": D("0.4")},
                       justifications={"impact": WHY, "innovation": "breve"})  # fmt: skip
    readiness = sending_state(member, CALL_ID).readiness
    assert (readiness.undeclared, readiness.unscored, readiness.short_motivations) == (0, 3, 1)
    assert readiness.problems() == [
        "Mancano 3 punteggi.",
        "1 motivazione manca o è troppo breve.",
    ]


def test_sent_then_changed_then_received(member, member_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    declare_and_score_all(member)
    ready = sending_state(member, CALL_ID)
    assert ready.readiness.ready and ready.sentence() == "Mai inviato · pronto per l'invio"

    with clock.using(clock.SteppingClock(SENT_AT)):
        assert submit(member, CALL_ID).sequence == 1
    signed = sending_state(member, CALL_ID)
    assert (signed.state, signed.sequence, signed.unsent_changes) == (OUTBOX, 1, False)
    assert signed.headline() == (
        "Firmato il 3 dicembre 2026 alle 10:12 (n. 1), in attesa di sincronizzazione"
    )

    office = open_office(office_copy(member_template, tmp_path / "segreteria"))
    try:
        share(tmp_path / "condivisa", member, office)
        sync(member)
        sent = sending_state(member, CALL_ID)
        assert sent.state == SENT
        # Sent and unchanged: nothing "ready to submit" any more.
        assert sent.sentence() == "Inviato il 3 dicembre 2026 alle 10:12 (n. 1)"

        # A motivation changed: changes not yet sent; changed back: none.
        scores.save_scores(member, CALL_ID, "P002", justifications={"impact": WHY + " Rivista."})
        changed = sending_state(member, CALL_ID)
        assert changed.unsent_changes and changed.sentence() == (
            "Inviato il 3 dicembre 2026 alle 10:12 (n. 1) · Modifiche non ancora inviate"
        )
        scores.save_scores(member, CALL_ID, "P002", justifications={"impact": WHY})
        assert not sending_state(member, CALL_ID).unsent_changes
        # A value, and a declaration, are changes too.
        scores.save_scores(member, CALL_ID, "P003", values={"impact": D("1")})
        assert sending_state(member, CALL_ID).unsent_changes
        scores.save_scores(member, CALL_ID, "P003", values={"impact": D("0.8")})
        assert not sending_state(member, CALL_ID).unsent_changes
        declarations.declare_proposal(member, CALL_ID, "P006", conflict=True, category="other",
                                      reason="Socio dell'associazione proponente.")  # fmt: skip
        assert sending_state(member, CALL_ID).unsent_changes
        declarations.declare_proposal(member, CALL_ID, "P006", conflict=False)
        assert not sending_state(member, CALL_ID).unsent_changes

        # The office takes the bundle in; the member's sync brings the receipt.
        with clock.using(clock.SteppingClock(SENT_AT + dt.timedelta(hours=2, minutes=3))):
            sync(office)
        sync(member)
        received = sending_state(member, CALL_ID)
        assert received.state == RECEIVED and not received.unsent_changes
        assert received.sentence() == (
            "Ricevuto dalla segreteria il 3 dicembre 2026 alle 12:15 (n. 1)"
        )
    finally:
        office.close()


def test_english_moments_in_rome(member) -> None:  # type: ignore[no-untyped-def]
    from app.i18n import set_language

    declare_and_score_all(member)
    with clock.using(clock.SteppingClock(dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC))):
        submit(member, CALL_ID)
    set_language("en")
    # Half past midnight of 2 July in Rome (UTC+2 in summer), whatever the machine says.
    assert sending_state(member, CALL_ID).headline() == (
        "Signed on 2 July 2026 at 00:30 (no. 1), waiting to be synchronised"
    )


def test_the_secretariat_has_no_sending_state(secretariat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAMemberWorkspaceError):
        sending_state(secretariat, CALL_ID)
