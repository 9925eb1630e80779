"""The secretariat's set-up before publication: edit the call, decide admissibility."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from app.models.definition import parse_call_definition
from app.services.call_setup import (
    AlreadyPublishedError,
    CallIdChangedError,
    ProposalsNoLongerFitError,
    ReasonRequiredError,
    definition_text,
    set_admissibility,
    update_call,
)
from app.services.calls import call_view
from app.services.proposals import list_proposals
from app.services.workspace import verify_audit
from tests.support.workspaces import CALL_ID, FIXTURES


def _rows(ws):  # type: ignore[no-untyped-def]
    return {r.id: r for r in list_proposals(ws, CALL_ID)}


def test_to_toml_round_trips_the_example() -> None:
    original = parse_call_definition((FIXTURES / "call.toml").read_text(encoding="utf-8"))
    text = original.to_toml()
    again = parse_call_definition(text)
    assert dataclasses.replace(again, source="") == dataclasses.replace(original, source="")
    assert again.grid_hash == original.grid_hash
    assert parse_call_definition(again.to_toml()).to_toml() == text


def test_editing_the_grid_and_the_rule_before_publication(secretariat) -> None:  # type: ignore[no-untyped-def]
    text = definition_text(secretariat, CALL_ID)
    text = text.replace('max_points = "10"', 'max_points = "15"').replace(
        'max_project_cost = "100000.00"', 'max_project_cost = "150000.00"'
    )
    update_call(secretariat, CALL_ID, text)
    view = call_view(secretariat, CALL_ID)
    assert view.grid.criteria[-1].max_points == Decimal("15")
    # P006 (120.000 €) becomes admissible under the new maximum.
    assert _rows(secretariat)["P006"].admissible
    assert verify_audit(secretariat).entries == 4


def test_editing_refusals(secretariat) -> None:  # type: ignore[no-untyped-def]
    text = definition_text(secretariat, CALL_ID)
    with pytest.raises(CallIdChangedError, match="MI-CC-2021"):
        update_call(secretariat, CALL_ID, text.replace('id = "MI-CC-2020"', 'id = "MI-CC-2021"'))
    with pytest.raises(ProposalsNoLongerFitError, match="P001"):
        update_call(secretariat, CALL_ID, text.replace('"Corvetto", ', ""))
    assert call_view(secretariat, CALL_ID).info.neighbourhoods[1] == "Corvetto"


def test_admissibility_by_hand_with_a_reason(secretariat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReasonRequiredError, match="perché"):
        set_admissibility(secretariat, CALL_ID, "P001", admissible=False, reason=" ")
    set_admissibility(
        secretariat,
        CALL_ID,
        "P001",
        admissible=False,
        reason="Domanda firmata da un delegato senza procura.",
    )
    row = _rows(secretariat)["P001"]
    assert not row.admissible and "procura" in row.inadmissible_reasons[0]
    set_admissibility(secretariat, CALL_ID, "P001", admissible=True)
    assert _rows(secretariat)["P001"].admissible
    # The automatic reason of P006 stays even if the secretariat lifts its own.
    set_admissibility(secretariat, CALL_ID, "P006", admissible=True)
    assert not _rows(secretariat)["P006"].admissible


def test_nothing_changes_after_publication(secretariat) -> None:  # type: ignore[no-untyped-def]
    from app.crypto.keys import KeyPair
    from app.services.publication import publish_call
    from app.services.roster import enroll_member

    enroll_member(secretariat, CALL_ID, name="M", email="", public_keys=KeyPair.generate().public)
    publish_call(secretariat, CALL_ID)
    with pytest.raises(AlreadyPublishedError, match="pubblicato"):
        set_admissibility(secretariat, CALL_ID, "P001", admissible=False, reason="x")
    with pytest.raises(AlreadyPublishedError):
        update_call(secretariat, CALL_ID, definition_text(secretariat, CALL_ID))
