"""``vaglio collegial``: record the commission's agreed scores, list them
(text and --json), refusals with ``error:`` and nothing written, bad usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.i18n import format_date
from tests.support.collegial import (
    AGREED,
    ANNA,
    BRUNO,
    CARLA,
    COLLEGIAL_CALL,
    MOTIVATION,
    collegial_commission,
    sitting_day,
)
from tests.support.workspaces import Template, copy_template, opened


@pytest.fixture
def office(empty_secretariat_template: Template, tmp_path: Path) -> tuple[Path, int]:
    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    with opened(empty_secretariat_template, home) as ws:
        sitting = collegial_commission(ws)
    return home, sitting


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return result.out


def test_record_and_list_collegial_scores(cli, office) -> None:  # type: ignore[no-untyped-def]
    home, sitting = office
    out = ok(cli("collegial", COLLEGIAL_CALL, "P001", "innovation", "--value", "0,8", "--why",
                 MOTIVATION, "--majority", "--dissent", BRUNO, "--sitting", str(sitting),
                 home=home))  # fmt: skip
    day = format_date(sitting_day())
    assert (
        f"Nella seduta del {day}, la Commissione, a maggioranza (contrari: Bruno Galli), "
        f"attribuisce 0,80: {MOTIVATION}"
    ) in out
    for key, value in AGREED["P002"].items():
        ok(cli("collegial", COLLEGIAL_CALL, "P002", key, "--value", value, "--why", MOTIVATION,
               "--unanimous", "--sitting", str(sitting), home=home))  # fmt: skip
    document = json.loads(ok(cli("collegial", COLLEGIAL_CALL, "--json", home=home)))
    assert document["call"] == COLLEGIAL_CALL and document["closed"] is False
    assert document["pending"] == ["P001", "P003", "P004", "P005"]
    assert document["sittings"] == [
        {"id": sitting, "held_on": sitting_day().isoformat(), "place": "Sala Alessi",
         "present": [ANNA, BRUNO]}
    ]  # fmt: skip
    p001 = next(p for p in document["proposals"] if p["proposal"] == "P001")
    assert p001["college"] == [ANNA, BRUNO, CARLA]
    innovation = p001["criteria"][0]
    assert innovation["individual"] == [
        {"member": ANNA, "value": "0.6"}, {"member": BRUNO, "value": "1"},
        {"member": CARLA, "value": "0.8"},
    ]  # fmt: skip
    assert innovation["agreed"] == {
        "value": "0.8", "motivation": MOTIVATION, "vote": "majority", "dissent": [BRUNO],
        "sitting": {"held_on": sitting_day().isoformat(), "place": "Sala Alessi"},
    }  # fmt: skip
    assert p001["criteria"][1]["agreed"] is None
    text = ok(cli("collegial", COLLEGIAL_CALL, home=home))
    assert "In attesa dei punteggi collegiali: P001, P003, P004, P005" in text
    # The ranking lists P001 as waiting; P002 is ranked on its agreed values.
    ranking = json.loads(ok(cli("ranking", COLLEGIAL_CALL, "--json", home=home)))
    assert [(r["proposal"], r["total"]) for r in ranking["ranking"]] == [("P002", "79.00")]
    assert {"proposal": "P001", "reason": "collegial_pending"} in ranking["excluded"]
    refused = cli("ranking", COLLEGIAL_CALL, "--approve", home=home)
    assert refused.code == 1 and "P001, P004, P005" in refused.err


def test_refusals_print_one_error_line_and_write_nothing(cli, office) -> None:  # type: ignore[no-untyped-def]
    home, sitting = office
    before = ok(cli("collegial", COLLEGIAL_CALL, "--json", home=home))
    cases = [
        (("--value", "0.5", "--unanimous"), "non è ammesso"),
        (("--value", "0.8", "--unanimous", "--dissent", BRUNO), "all'unanimità non ha contrari"),
        (("--value", "0.8", "--majority", "--dissent", "Mario Rossi"), "Mario Rossi non fa parte"),
    ]
    for extra, words in cases:
        result = cli("collegial", COLLEGIAL_CALL, "P001", "innovation", "--why", MOTIVATION,
                     "--sitting", str(sitting), *extra, home=home)  # fmt: skip
        assert result.code == 1 and result.out == ""
        assert result.err.startswith("error: ") and words in result.err
        assert result.err.count("\n") == 1
    assert ok(cli("collegial", COLLEGIAL_CALL, "--json", home=home)) == before


def test_bad_usage_exits_2(cli, office) -> None:  # type: ignore[no-untyped-def]
    home, _sitting = office
    missing = cli("collegial", COLLEGIAL_CALL, "P001", "innovation", "--value", "0.8", home=home)
    assert missing.code == 2 and "--why" in missing.err
    both = cli("collegial", COLLEGIAL_CALL, "P001", "innovation", "--value", "0.8", "--why",
               MOTIVATION, "--unanimous", "--majority", home=home)  # fmt: skip
    assert both.code == 2
    stray = cli("collegial", COLLEGIAL_CALL, "--value", "0.8", home=home)
    assert stray.code == 2
