"""End to end through the CLI: a secretariat and three members over a shared
folder, from enrollment to receipts, and a correction that supersedes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.workspaces import CALL_ID, FIXTURES

WHY = "Proposta solida, con una rete di quartiere ben descritta."
CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
MEMBERS = ("Elena Colombo", "Marco Ferrari", "Sara Esposito")
pytestmark = pytest.mark.slow


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return result.out


def test_the_whole_exchange_through_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "share"
    share.mkdir()
    office = tmp_path / "segreteria"
    homes = [tmp_path / f"m{n}" for n in range(3)]
    ok(cli("init", "--role", "secretariat", "--name", "Segreteria tecnica", home=office))
    for home, name in zip(homes, MEMBERS, strict=True):
        ok(cli("init", "--role", "member", "--name", name, home=home))
    ok(cli("call", "create", str(FIXTURES / "call.toml"), home=office))
    ok(cli("proposals", "import", CALL_ID, str(FIXTURES / "proposals.csv"), "--attachments",
           str(FIXTURES / "attachments"), home=office))  # fmt: skip

    # Cards both ways; fingerprints printed for comparing aloud.
    cards = []
    for n, home in enumerate(homes):
        card = tmp_path / f"card{n}.vaglio-card"
        out = ok(cli("identity", "export", "--out", str(card), home=home))
        assert "Impronta:" in out
        cards.append(str(card))
    enrolled = ok(cli("call", "enroll", CALL_ID, *cards, home=office))
    assert all(name in enrolled for name in MEMBERS)
    office_card = tmp_path / "office.vaglio-card"
    ok(cli("identity", "export", "--out", str(office_card), home=office))
    for home in homes:
        assert "Segreteria tecnica" in ok(cli("trust", str(office_card), home=home))

    # Publication over the shared folder.
    ok(cli("remote", "set", CALL_ID, str(share), home=office))
    published = ok(cli("call", "publish", CALL_ID, home=office))
    assert "3" in published
    assert (share / CALL_ID / "package" / "package-000001.vaglio").is_file()

    scores = tmp_path / "scores.csv"
    rows = ["proposal,criterion,value,justification"]
    rows += [
        f'{p},{c},0.8,"{WHY}"' for p in ("P001", "P002", "P003", "P004", "P005") for c in CRITERIA
    ]
    scores.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for home in homes:
        ok(cli("remote", "set", CALL_ID, str(share), home=home))
        pulled = ok(cli("sync", home=home))
        assert "Installato il pacchetto dell'avviso 1 per MI-CC-2020" in pulled
        listed = json.loads(ok(cli("proposals", "list", CALL_ID, "--json", home=home)))
        assert len(listed["proposals"]) == 6
        refused = cli("submit", CALL_ID, home=home)
        assert refused.code == 1 and "dichiarazione generale" in refused.err
        ok(cli("declare", CALL_ID, "--general", home=home))
        for code in ("P001", "P002", "P003", "P004", "P005", "P006"):
            ok(cli("declare", CALL_ID, code, "--no-conflict", home=home))
        ok(cli("score", "import", CALL_ID, str(scores), home=home))
        submitted = ok(cli("submit", CALL_ID, home=home))
        assert "Inviato alla segreteria" in submitted

    # The office takes them in and answers with receipts.
    taken = ok(cli("sync", home=office))
    assert taken.count("ricevuta emessa") == 3
    status = json.loads(ok(cli("status", CALL_ID, "--json", home=office)))
    assert [m["bundle_sequence"] for m in status["members"]] == [1, 1, 1]
    assert all(m["receipt_sent"] for m in status["members"])
    assert set(status["members"][0]["cells"].values()) == {"complete", "inadmissible"}

    for home in homes:
        assert "La segreteria ha ricevuto il pacchetto 1" in ok(cli("sync", home=home))
        member_status = ok(cli("status", CALL_ID, home=home))
        assert "ricevuto dalla segreteria il" in member_status

    # Nothing new the second time; re-importing a bundle changes nothing.
    again = ok(cli("sync", home=office))
    assert "0 file inviati, 0 ricevuti" in again
    bundle = next((share / CALL_ID / "inbox").rglob("000001-*.vaglio"))
    duplicate = ok(cli("bundles", "import", str(bundle), home=office))
    assert "era già stato accettato: nulla è cambiato" in duplicate

    # A correction is bundle 2, which supersedes bundle 1.
    ok(cli("score", CALL_ID, "P001", "--set", "impact=1", "--why", f"impact={WHY} Rivista.",
           home=homes[0]))  # fmt: skip
    assert "Pacchetto di punteggi 2" in ok(cli("submit", CALL_ID, home=homes[0]))
    ok(cli("sync", home=office))
    status = json.loads(ok(cli("status", CALL_ID, "--json", home=office)))
    assert [m["bundle_sequence"] for m in status["members"]] == [2, 1, 1]
