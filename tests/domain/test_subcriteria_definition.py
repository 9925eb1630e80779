"""Sub-criteria in the call definition: read, written back, refused with the
place of each problem, and the grid hash of calls without them unchanged."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.models.definition import CallDefinitionError, parse_call_definition
from app.models.rules import Criterion, RulesError
from app.services.calls import call_view, create_call
from tests.support.subcriteria import EXAMPLE, LEAF_KEYS, SUBCRITERIA_CALL
from tests.support.workspaces import FIXTURES

# The example call's grid hash as released (before sub-criteria existed).
EXAMPLE_GRID_HASH = "c055842258a2e977c5966dda161810801acab0ce49b9fb08a731901c5fe3ceed"


def _changed(old: str, new: str) -> str:
    assert SUBCRITERIA_CALL.count(old) == 1, old
    return SUBCRITERIA_CALL.replace(old, new)


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    return {p.where: p.message for p in caught.value.problems}


def test_sub_criteria_are_read_with_their_floors() -> None:
    grid = parse_call_definition(SUBCRITERIA_CALL).grid
    impact = grid.criteria[1]
    assert [s.key for s in impact.sub] == ["recipients", "measurability"]
    assert impact.sub[0].max_points == Decimal("15") and impact.sub[0].min_points == Decimal("6")
    assert impact.min_points == Decimal("12")
    assert grid.leaf_keys == LEAF_KEYS
    assert grid.keys == ("innovation", "impact", "coherence", "sustainability", "community")
    assert grid.leaf("impact") is None and grid.leaf("recipients") is impact.sub[0]
    assert grid.parent("measurability") is impact
    assert grid.max_total == Decimal("100")


def test_a_definition_with_sub_criteria_is_written_back_the_same() -> None:
    definition = parse_call_definition(SUBCRITERIA_CALL)
    again = parse_call_definition(definition.to_toml())
    assert again.grid == definition.grid
    assert again.grid_hash == definition.grid_hash
    assert "[[criteria.sub]]" in definition.to_toml()


def test_the_grid_hash_of_a_call_without_sub_criteria_has_not_changed() -> None:
    example = parse_call_definition(EXAMPLE)
    assert example.grid_hash == EXAMPLE_GRID_HASH
    # The vectors' package and bundles carry the hash of their own definition.
    payload = json.loads(
        (FIXTURES.parent.parent / "docs/vectors/call-package-000001.payload.json").read_text()
    )
    assert parse_call_definition(payload["definition"]).grid_hash == payload["grid_hash"]


def test_sub_criteria_change_the_grid_hash() -> None:
    with_sub = parse_call_definition(SUBCRITERIA_CALL).grid_hash
    assert with_sub != EXAMPLE_GRID_HASH
    moved = _changed('max_points = "15"\nmin_points = "6"', 'max_points = "20"\nmin_points = "6"')
    moved = moved.replace(
        'title = "Misurabilità dell\'impatto"\nmax_points = "15"',
        'title = "Misurabilità dell\'impatto"\nmax_points = "10"',
    )
    assert parse_call_definition(moved).grid_hash not in (with_sub, EXAMPLE_GRID_HASH)


def test_sub_criteria_that_do_not_add_up_are_refused_at_their_place() -> None:
    text = _changed('max_points = "15"\nmin_points = "6"', 'max_points = "10"\nmin_points = "6"')
    problems = _problems(text)
    assert "criteria[1].sub" in problems, problems
    assert "25" in problems["criteria[1].sub"] and "30" in problems["criteria[1].sub"]


def test_a_sub_criterion_key_must_be_unique_across_the_grid() -> None:
    problems = _problems(_changed('key = "measurability"', 'key = "innovation"'))
    assert "criteria[1].sub[1].key" in problems, problems
    assert "ripetut" in problems["criteria[1].sub[1].key"]
    # A criterion after it that repeats a sub-criterion's key is named too.
    problems = _problems(_changed('key = "coherence"', 'key = "measurability"'))
    assert "criteria[2].key" in problems, problems
    problems = _problems(_changed('key = "measurability"', 'key = "recipients"'))
    assert "criteria[1].sub[1].key" in problems, problems


def test_each_sub_criterion_problem_names_its_place() -> None:
    problems = _problems(
        _changed('max_points = "15"\nmin_points = "6"', 'max_points = "15"\nmin_points = "16"')
    )
    assert "criteria[1].sub[0].min_points" in problems, problems
    problems = _problems(_changed('key = "recipients"', 'key = "Destinatari"'))
    assert "criteria[1].sub[0].key" in problems, problems
    problems = _problems(_changed('title = "Destinatari raggiunti"', 'colour = "red"\ntitle = "x"'))
    assert "criteria[1].sub[0].colour" in problems, problems


def test_a_sub_criterion_cannot_have_sub_criteria() -> None:
    text = SUBCRITERIA_CALL.replace(
        'key = "measurability"', 'key = "measurability"\nsub = [{key = "x", title = "X"}]'
    )
    problems = _problems(text)
    assert "criteria[1].sub[1].sub" in problems, problems
    with pytest.raises(RulesError) as caught:
        inner = Criterion("inner", "Inner", Decimal(5))
        middle = Criterion("middle", "Middle", Decimal(5), sub=(inner,))
        Criterion("outer", "Outer", Decimal(5), sub=(middle,))
    assert [p.where for p in caught.value.problems] == ["sub[0].sub"]


def test_a_refused_definition_creates_no_call(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    from app.services.calls import list_calls

    text = _changed('key = "measurability"', 'key = "recipients"')
    with pytest.raises(CallDefinitionError):
        create_call(empty_secretariat, text)
    assert list_calls(empty_secretariat) == []
    create_call(empty_secretariat, SUBCRITERIA_CALL)
    view = call_view(empty_secretariat, "MI-CC-2020")
    assert view.grid.leaf_keys == LEAF_KEYS
