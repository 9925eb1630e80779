"""Messages that said too little (issue 15, finding 9): an empty amount was
«» non è un importo in euro; a call without criteria was told its threshold
"deve essere al massimo 0"."""

from __future__ import annotations

import re

import pytest

from app.models.definition import CallDefinitionError, parse_call_definition
from app.models.numbers import NumberError, read_amount, read_number
from tests.support.workspaces import FIXTURES

CALL = (FIXTURES / "call.toml").read_text(encoding="utf-8")


def sentence(text: str, reader=read_amount) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(NumberError) as caught:
        reader(text)
    return caught.value.sentence


def test_an_empty_amount_says_it_is_missing() -> None:
    assert sentence("") == "manca l'importo: scrivilo in euro, per esempio 12.500,00"
    assert sentence("  € ") == "manca l'importo: scrivilo in euro, per esempio 12.500,00"
    assert "«»" not in sentence("")


def test_an_unreadable_amount_says_what_to_write() -> None:
    assert sentence("dodicimila") == (
        "«dodicimila» non è un importo in euro: scrivi per esempio 12500,00 oppure 12.500,00"
    )
    assert sentence("12.500").startswith("«12.500» è ambiguo")  # unchanged
    # A number that is not an amount keeps its own words.
    assert sentence("", read_number) == "serve un numero"
    assert sentence("tanti", read_number) == "«tanti» non è un numero"


def problems(text: str) -> dict[str, str]:
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    return {p.where: p.message for p in caught.value.problems}


def test_an_empty_amount_of_the_call_says_it_is_missing() -> None:
    found = problems(CALL.replace('fund = "550000.00"', 'fund = ""'))
    assert found == {
        "matchfunding.fund": "manca l'importo: scrivilo in euro, per esempio 12.500,00"
    }
    found = problems(CALL.replace('crowd_share = "0.40"', 'crowd_share = ""'))
    assert found == {"matchfunding.crowd_share": "serve un numero"}


def test_a_call_without_criteria_is_told_to_add_one_before_the_threshold() -> None:
    # The call editor's empty grid: a list of no criteria, threshold 60.
    blocks = re.split(r"(?m)^(?=\[)", CALL)
    text = "criteria = []\n" + "".join(b for b in blocks if not b.startswith("[[criteria"))
    found = problems(text)
    assert found["criteria"] == "serve almeno un criterio"
    assert found["scoring.threshold"] == "aggiungi almeno un criterio prima di fissare la soglia"
    assert not any("[[" in message or "al massimo 0" in message for message in found.values())
