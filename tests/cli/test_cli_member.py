"""The member's commands: declare, score, score import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import refusal
from tests.support.workspaces import CALL_ID

WHY = "Proposta solida, con una rete di quartiere ben descritta."


def _error(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.err
    return lines[0]


def test_declare_then_score_through_the_cli(cli, member_home: Path) -> None:  # type: ignore[no-untyped-def]
    refused = cli(
        "score", CALL_ID, "P001", "--set", "impact=0.6", "--why", f"impact={WHY}", home=member_home
    )
    assert "dichiarazione generale" in _error(refused)
    assert cli("declare", CALL_ID, "--general", home=member_home).code == 0
    refused = cli(
        "score", CALL_ID, "P001", "--set", "impact=0.6", "--why", f"impact={WHY}", home=member_home
    )
    assert "conflitto di interessi con la proposta P001" in _error(refused)
    ok = cli("declare", CALL_ID, "P001", "--no-conflict", home=member_home)
    assert ok.code == 0 and "assenza di conflitto" in ok.out
    scored = cli(
        "score",
        CALL_ID,
        "P001",
        "--set",
        "impact=0,6",
        "--why",
        f"impact={WHY}",
        "--set",
        "innovation=1",
        "--why",
        f"innovation={WHY}",
        home=member_home,
    )
    assert scored.code == 0, scored.err
    assert "2 criteri completi su 5" in scored.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--set", "impact=0.5", "--why", f"impact={WHY}"), "non è ammesso"),
        (("--set", "impact=0.6", "--why", "impact=breve"), "troppo corta"),
        (("--set", "impact=0.6"), "troppo corta (0 caratteri)"),
        (("--set", "colore=0.6", "--why", f"colore={WHY}"), "non ha il criterio colore"),
        (("--set", "impact"), "CHIAVE=VALORE"),
    ],
)
def test_score_refusals(cli, member_home: Path, args: tuple[str, ...], words: str) -> None:  # type: ignore[no-untyped-def]
    cli("declare", CALL_ID, "--general", home=member_home)
    cli("declare", CALL_ID, "P001", "--no-conflict", home=member_home)
    assert words in _error(cli("score", CALL_ID, "P001", *args, home=member_home))


def test_conflicted_proposal_refused_in_cli(cli, member_home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("declare", CALL_ID, "--general", home=member_home)
    declared = cli(
        "declare",
        CALL_ID,
        "P002",
        "--conflict",
        "kinship",
        "--reason",
        "Mio fratello è il legale rappresentante.",
        home=member_home,
    )
    assert declared.code == 0 and "non sarà valutata" in declared.out
    refused = cli(
        "score", CALL_ID, "P002", "--set", "impact=0.6", "--why", f"impact={WHY}", home=member_home
    )
    assert "non puoi valutarla" in _error(refused)


@pytest.mark.parametrize(
    "args",
    [
        ("declare", CALL_ID),
        ("declare", CALL_ID, "P001", "--general"),
        ("declare", CALL_ID, "--no-conflict"),
        ("declare", CALL_ID, "P001", "--conflict", "friendship", "--reason", "x"),
        ("declare", CALL_ID, "P001", "--no-conflict", "--reason", "x"),
        ("score", CALL_ID),
        ("score", CALL_ID, "P001"),
    ],
)
def test_declare_and_score_usage_errors(cli, member_home: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert cli(*args, home=member_home).code == 2


def test_score_import(cli, member_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("declare", CALL_ID, "--general", home=member_home)
    cli("declare", CALL_ID, "P001", "--no-conflict", home=member_home)
    path = tmp_path / "s.csv"
    path.write_text(
        "proposal;criterion;value;justification\n"
        f'P001;impact;0,8;"{WHY}"\nP001;innovation;1;"{WHY}"\n',
        encoding="utf-8",
    )
    result = cli("score", "import", CALL_ID, str(path), home=member_home)
    assert result.code == 0, result.err
    assert "Importati 2 punteggi per 1 proposte" in result.out
    bad = tmp_path / "b.csv"
    bad.write_text(
        f"proposal,criterion,value,justification\nP003,impact,0.8,{WHY}\n"
        f"P001,impatto,0.8,{WHY}\nP001,impact,7,{WHY}\n"
    )
    refused = cli("score", "import", CALL_ID, str(bad), home=member_home)
    line, problems = refusal(refused.err)
    assert refused.code == 1
    assert line == "error: b.csv rifiutato (3 problemi), non è stato importato nulla"
    assert [p.split(":")[0] for p in problems] == [
        "riga 2, colonna proposal",
        "riga 3, colonna criterion",
        "riga 4, colonna value",
    ]
