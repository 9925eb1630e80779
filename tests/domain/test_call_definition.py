"""The call definition: the example is accepted, every mistake names its key."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.models.definition import parse_call_definition
from app.services.calls import call_view, create_call
from app.services.errors import CallDefinitionError, CallExistsError, RoleError
from tests.support.workspaces import FIXTURES

EXAMPLE = (FIXTURES / "call.toml").read_text(encoding="utf-8")


def test_the_example_call_is_read_completely() -> None:
    call = parse_call_definition(EXAMPLE)
    assert call.id == "MI-CC-2020"
    assert call.info.cup == "B49J17000100006"
    assert call.info.programmed_amount == Decimal("550000.00")
    assert call.info.submission_deadline.isoformat() == "2020-07-15"
    assert len(call.info.neighbourhoods) == 8 and len(call.info.thematic_areas) == 5
    assert call.grid.method == "coefficients"
    assert call.grid.levels[-1].value == Decimal("1")
    assert call.grid.levels[0].label == "non valutabile"
    assert call.grid.tie_break == ("impact", "innovation", "lower_request", "lottery")
    assert [c.key for c in call.grid.criteria] == [
        "innovation",
        "impact",
        "coherence",
        "sustainability",
        "community",
    ]
    assert call.grid.criteria[1].min_points == Decimal("12")
    assert call.grid.max_total == Decimal("100")
    assert call.rules.matchfunding.crowd_share == Decimal("0.40")
    assert call.rules.matchfunding.allocation == "strict_order"
    # Written before `overshoot` existed: the seed call's rule, the remaining cost.
    assert "overshoot" not in EXAMPLE
    assert call.rules.matchfunding.overshoot == "remaining"
    kept = parse_call_definition(
        _broken('allocation = "strict_order"', 'allocation = "strict_order"\novershoot = "kept"')
    )
    assert kept.rules.matchfunding.overshoot == "kept"
    assert 'overshoot = "kept"' in kept.to_toml()
    assert re.fullmatch(r"[0-9a-f]{64}", call.grid_hash)


def _broken(old: str, new: str) -> str:
    assert old in EXAMPLE, old
    return EXAMPLE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (_broken('id = "MI-CC-2020"', 'id = "MI CC/2020"'), "call.id", "lettere"),
        (_broken('cup = "B49J17000100006"', 'cup = "B49J"'), "call.cup", "CUP"),
        (
            _broken('programmed_amount = "550000.00"', "programmed_amount = 550000.5"),
            "call.programmed_amount",
            "come testo",
        ),
        (
            _broken("submission_deadline = 2020-07-15", 'submission_deadline = "ieri"'),
            "call.submission_deadline",
            "data",
        ),
        (
            _broken('"Adriano", "Corvetto"', '"Adriano", "Adriano"'),
            "call.neighbourhoods[1]",
            "ripetuto",
        ),
        (_broken('method = "coefficients"', 'method = "stars"'), "scoring.method", "uno tra"),
        (_broken('"0.8", "1"]', '"0.8", "1.5"]'), "scoring.levels[5]", "tra 0 e 1"),
        (_broken('"0.4", "0.6"', '"0.6", "0.4"'), "scoring.levels[3]", "crescenti"),
        (_broken('"buono", "ottimo"]', '"buono"]'), "scoring.level_labels", "etichette"),
        (_broken('threshold = "60"', 'threshold = "160"'), "scoring.threshold", "al massimo 100"),
        (_broken('rescale = "none"', 'rescale = "sometimes"'), "scoring.rescale", "uno tra"),
        (_broken("min_evaluators = 3", "min_evaluators = 0"), "scoring.min_evaluators", "tra 1"),
        (_broken("decimals = 2", 'decimals = "2"'), "scoring.decimals", "intero"),
        (
            _broken('"lower_request", "lottery"]', '"lottery", "lower_request"]'),
            "scoring.tie_break[2]",
            "ultimo",
        ),
        (
            _broken('"impact", "innovation", "lower', '"impatto", "innovation", "lower'),
            "scoring.tie_break[0]",
            "impatto",
        ),
        (
            _broken("individual_scores_in_minutes = false", "individual_scores_in_minutes = 1"),
            "scoring.individual_scores_in_minutes",
            "true o false",
        ),
        (_broken('key = "impact"', 'key = "innovation"'), "criteria[1].key", "ripetuto"),
        (_broken('key = "impact"', 'key = "Impact!"'), "criteria[1].key", "minuscole"),
        (
            _broken('max_points = "25"', 'max_points = "0"'),
            "criteria[0].max_points",
            "maggiore di 0",
        ),
        (
            _broken('min_points = "12"', 'min_points = "40"'),
            "criteria[1].min_points",
            "al massimo 30",
        ),
        (
            _broken('crowd_share = "0.40"', 'crowd_share = "1"'),
            "matchfunding.crowd_share",
            "minore di 1",
        ),
        (
            _broken('allocation = "strict_order"', 'allocation = "random"'),
            "matchfunding.allocation",
            "uno tra",
        ),
        (_broken("campaign_days = 60", "campaign_days = 0"), "matchfunding.campaign_days", "tra 1"),
        (
            _broken("campaign_days = 60", 'campaign_days = 60\novershoot = "all"'),
            "matchfunding.overshoot",
            "uno tra remaining, kept",
        ),
        (
            _broken("[matchfunding]", "[matchfunding]\ncolour = 'blue'"),
            "matchfunding.colour",
            "sconosciuta",
        ),
        (_broken("[scoring]", "[scoring]\nweights = []"), "scoring.weights", "sconosciuta"),
    ],
)
def test_each_mistake_names_its_key(text: str, key: str, words: str) -> None:
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    problems = {p.where: p.message for p in caught.value.problems}
    assert key in problems, problems
    assert words in problems[key]
    assert f"{key}:" in str(caught.value)


def test_missing_sections_and_every_problem_at_once() -> None:
    text = "[call]\nid = 'X'\n"
    with pytest.raises(CallDefinitionError) as caught:
        parse_call_definition(text)
    wheres = {p.where for p in caught.value.problems}
    assert {"call.title", "call.cup", "scoring", "matchfunding", "criteria"} <= wheres
    assert "nessun avviso creato" in str(caught.value)


def test_toml_syntax_error_is_reported() -> None:
    with pytest.raises(CallDefinitionError, match="toml"):
        parse_call_definition("[call\nid=")


def test_create_call_refusals_write_nothing(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    from app.services.calls import list_calls

    with pytest.raises(CallDefinitionError):
        create_call(empty_secretariat, _broken("decimals = 2", "decimals = 9"))
    assert list_calls(empty_secretariat) == []
    create_call(empty_secretariat, EXAMPLE)
    with pytest.raises(CallExistsError, match="MI-CC-2020"):
        create_call(empty_secretariat, EXAMPLE)
    view = call_view(empty_secretariat, "MI-CC-2020")
    assert len(view.grid.criteria) == 5 and view.status == "draft"


def test_only_the_secretariat_creates_calls(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services.workspace import create_workspace
    from tests.support.workspaces import PASSPHRASE

    created = create_workspace(
        tmp_path / "m", role="member", name="M", passphrase=PASSPHRASE, use_keyring=False
    )
    try:
        with pytest.raises(RoleError, match="segreteria"):
            create_call(created.workspace, EXAMPLE)
    finally:
        created.workspace.close()
