"""Through the CLI: a complete college, a conflict told at intake, a namesake
card, a substitute seated on the proposal the conflict left short, and the
approval that waits for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import clock
from tests.support.workspaces import CALL_ID, FIXTURES

WHY = "Proposta solida, con una rete di quartiere ben descritta."
CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
MEMBERS = ("Elena Colombo", "Marco Ferrari", "Sara Esposito")
pytestmark = pytest.mark.slow


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return result.out


def _scores(path: Path, proposals: tuple[str, ...]) -> Path:
    rows = ["proposal,criterion,value,justification"]
    rows += [f'{p},{c},0.8,"{WHY}"' for p in proposals for c in CRITERIA]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _card(cli, tmp_path: Path, home: Path, name: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    ok(cli("init", "--role", "member", "--name", name, home=home))
    card = tmp_path / f"{home.name}.vaglio-card"
    ok(cli("identity", "export", "--out", str(card), home=home))
    key_id = json.loads(ok(cli("identity", "show", "--json", home=home)))["key_id"]
    return str(card), key_id


def test_a_substitute_through_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    share.mkdir()
    office = tmp_path / "segreteria"
    ok(cli("init", "--role", "secretariat", "--name", "Segreteria tecnica", home=office))
    call = tmp_path / "avviso.toml"
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    call.write_text(text.replace("[scoring]\n", '[scoring]\ncollege = "complete"\n', 1), "utf-8")
    ok(cli("call", "create", str(call), home=office))
    ok(cli("proposals", "import", CALL_ID, str(FIXTURES / "proposals.csv"), "--attachments",
           str(FIXTURES / "attachments"), home=office))  # fmt: skip
    homes = {name: tmp_path / f"m{n}" for n, name in enumerate(MEMBERS)}
    cards = [_card(cli, tmp_path, home, name)[0] for name, home in homes.items()]
    ok(cli("call", "enroll", CALL_ID, *cards, home=office))
    substitute = tmp_path / "supplente"
    sub_card, sub_key = _card(cli, tmp_path, substitute, "Luca Bianchi")
    enrolled = ok(cli("call", "enroll", CALL_ID, sub_card, "--substitute", home=office))
    assert "come supplente" in enrolled

    # A second card named Elena Colombo: refused with both fingerprints, unless confirmed.
    namesake, _key = _card(cli, tmp_path, tmp_path / "omonima", "Elena Colombo")
    before = ok(cli("status", CALL_ID, "--json", home=office))
    refused = cli("call", "enroll", CALL_ID, namesake, home=office)
    assert refused.code == 1 and refused.err.count("\n") == 1
    assert "Elena Colombo è già in commissione con l'impronta" in refused.err
    assert "--allow-same-name" in refused.err
    assert ok(cli("status", CALL_ID, "--json", home=office)) == before
    confirmed = cli("call", "enroll", CALL_ID, namesake, "--substitute", "--allow-same-name",
                    home=office)  # fmt: skip
    assert confirmed.code == 0, confirmed.err

    office_card = tmp_path / "office.vaglio-card"
    ok(cli("identity", "export", "--out", str(office_card), home=office))
    ok(cli("remote", "set", CALL_ID, str(share), home=office))
    ok(cli("call", "publish", CALL_ID, home=office))
    admissible = ("P001", "P002", "P003", "P004", "P005")
    for name, home in homes.items():
        ok(cli("trust", str(office_card), home=home))
        ok(cli("remote", "set", CALL_ID, str(share), home=home))
        ok(cli("sync", home=home))
        ok(cli("declare", CALL_ID, "--general", home=home))
        scored = admissible
        for code in (*admissible, "P006"):
            if name == "Elena Colombo" and code == "P004":
                ok(cli("declare", CALL_ID, code, "--conflict", "professional", "--reason",
                       "Consulente del proponente nel 2019.", home=home))  # fmt: skip
                scored = tuple(p for p in admissible if p != "P004")
            else:
                ok(cli("declare", CALL_ID, code, "--no-conflict", home=home))
        ok(cli("score", "import", CALL_ID, str(_scores(tmp_path / "s.csv", scored)), home=home))
        ok(cli("submit", CALL_ID, home=home))
        ok(cli("sync", home=home))

    taken = ok(cli("sync", home=office))
    told = (
        "Elena Colombo dichiara un conflitto su P004: rapporto professionale — Consulente del "
        "proponente nel 2019."
    )
    assert told in taken
    assert told in ok(cli("status", CALL_ID, home=office))
    refused = cli("ranking", CALL_ID, "--approve", home=office)
    assert refused.code == 1
    assert "P004: 2 valutatori su 3: Elena Colombo in conflitto, senza supplente" in refused.err

    seated = ok(cli("substitute", CALL_ID, "P004", "--member", sub_key[:12], home=office))
    assert "Luca Bianchi valuta P004 al posto di Elena Colombo." in seated
    assert "Pacchetto 2" in seated
    assert (share / CALL_ID / "package" / sub_key / "package-000002.vaglio").is_file()
    wrong = cli("substitute", CALL_ID, "P003", "--member", sub_key[:12], home=office)
    assert wrong.code == 1 and "non c'è un posto da coprire" in wrong.err

    ok(cli("trust", str(office_card), home=substitute))
    ok(cli("remote", "set", CALL_ID, str(share), home=substitute))
    ok(cli("sync", home=substitute))
    listed = json.loads(ok(cli("proposals", "list", CALL_ID, "--json", home=substitute)))
    assert [p["id"] for p in listed["proposals"]] == ["P004"]
    ok(cli("declare", CALL_ID, "--general", home=substitute))
    ok(cli("declare", CALL_ID, "P004", "--no-conflict", home=substitute))
    ok(cli("score", "import", CALL_ID, str(_scores(tmp_path / "s.csv", ("P004",))),
           home=substitute))  # fmt: skip
    ok(cli("submit", CALL_ID, home=substitute))
    ok(cli("sync", home=substitute))
    ok(cli("sync", home=office))

    ranking = json.loads(ok(cli("ranking", CALL_ID, "--json", home=office)))
    p004 = next(r for r in ranking["ranking"] if r["proposal"] == "P004")
    assert p004["evaluators"] == 3
    day = clock.today_in_rome().isoformat()
    ok(
        cli(
            "sittings",
            CALL_ID,
            "--add",
            day,
            "--start",
            "10:00",
            "--end",
            "12:00",
            "--place",
            "Sala Alessi",
            "--present",
            *MEMBERS,
            "--secretary",
            "Giulia Marchi",
            home=office,
        )
    )
    ok(cli("ranking", CALL_ID, "--approve", home=office))
