"""The call file's optional ``[minutes]`` and ``[publication]`` sections:
without them a file keeps its meaning; they never change the grid hash; every
bad value is named; the editor's TOML writes them only when set."""

from __future__ import annotations

import pytest

from app.models.definition import CallDefinition, CallDefinitionError, parse_call_definition
from app.models.outputs import OutputOptions
from tests.support.workspaces import FIXTURES

EXAMPLE = (FIXTURES / "call.toml").read_text(encoding="utf-8")


def problems(text: str) -> dict[str, str]:
    with pytest.raises(CallDefinitionError) as refused:
        parse_call_definition(text)
    return {p.where: p.message for p in refused.value.problems}


def test_without_the_sections_nothing_is_annexed_or_added() -> None:
    call = parse_call_definition(EXAMPLE)
    assert call.outputs == OutputOptions(False, ())
    assert "[minutes]" not in call.to_toml() and "[publication]" not in call.to_toml()


def test_the_sections_are_read_written_back_and_leave_the_grid_hash_alone() -> None:
    plain = parse_call_definition(EXAMPLE)
    text = EXAMPLE + (
        "\n[minutes]\nindividual_sheets = true\n\n[publication]\n"
        'fields = ["tax_code", "legal_representative"]\n'
    )
    call = parse_call_definition(text)
    assert call.outputs.individual_sheets_in_minutes
    assert call.outputs.publication_fields == ("tax_code", "legal_representative")
    assert call.grid_hash == plain.grid_hash
    again = CallDefinition.from_toml(call.to_toml())
    assert again.outputs == call.outputs
    assert "individual_sheets = true" in call.to_toml()


def test_every_bad_value_is_named() -> None:
    found = problems(
        EXAMPLE + '\n[minutes]\nindividual_sheets = "yes"\nannex = 1\n\n[publication]\n'
        'fields = ["motivations", "tax_code", "tax_code"]\n'
    )
    assert found["minutes.individual_sheets"] == "deve essere true o false"
    assert found["minutes.annex"] == "chiave sconosciuta"
    assert found["publication.fields[0]"].startswith("deve essere uno tra tax_code")
    assert "publication.fields[2]" in found  # repeated
    assert problems("publication = 3\n" + EXAMPLE) == {
        "publication": "deve essere una sezione ([publication])"
    }


def test_the_call_editor_keeps_the_sections_it_has_no_controls_for() -> None:
    import tomllib

    from app.ui.setup.call_form import from_document, to_document

    text = (
        EXAMPLE + '\n[minutes]\nindividual_sheets = true\n\n[publication]\nfields = ["tax_code"]\n'
    )
    form = from_document(tomllib.loads(text))
    again = CallDefinition.from_document(to_document(form))
    assert again.outputs == OutputOptions(True, ("tax_code",))
    plain = CallDefinition.from_document(to_document(from_document(tomllib.loads(EXAMPLE))))
    assert plain.outputs == OutputOptions()
