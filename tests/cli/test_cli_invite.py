"""``vaglio invite``: the secretariat's signed invitation to a call."""

from __future__ import annotations

from pathlib import Path

from app.services.invitations import read_invitation_file
from tests.support.workspaces import CALL_ID


def test_invite_writes_a_signed_invitation_for_the_call(
    cli, secretariat_home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "invito.vaglio-invito"
    refused = cli("invite", CALL_ID, "--out", str(out), home=secretariat_home)
    assert (
        refused.code == 1
        and refused.err.startswith("error: ")
        and "vaglio remote set" in refused.err
    )
    assert not out.exists()

    (tmp_path / "scambio").mkdir()
    assert cli("remote", "set", CALL_ID, str(tmp_path / "scambio"), home=secretariat_home).code == 0
    result = cli("invite", CALL_ID, "--out", str(out), home=secretariat_home)
    assert result.code == 0, result.err
    view = read_invitation_file(out)
    assert view.call_id == CALL_ID and view.member_key_id is None
    assert view.exchange == str((tmp_path / "scambio").resolve())
    assert f"Impronta della segreteria: {view.office_fingerprint}" in result.out


def test_invite_for_someone_not_on_the_roster_is_refused(
    cli, secretariat_home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "scambio").mkdir()
    cli("remote", "set", CALL_ID, str(tmp_path / "scambio"), home=secretariat_home)
    out = tmp_path / "invito.vaglio-invito"
    result = cli(
        "invite", CALL_ID, "--out", str(out), "--member", "ABCD 1234 5678", home=secretariat_home
    )
    assert result.code == 1
    assert (
        result.err.strip()
        == f"error: Nessun membro della commissione di {CALL_ID} ha la chiave ABCD 1234 5678."
    )
    assert not out.exists()
