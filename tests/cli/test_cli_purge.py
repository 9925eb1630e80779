"""``vaglio call purge`` from the command line: the close notice arrives with
``vaglio sync``, the purge needs ``--yes`` without a terminal, and each
refusal is one ``error:`` line that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.demo import DEMO_PASSPHRASE
from tests.support import closed_call
from tests.support.closed_call import ClosedCall
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import CALL_ID, snapshot_tree


@pytest.fixture(scope="module")
def closed_template(tmp_path_factory: pytest.TempPathFactory) -> ClosedCall:
    return closed_call.build(tmp_path_factory.mktemp("closed") / "scenario")


@pytest.fixture
def scenario(closed_template: ClosedCall, tmp_path: Path) -> ClosedCall:
    return closed_call.copy(closed_template, tmp_path / "scenario")


def refused(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 1, result.out
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err


def test_sync_then_purge(cli, scenario: ClosedCall) -> None:  # type: ignore[no-untyped-def]
    home = scenario.member
    synced = cli("sync", home=home)
    assert synced.code == 0, synced.err
    assert "La segreteria ha chiuso l'avviso MI-CC-2020" in synced.out
    assert "vaglio call purge MI-CC-2020" in synced.out

    before = snapshot_tree(home)
    refused(cli("call", "purge", CALL_ID, home=home), "--yes", "Non è stato rimosso nulla")
    assert snapshot_tree(home) == before

    done = cli("call", "purge", CALL_ID, "--yes", home=home)
    assert done.code == 0, done.err
    assert "Rimosso da questo computer il materiale dell'avviso MI-CC-2020" in done.out
    assert "2 proposte, 1 allegato (PDF)" in done.out
    assert "Restano come prova: 1 pacchetto di punteggi da te firmato e 1 ricevuta" in done.out
    listed = cli("proposals", "list", CALL_ID, "--json", home=home)
    assert json.loads(listed.out)["proposals"] == []
    status = cli("status", CALL_ID, home=home)
    assert status.code == 0 and "ricevuto dalla segreteria il" in status.out
    refused(cli("submit", CALL_ID, home=home), "chiusa")
    checked = cli("check", home=home)
    assert checked.code == 0, checked.out


def test_the_secretariat_is_refused(cli, scenario: ClosedCall) -> None:  # type: ignore[no-untyped-def]
    before = snapshot_tree(scenario.office)
    refused(cli("call", "purge", CALL_ID, "--yes", home=scenario.office), "segreteria conserva")
    assert snapshot_tree(scenario.office) == before


def test_before_the_close_notice_nothing_is_removed(cli, scenario: ClosedCall) -> None:  # type: ignore[no-untyped-def]
    home = scenario.member
    before = snapshot_tree(home)
    refused(
        cli("call", "purge", CALL_ID, "--yes", home=home),
        "non ha comunicato la chiusura dell'avviso MI-CC-2020",
    )
    refused(cli("call", "purge", "MI-CC-1999", "--yes", home=home), "MI-CC-1999")
    assert snapshot_tree(home) == before


def test_the_command_says_how_to_confirm(cli) -> None:  # type: ignore[no-untyped-def]
    usage = cli("call", "purge", "--help")
    assert usage.code == 0 and "--yes" in usage.out


def test_the_demo_office_approves_and_its_members_learn_it(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    office, member = demo_copy / "segreteria", demo_copy / "commissario-1"
    approved = cli("ranking", CALL_ID, "--approve", "--reason", DEMO_REASON, home=office,
                   passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert approved.code == 0, approved.err
    assert "dalla comunicazione che la prossima sincronizzazione invia" in approved.out
    assert cli("sync", home=office, passphrase=DEMO_PASSPHRASE).code == 0
    synced = cli("sync", home=member, passphrase=DEMO_PASSPHRASE)
    assert "La segreteria ha chiuso l'avviso MI-CC-2020" in synced.out, synced.out
    done = cli("call", "purge", CALL_ID, "--yes", home=member, passphrase=DEMO_PASSPHRASE)
    assert done.code == 0 and "40 proposte" in done.out, done.out + done.err
