"""The command line contract: exit codes, error lines, JSON shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import refusal, run_vaglio
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE, snapshot_tree


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


def test_init_prints_fingerprint_and_recovery_code_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "ws"
    result = cli("init", "--role", "member", "--name", "Sara Esposito", home=home)
    assert result.code == 0, result.err
    assert re.search(r"Impronta: ([0-9A-F]{4} ){9}[0-9A-F]{4}", result.out)
    codes = re.findall(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}", result.out)
    assert len(codes) == 1
    # The recovery code unlocks, and is never printed again.
    shown = cli("identity", "show", home=home, passphrase=codes[0])
    assert shown.code == 0 and "Sara Esposito" in shown.out
    assert codes[0] not in shown.out


def test_init_refuses_an_existing_workspace(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot_tree(secretariat_home)
    result = cli("init", "--role", "member", "--name", "X", home=secretariat_home)
    assert result.code == 1
    assert "esiste già" in _one_error_line(result.err)
    assert snapshot_tree(secretariat_home) == before


def test_identity_show_json(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("identity", "show", "--json", home=secretariat_home)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["role"] == "secretariat"
    assert re.fullmatch(r"[0-9a-f]{64}", document["key_id"])
    assert document["fingerprint"].replace(" ", "").lower() == document["key_id"][:40]


def test_global_options_work_before_and_after_the_command(
    cli, secretariat_home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\n")
    before = cli(
        "--home",
        str(secretariat_home),
        "--passphrase-file",
        str(secret),
        "identity",
        "show",
        passphrase=None,
    )
    after = cli(
        "identity",
        "show",
        "--home",
        str(secretariat_home),
        "--passphrase-file",
        str(secret),
        passphrase=None,
    )
    assert before.code == after.code == 0
    assert before.out == after.out


def test_call_create_and_its_refusal(cli, empty_secretariat_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.workspaces import copy_template

    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (FIXTURES / "call.toml").read_text().replace('method = "coefficients"', 'method = "x"')
    )
    result = cli("call", "create", str(bad), home=home)
    assert result.code == 1
    line, problems = refusal(result.err)
    assert line == "error: bad.toml: la definizione dell'avviso ha 1 problema, nessun avviso creato"
    assert problems == ["scoring.method: deve essere uno tra coefficients, points, collegial"]
    ok = cli("call", "create", str(FIXTURES / "call.toml"), home=home)
    assert ok.code == 0, ok.err
    assert "MI-CC-2020" in ok.out


def test_an_italian_thousands_amount_in_a_call_file_is_never_read_as_units(
    cli, empty_secretariat_template, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # Review finding: fund = "550.000" and cap = "60.000" were taken as € 550 and € 60.
    from tests.support.workspaces import copy_template

    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('fund = "550000.00"', 'fund = "550.000"')
    text = text.replace('cap = "60000.00"', 'cap = "60.000"')
    bad = tmp_path / "migliaia.toml"
    bad.write_text(text, encoding="utf-8")
    result = cli("call", "create", str(bad), home=home)
    assert result.code == 1 and result.out == ""
    _line, problems = refusal(result.err)
    assert sorted(p.split("?")[0] for p in problems) == [
        "matchfunding.cap: «60.000» è ambiguo: 60000 oppure 60",
        "matchfunding.fund: «550.000» è ambiguo: 550000 oppure 550",
    ]
    assert cli("proposals", "list", "MI-CC-2020", home=home).code == 1  # no call created
    # Written the Italian way with its cents, it is five hundred and fifty thousand.
    bad.write_text(text.replace('"550.000"', '"550.000,00"').replace('"60.000"', '"60.000,00"'))
    assert cli("call", "create", str(bad), home=home).code == 0


def test_proposals_import_and_list_json(cli, draft_call_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.workspaces import copy_template

    home = copy_template(draft_call_template, tmp_path / "ws")
    result = cli(
        "proposals",
        "import",
        CALL_ID,
        str(FIXTURES / "proposals.csv"),
        "--attachments",
        str(FIXTURES / "attachments"),
        home=home,
    )
    assert result.code == 0, result.err
    listed = cli("proposals", "list", CALL_ID, "--json", home=home)
    document = json.loads(listed.out)
    assert document["call"] == CALL_ID
    assert len(document["proposals"]) == 6
    first = document["proposals"][0]
    assert set(first) == {
        "id",
        "title",
        "applicant",
        "neighbourhood",
        "total_cost",
        "requested_contribution",
        "admissible",
        "inadmissible_reasons",
    }
    assert first["total_cost"] == "48000.00" and first["admissible"] is True
    p006 = next(p for p in document["proposals"] if p["id"] == "P006")
    assert p006["admissible"] is False and p006["inadmissible_reasons"]
    table = cli("proposals", "list", CALL_ID, home=home)
    assert "48.000,00 €" in table.out and "P006" in table.out


def test_a_refused_import_lists_one_problem_per_line_and_writes_nothing(
    cli, draft_call_template, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.workspaces import copy_template

    home = copy_template(draft_call_template, tmp_path / "ws")
    bad = tmp_path / "p.csv"
    bad.write_text((FIXTURES / "proposals.csv").read_text().replace("Corvetto", "Brera"))
    result = cli(
        "proposals",
        "import",
        CALL_ID,
        str(bad),
        "--attachments",
        str(FIXTURES / "attachments"),
        home=home,
    )
    assert result.code == 1
    line, problems = refusal(result.err)
    assert line.startswith("error: p.csv rifiutato (") and "non è stato importato nulla" in line
    assert len(problems) >= 1 and all(p.startswith("riga ") for p in problems), problems
    assert problems[0].startswith("riga 2, colonna neighbourhood: ")
    listed = cli("proposals", "list", CALL_ID, "--json", home=home)
    assert json.loads(listed.out)["proposals"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("init", "--name", "X"),
        ("init", "--role", "mayor", "--name", "X"),
        ("proposals", "list"),
        ("proposals",),
    ],
)
def test_bad_usage_exits_2(cli, tmp_path: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args, home=tmp_path / "ws")
    assert result.code == 2
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    ("passphrase", "words"),
    [
        ("passphrase sbagliata", "Passphrase errata"),
        ("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "Codice di recupero errato"),
    ],
)
def test_wrong_secret_exits_1(cli, secretariat_home: Path, passphrase: str, words: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("proposals", "list", CALL_ID, home=secretariat_home, passphrase=passphrase)
    assert result.code == 1
    assert words in _one_error_line(result.err)


def test_unknown_call_and_missing_workspace(cli, secretariat_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    unknown = cli("proposals", "list", "NOPE", home=secretariat_home)
    assert unknown.code == 1 and "NOPE" in _one_error_line(unknown.err)
    missing = cli("identity", "show", home=tmp_path / "none")
    assert missing.code == 1 and "vaglio init" in _one_error_line(missing.err)
    assert not (tmp_path / "none").exists()


def test_without_a_terminal_nothing_waits_for_input(tmp_path: Path, secretariat_home: Path) -> None:
    # No passphrase, no keyring slot, stdin not a terminal: an error, at once.
    shown = run_vaglio("identity", "show", env={"VAGLIO_HOME": str(secretariat_home)}, timeout=60)
    assert shown.returncode == 1
    assert "--passphrase-file" in _one_error_line(shown.stderr)
    init = run_vaglio(
        "init",
        "--role",
        "member",
        "--name",
        "X",
        env={"VAGLIO_HOME": str(tmp_path / "new")},
        timeout=60,
    )
    assert init.returncode == 1
    assert "VAGLIO_PASSPHRASE" in _one_error_line(init.stderr)
    assert not (tmp_path / "new").exists()


def test_version() -> None:
    from app import __version__

    result = run_vaglio("--version")
    # From a checkout; an installer build names its commit and date (tests/test_packaging.py).
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"vaglio {__version__} (development)\n"
