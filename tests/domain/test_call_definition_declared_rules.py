"""The call file's keys for the rules of issue 13 (``rounding``, ``ties``,
``rescale = "criterion_then_total"``, the tie-break ``submission_order``):
defaults keep old files' meaning and grid hash; every bad value is named."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.models.definition import CallDefinitionError, parse_call_definition
from app.scoring.document import rules_document
from tests.support.workspaces import FIXTURES

EXAMPLE = (FIXTURES / "call.toml").read_text(encoding="utf-8")


def with_scoring(lines: str) -> str:
    return EXAMPLE.replace("[scoring]\n", "[scoring]\n" + lines + "\n", 1)


def test_a_file_without_the_keys_keeps_its_meaning_and_its_hash() -> None:
    call = parse_call_definition(EXAMPLE)
    assert (call.grid.rounding, call.grid.ties) == ("total_of_unrounded", "full_order")
    explicit = parse_call_definition(
        with_scoring('rounding = "total_of_unrounded"\nties = "full_order"')
    )
    assert explicit.grid_hash == call.grid_hash
    # Saved again, the file says nothing of the defaults.
    text = call.to_toml()
    assert "rounding" not in text and "ties" not in text
    assert "rounding" not in rules_document(call.grid) and "ties" not in rules_document(call.grid)


def test_the_grid_hash_follows_the_canonical_form_with_the_new_keys() -> None:
    call = parse_call_definition(with_scoring('rounding = "sum_of_rounded"\nties = "ex_aequo"'))
    g = call.grid
    document = {
        "method": g.method,
        "levels": [f"{v:f}" for v in g.level_values],
        "threshold": f"{g.threshold:f}",
        "rescale": g.rescale,
        "min_evaluators": g.min_evaluators,
        "decimals": g.decimals,
        "justification_min_chars": g.justification_min_chars,
        "criteria": [
            {
                "key": c.key,
                "max_points": f"{c.max_points:f}",
                "min_points": None if c.min_points is None else f"{c.min_points:f}",
            }
            for c in g.criteria
        ],
        "rounding": "sum_of_rounded",
        "ties": "ex_aequo",
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    assert g.grid_hash == hashlib.sha256(canonical).hexdigest()
    assert g.grid_hash != parse_call_definition(EXAMPLE).grid_hash


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        ('rounding = "bankers"', "scoring.rounding"),
        ("rounding = 2", "scoring.rounding"),
        ('ties = "random"', "scoring.ties"),
        ('rescale = "total_then_criterion"', "scoring.rescale"),
        ('colour = "red"', "scoring.colour"),
    ],
)
def test_a_bad_value_is_named(lines: str, where: str) -> None:
    text = with_scoring(lines)
    if lines.startswith("rescale"):
        text = EXAMPLE.replace('rescale = "none"', lines)
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    assert where in [p.where for p in caught.value.problems]


def test_the_new_values_round_trip_through_the_file() -> None:
    text = with_scoring('rounding = "sum_of_rounded"\nties = "ex_aequo"').replace(
        'rescale = "none"', 'rescale = "criterion_then_total"'
    )
    text = text.replace(
        'tie_break = ["impact", "innovation", "lower_request", "lottery"]',
        'tie_break = ["impact", "submission_order", "lottery"]',
    )
    call = parse_call_definition(text)
    again = parse_call_definition(call.to_toml())
    assert again.grid == call.grid
    assert (again.grid.rescale, again.grid.rounding, again.grid.ties) == (
        "criterion_then_total",
        "sum_of_rounded",
        "ex_aequo",
    )
    assert again.grid.cascade == ("impact", "submission_order")


def test_a_bad_rounding_is_named_even_when_the_criteria_are_refused_too() -> None:
    text = with_scoring('rounding = "bankers"\nties = "random"').replace(
        'max_points = "25"', 'max_points = "venticinque"', 1
    )
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    where = [p.where for p in caught.value.problems]
    assert "scoring.rounding" in where and "scoring.ties" in where
    assert "criteria[0].max_points" in where
