"""Sub-criteria on the command line: `vaglio call create` names the place of
a split that does not add up; `vaglio score --set` and `vaglio score import`
take the sub-criteria's keys and refuse their criterion's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.subcriteria import SUBCRITERIA_CALL, member_with_subcriteria_call
from tests.support.workspaces import CALL_ID, Template, copy_template

WHY = "Proposta solida, con una rete di quartiere ben descritta."
CELL = f'"{WHY}"'  # the motivation as a CSV cell (it holds a comma)


@pytest.fixture(scope="module")
def subcriteria_member(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return member_with_subcriteria_call(tmp_path_factory.mktemp("sub"))


@pytest.fixture
def home(subcriteria_member: Template, tmp_path: Path) -> Path:
    return copy_template(subcriteria_member, tmp_path / "member")


def _error(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.err.strip().splitlines()
    assert result.code == 1 and lines[-1].startswith(("error: ", "  ")), result.err
    return result.err


def test_call_create_names_the_split_that_does_not_add_up(
    cli, empty_secretariat_template, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    office = copy_template(empty_secretariat_template, tmp_path / "office")
    bad = tmp_path / "call.toml"
    bad.write_text(SUBCRITERIA_CALL.replace('max_points = "15"\nmin_points = "6"',
                                            'max_points = "10"\nmin_points = "6"'), encoding="utf-8")  # fmt: skip
    result = cli("call", "create", str(bad), home=office)
    assert result.code == 1
    assert "criteria[1].sub" in result.err and "sommano 25" in result.err
    assert "nessun avviso creato" in result.err
    assert cli("proposals", "list", CALL_ID, home=office).code == 1


def test_score_set_takes_the_sub_criteria(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("declare", CALL_ID, "--general", home=home).code == 0
    assert cli("declare", CALL_ID, "P001", "--no-conflict", home=home).code == 0
    refused = cli("score", CALL_ID, "P001", "--set", "impact=0.6", "--why", f"impact={WHY}",
                  home=home)  # fmt: skip
    assert "si valuta attraverso i suoi sotto-criteri: usare recipients, measurability" in _error(
        refused
    )
    scored = cli("score", CALL_ID, "P001", "--set", "recipients=0,6", "--why", f"recipients={WHY}",
                 home=home)  # fmt: skip
    assert scored.code == 0, scored.err
    assert "1 criteri completi su 6" in scored.out or "1 criterio completo su 6" in scored.out


def test_score_import_refuses_a_parent_criterion_with_its_row(
    cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    cli("declare", CALL_ID, "--general", home=home)
    cli("declare", CALL_ID, "P001", "--no-conflict", home=home)
    path = tmp_path / "scores.csv"
    path.write_text(
        f"proposal,criterion,value,justification\nP001,recipients,0.8,{CELL}\nP001,impact,0.8,{CELL}\n",
        encoding="utf-8",
    )
    result = cli("score", "import", CALL_ID, str(path), home=home)
    assert result.code == 1
    assert "criterion" in result.err and "3" in result.err
    assert "usare recipients, measurability" in result.err
    path.write_text(
        f"proposal,criterion,value,justification\nP001,recipients,0.8,{CELL}\n"
        f"P001,measurability,0.6,{CELL}\n",
        encoding="utf-8",
    )
    assert cli("score", "import", CALL_ID, str(path), home=home).code == 0
