"""The call's evaluation deadline: an optional key of ``[call]`` that keeps
old files' meaning and the grid hash, round-trips through the TOML codec,
and reads as days left on Rome's calendar at its boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from app.i18n import set_language
from app.models.definition import CallDefinitionError, parse_call_definition
from app.services.evaluation_deadline import EvaluationDeadline, evaluation_deadline
from tests.support.workspaces import FIXTURES

EXAMPLE = (FIXTURES / "call.toml").read_text(encoding="utf-8")
SUBMISSION = "submission_deadline = 2020-07-15\n"


def with_deadline(value: str) -> str:
    assert SUBMISSION in EXAMPLE
    return EXAMPLE.replace(SUBMISSION, SUBMISSION + f"evaluation_deadline = {value}\n")


def test_a_call_without_the_key_has_no_deadline_and_writes_none() -> None:
    call = parse_call_definition(EXAMPLE)
    assert call.info.evaluation_deadline is None
    assert "evaluation_deadline" not in call.to_toml()


def test_the_deadline_round_trips_and_leaves_the_grid_hash_alone() -> None:
    old = parse_call_definition(EXAMPLE)
    new = parse_call_definition(with_deadline("2020-12-20"))
    assert new.info.evaluation_deadline == dt.date(2020, 12, 20)
    written = new.to_toml()
    assert "evaluation_deadline = 2020-12-20\n" in written
    again = parse_call_definition(written)
    assert again.info == new.info
    # It says when, not how, the call is scored: the grid hash of every
    # existing call stays what it was.
    assert new.grid_hash == old.grid_hash == again.grid_hash


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"20 dicembre"', "deve essere una data, per esempio 2020-07-15"),
        ("2020-12-20T10:00:00", "deve essere una data, per esempio 2020-07-15"),
        ("2020-07-14", "non può venire prima della scadenza di presentazione (2020-07-15)"),
    ],
)
def test_a_bad_deadline_is_refused_naming_its_key(value: str, message: str) -> None:
    with pytest.raises(CallDefinitionError) as refused:
        parse_call_definition(with_deadline(value))
    assert [(p.where, p.message) for p in refused.value.problems] == [
        ("call.evaluation_deadline", message)
    ]


DAY = dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    ("today", "left", "sentence"),
    [
        (dt.date(2026, 12, 5), 15, "Scadenza della valutazione: 20/12/2026 (mancano 15 giorni)"),
        (dt.date(2026, 12, 19), 1, "Scadenza della valutazione: 20/12/2026 (manca 1 giorno)"),
        (dt.date(2026, 12, 20), 0, "Scadenza della valutazione: 20/12/2026 (scade oggi)"),
        (dt.date(2026, 12, 21), -1, "Scadenza della valutazione: 20/12/2026 (scaduta da 1 giorno)"),
        (dt.date(2026, 12, 22), -2, "Scadenza della valutazione: 20/12/2026 (scaduta da 2 giorni)"),
    ],
)
def test_the_days_left_at_the_boundaries(today: dt.date, left: int, sentence: str) -> None:
    deadline = EvaluationDeadline(DAY, today)
    assert deadline.days_left == left
    assert deadline.passed is (left < 0)
    assert deadline.sentence() == sentence


def test_the_wording_in_english_and_no_deadline_at_all() -> None:
    set_language("en")
    assert EvaluationDeadline(DAY, dt.date(2026, 12, 5)).sentence() == (
        "Evaluation deadline: 2026-12-20 (15 days left)"
    )
    assert EvaluationDeadline(DAY, DAY).when() == "ends today"
    assert EvaluationDeadline(DAY, dt.date(2026, 12, 23)).when() == "passed 3 days ago"
    assert evaluation_deadline(None, DAY) is None
