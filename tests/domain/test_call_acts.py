"""The call's acts in the call definition: read, refused with their keys,
written back, and never part of the rulebook or its grid hash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.models.call_acts import Act, CallActs, Publication
from app.models.definition import CallDefinition, CallDefinitionError

FIXTURE = (Path(__file__).parents[1] / "fixtures" / "call.toml").read_text(encoding="utf-8")


def _without_acts(text: str) -> str:
    """The fixture as a call file written before the acts existed."""
    start, end = text.index("\n# The acts the minutes state"), text.index("\n[scoring]")
    return text[:start] + "\n" + text[end:]


def _with(extra: str) -> str:
    text = _without_acts(FIXTURE)
    at = text.index("\n[scoring]")
    return text[:at] + "\n" + extra + "\n" + text[at:]


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(CallDefinitionError) as caught:
        CallDefinition.from_toml(text)
    return {p.where: p.message for p in caught.value.problems}


def test_every_act_is_read_from_the_call_file() -> None:
    acts = CallDefinition.from_toml(FIXTURE).acts
    office = "Direzione Economia Urbana e Lavoro"
    assert acts == CallActs(
        call_approval=Act("Determinazione dirigenziale", "4127/2020", dt.date(2020, 5, 12), office),
        publication=Publication(
            "Albo pretorio online e sito istituzionale del Comune di Milano", dt.date(2020, 5, 15)
        ),
        commission_appointment=Act(
            "Determinazione dirigenziale", "6352/2020", dt.date(2020, 7, 22), office
        ),
        rup="Dott.ssa Laura Ferri",
        place="Milano",
        secretary="Dott.ssa Chiara Marelli",
    )
    assert acts.missing() == []


def test_a_file_without_acts_keeps_its_meaning_and_says_what_the_minutes_lack() -> None:
    old = CallDefinition.from_toml(_without_acts(FIXTURE))
    new = CallDefinition.from_toml(FIXTURE)
    assert old.acts == CallActs() and old.acts.empty
    assert old.rules == new.rules and old.info == new.info
    assert old.grid_hash == new.grid_hash
    assert old.acts.missing() == [
        "acts.call_approval",
        "acts.publication",
        "acts.commission_appointment",
        "acts.rup",
        "acts.place",
        "commission.secretary",
    ]
    assert "[acts" not in old.to_toml() and "[commission]" not in old.to_toml()


def test_the_acts_survive_writing_and_reading_again() -> None:
    definition = CallDefinition.from_toml(FIXTURE)
    again = CallDefinition.from_toml(definition.to_toml())
    assert again.acts == definition.acts
    only_secretary = CallDefinition.from_toml(_with('[commission]\nsecretary = "Anna Bianchi"'))
    text = only_secretary.to_toml()
    assert "[acts]" not in text
    assert CallDefinition.from_toml(text).acts == CallActs(secretary="Anna Bianchi")


def test_bad_acts_are_refused_each_with_its_key() -> None:
    # The suite speaks Italian, as the application does by default.
    problems = _problems(
        _with(
            "[acts]\n"
            "rup = 12\n"
            "luogo = 'Milano'\n"
            "publication = 'albo'\n"
            "[acts.call_approval]\n"
            "kind = 'Determinazione'\n"
            "number = ''\n"
            "date = '12/05/2020'\n"
            "[acts.commission_appointment]\n"
            "kind = 'Decreto'\n"
            "number = '1'\n"
            "date = 2020-07-22T10:00:00\n"
            "office = 'Direzione'\n"
            "signed = true\n"
            "[commission]\n"
            "secretary = ''\n"
            "president = 'X'\n"
        )
    )
    assert problems == {
        "acts.rup": "deve essere un testo",
        "acts.luogo": "chiave sconosciuta",
        "acts.publication": "deve essere una sezione ([acts.publication])",
        "acts.call_approval.number": "non può essere vuoto",
        "acts.call_approval.date": "deve essere una data, per esempio 2020-07-15",
        "acts.call_approval.office": "obbligatorio",
        "acts.commission_appointment.date": "deve essere una data, per esempio 2020-07-15",
        "acts.commission_appointment.signed": "chiave sconosciuta",
        "commission.secretary": "non può essere vuoto",
        "commission.president": "chiave sconosciuta",
    }


def test_acts_and_commission_must_be_sections() -> None:
    text = _without_acts(FIXTURE).replace("[call]", 'acts = "x"\ncommission = 3\n[call]', 1)
    problems = _problems(text)
    assert problems["acts"] == "deve essere una sezione ([acts])"
    assert problems["commission"] == "deve essere una sezione ([commission])"
