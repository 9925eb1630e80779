"""``vaglio call acts``: the acts of a published call recorded from a call
file whose other sections are the call's own, until the ranking is approved;
and ``vaglio minutes`` refused while an act is missing."""

from __future__ import annotations

from pathlib import Path

from app.models.definition import CallDefinition
from app.services.call_setup import definition_text
from app.services.demo import DEMO_PASSPHRASE
from tests.support.minutes import DEMO_REASON, open_home
from tests.support.workspaces import snapshot_tree

CALL = "MI-CC-2020"


def _definition(home: Path) -> str:
    ws = open_home(home)
    try:
        return definition_text(ws, CALL)
    finally:
        ws.close()


def _without_appointment(text: str) -> str:
    start = text.index("\n[acts.commission_appointment]")
    return text[:start] + text[text.index("\n[commission]") :]


def test_acts_of_a_published_call_until_the_approval(cli, demo_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    original = _definition(home)
    run = lambda *args: cli(*args, home=home, passphrase=DEMO_PASSPHRASE)  # noqa: E731

    # Without the appointment act: recorded, and the minutes are refused.
    path = tmp_path / "call.toml"
    path.write_text(_without_appointment(original), encoding="utf-8")
    result = run("call", "acts", CALL, str(path))
    assert result.code == 0, result.err
    assert "Il verbale richiede ancora: acts.commission_appointment." in result.out
    assert CallDefinition.from_toml(_definition(home)).acts.commission_appointment is None
    # The approval freezes what the minutes print: without the act it is refused.
    before = snapshot_tree(home)
    result = run("ranking", CALL, "--approve", "--reason", DEMO_REASON)
    assert result.code == 1
    assert result.err.startswith("error: ")
    assert "non registra acts.commission_appointment" in result.err
    assert snapshot_tree(home) == before
    path.write_text(original, encoding="utf-8")
    assert run("call", "acts", CALL, str(path)).code == 0
    assert run("ranking", CALL, "--approve", "--reason", DEMO_REASON).code == 0
    out = tmp_path / "verbale.pdf"
    assert run("minutes", CALL, "--out", str(out)).code == 0

    # After the approval the acts are frozen with it.
    path.write_text(_without_appointment(original), encoding="utf-8")
    before = snapshot_tree(home)
    result = run("call", "acts", CALL, str(path))
    assert result.code == 1
    assert "è approvata" in result.err and "Non è stato cambiato nulla." in result.err
    assert snapshot_tree(home) == before


def test_a_file_changing_more_than_the_acts_is_refused(
    cli, demo_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    original = _definition(home)
    path = tmp_path / "call.toml"
    changed = original.replace(
        'secretary = "Dott.ssa Chiara Marelli"', 'secretary = "Dott. Paolo Riva"'
    ).replace('threshold = "60"', 'threshold = "55"')
    path.write_text(changed, encoding="utf-8")
    before = snapshot_tree(home)
    result = cli("call", "acts", CALL, str(path), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1
    assert "solo le sue sezioni [acts] e [commission]" in result.err
    assert snapshot_tree(home) == before

    path.write_text(changed.replace('threshold = "55"', 'threshold = "60"'), encoding="utf-8")
    result = cli("call", "acts", CALL, str(path), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    saved = CallDefinition.from_toml(_definition(home))
    assert saved.acts.secretary == "Dott. Paolo Riva"
    assert saved.grid_hash == CallDefinition.from_toml(original).grid_hash
