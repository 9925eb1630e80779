"""``vaglio declare CALL_ID --from FILE`` and the declaration columns of
``vaglio score import``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import refusal
from tests.support.workspaces import CALL_ID, snapshot_tree

WHY = "Proposta solida, con una rete di quartiere ben descritta."
REASON = "Ho lavorato per il proponente nel 2019."


def _error(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.err
    return lines[0]


def _stable(home: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot_tree(home).items() if "backup" not in k}


def test_declare_from_a_file(cli, member_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("declare", CALL_ID, "--general", home=member_home).code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "proposal;conflict;category;reason\nP001;no;;\nP002;forse;;\nP003;sì;amicizia;breve\n",
        encoding="utf-8-sig",
    )
    before = _stable(member_home)
    refused = cli("declare", CALL_ID, "--from", str(bad), home=member_home)
    line, problems = refusal(refused.err)
    assert refused.code == 1
    assert line == "error: bad.csv rifiutato (3 problemi), non è stato importato nulla"
    assert [p.split(":")[0] for p in problems] == [
        "riga 3, colonna conflict",
        "riga 4, colonna category",
        "riga 4, colonna reason",
    ]
    assert _stable(member_home) == before

    good = tmp_path / "d.csv"
    good.write_text(
        "proposal,conflict,category,reason\n"
        f'P001,no,,\nP002,sì,professional,"{REASON}"\nP003,no,,\nP004,no,,\nP005,no,,\n',
        encoding="utf-8",
    )
    result = cli("declare", CALL_ID, "--from", str(good), home=member_home)
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "5 dichiarazioni lette per MI-CC-2020 (1 con conflitto); 5 nuove o cambiate."
    )
    refused = cli("score", CALL_ID, "P002", "--set", "impact=0.6", "--why", f"impact={WHY}",
                  home=member_home)  # fmt: skip
    assert "Hai dichiarato un conflitto" in _error(refused)


def test_score_import_with_declarations(cli, member_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("declare", CALL_ID, "--general", home=member_home)
    path = tmp_path / "s.csv"
    path.write_text(
        "proposal,criterion,value,justification,conflict,category,reason\n"
        f'P001,impact,0.8,"{WHY}",no,,\nP002,,,,sì,economic,"{REASON}"\n',
        encoding="utf-8",
    )
    result = cli("score", "import", CALL_ID, str(path), home=member_home)
    assert result.code == 0, result.err
    assert "Importati 1 punteggi per 1 proposte" in result.out
    assert "2 dichiarazioni registrate dallo stesso file." in result.out


@pytest.mark.parametrize(
    "args",
    [
        ("declare", CALL_ID, "P001", "--from", "d.csv"),
        ("declare", CALL_ID, "--from", "d.csv", "--reason", "x"),
        ("declare", CALL_ID, "--general", "--from", "d.csv"),
    ],
)
def test_declare_from_usage_errors(cli, member_home: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert cli(*args, home=member_home).code == 2


def test_the_worked_example_of_the_docs(cli, member_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/declarations.md, "Esempio": the file as printed there, then corrected."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "declarations.md"
    example = docs.read_text(encoding="utf-8").split("```csv\n")[1].split("```")[0]
    assert example.startswith("proposal;conflict;category;reason\nP001;no;;\n")
    cli("declare", CALL_ID, "--general", home=member_home)
    path = tmp_path / "dichiarazioni.csv"
    path.write_text(example, encoding="utf-8")
    refused = cli("declare", CALL_ID, "--from", str(path), home=member_home)
    printed = docs.read_text(encoding="utf-8").split("```\nerror: ")[1].split("```")[0]
    assert refused.code == 1 and refused.err == "error: " + printed
    assert refusal(refused.err) == (
        "error: dichiarazioni.csv rifiutato (2 problemi), non è stato importato nulla",
        [
            "riga 5, colonna conflict: scrivere sì (o yes) oppure no, non forse",
            "riga 6, colonna reason: dire perché c'è un conflitto, in almeno 10 caratteri "
            "(7 scritti)",
        ],
    )
    fixed = example.replace("P004;forse;;", "P004;no;;").replace(
        "kinship;Sorella", "kinship;Mia sorella è la legale rappresentante."
    )
    path.write_text(fixed, encoding="utf-8")
    result = cli("declare", CALL_ID, "--from", str(path), home=member_home)
    assert result.out.strip() == (
        "5 dichiarazioni lette per MI-CC-2020 (2 con conflitto); 5 nuove o cambiate."
    )
