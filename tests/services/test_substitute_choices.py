"""What the assignment dialog offers: the roster's substitutes (and why one
cannot sit on a proposal) and the empty seats, exactly what
``assign_substitute`` would accept."""

from __future__ import annotations

import pytest

from app.services.errors import UnknownProposalError
from app.services.substitutes import assign_substitute, substitute_choices
from tests.support.commission import CONFLICT, Commission, complete_college_call, uniform

ALL = ("P001", "P002", "P003", "P004", "P005")


def sheet(conflicts: tuple[str, ...] = ()) -> dict[str, object]:
    return {p: CONFLICT if p in conflicts else uniform("0.8") for p in ALL}


def test_the_choices_follow_the_seats_and_the_substitutes_conflicts(secretariat) -> None:  # type: ignore[no-untyped-def]
    call_id = complete_college_call(secretariat)
    board = Commission(secretariat, call_id)
    for name in ("Elena Colombo", "Luca Ferri", "Dario Neri"):
        board.enrol(name)
    for name in ("Marco Bianchi", "Sara Verdi"):
        board.enrol(name, "substitute")
    board.publish()
    board.send("Elena Colombo", sheet(("P003",)))
    board.send("Luca Ferri", sheet(("P003",)))
    keys = {name: k.public.key_id for name, k in board.keys.items()}

    choices = substitute_choices(secretariat, call_id, "P003")
    assert [(c.name, c.unavailable) for c in choices.substitutes] == [
        ("Marco Bianchi", ""),
        ("Sara Verdi", ""),
    ]
    assert [c.name for c in choices.vacant] == ["Elena Colombo", "Luca Ferri"]
    assert choices.vacant[1].key_id == keys["Luca Ferri"]
    assert choices.vacant[1].fingerprint.replace(" ", "").lower().startswith(keys["Luca Ferri"][:8])
    assert substitute_choices(secretariat, call_id, "P001").vacant == ()

    assign_substitute(secretariat, call_id, "P003", keys["Marco Bianchi"])
    choices = substitute_choices(secretariat, call_id, "P003")
    assert [(c.name, c.unavailable) for c in choices.substitutes] == [
        ("Marco Bianchi", "valuta già questa proposta"),
        ("Sara Verdi", ""),
    ]
    assert [c.name for c in choices.available] == ["Sara Verdi"]
    assert [c.name for c in choices.vacant] == ["Luca Ferri"]

    # A substitute who declares a conflict there leaves the seat empty again.
    board.send("Marco Bianchi", {"P003": CONFLICT})
    choices = substitute_choices(secretariat, call_id, "P003")
    assert choices.substitutes[0].unavailable == "ha dichiarato un conflitto su questa proposta"
    assert [c.name for c in choices.vacant] == ["Elena Colombo", "Luca Ferri"]

    with pytest.raises(UnknownProposalError):
        substitute_choices(secretariat, call_id, "P999")
