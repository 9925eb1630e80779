"""A call package carried by hand: the member takes in the package file, then
the folder copied from the office's outbox, and the package installs once its
parts are all there (``vaglio bundles import`` takes files and folders)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.services.exchange_errors import IntakeStoppedError
from app.services.hand_import import take_in
from app.services.steps import Cancel
from app.services.workspace import unlock
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return str(result.out)


def stop_at(home: Path, folder: str, said: str) -> IntakeStoppedError:
    """Take in ``folder`` and stop when the progress says ``said``."""
    cancel = Cancel()

    def progress(text: str) -> None:
        if text == said:
            cancel.set()

    with unlock(home, PASSPHRASE) as ws, pytest.raises(IntakeStoppedError) as stopped:
        take_in(ws, [folder], progress=progress, cancel=cancel)
    return stopped.value


def test_a_member_installs_the_package_and_its_parts_from_a_usb_stick(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office, member, other = tmp_path / "segreteria", tmp_path / "sara", tmp_path / "marco"
    ok(cli("init", "--role", "secretariat", "--name", "Segreteria tecnica", home=office))
    ok(cli("init", "--role", "member", "--name", "Sara Esposito", home=member))
    ok(cli("init", "--role", "member", "--name", "Marco Ferrari", home=other))
    ok(cli("call", "create", str(FIXTURES / "call.toml"), home=office))
    ok(cli("proposals", "import", CALL_ID, str(FIXTURES / "proposals.csv"), "--attachments",
           str(FIXTURES / "attachments"), home=office))  # fmt: skip
    cards = []
    for home in (member, other):
        card = tmp_path / f"{home.name}.vaglio-card"
        ok(cli("identity", "export", "--out", str(card), home=home))
        cards.append(str(card))
    ok(cli("call", "enroll", CALL_ID, *cards, home=office))
    office_card = tmp_path / "office.vaglio-card"
    ok(cli("identity", "export", "--out", str(office_card), home=office))
    ok(cli("trust", str(office_card), home=member))

    published = ok(cli("call", "publish", CALL_ID, home=office))
    folder = office / "outbox" / CALL_ID / "package"
    assert f"il pacchetto e i suoi allegati sono in {folder}" in published
    stick = tmp_path / "usb" / "package"
    shutil.copytree(folder, stick)
    (stick / ".DS_Store").write_bytes(b"not ours")  # a hidden file on the stick is passed over

    # The package alone waits for its attachments: said, not refused.
    alone = ok(cli("bundles", "import", str(stick / "package-000001.vaglio"), home=member))
    assert "in attesa di 5 allegati su 5" in alone
    nothing = cli("proposals", "list", CALL_ID, home=member)
    assert nothing.code == 1 and "non c'è l'avviso" in nothing.err  # nothing installed yet

    # Stopped at the third file of the folder: those taken in stay, nothing installs yet.
    stopped = stop_at(member, str(stick), "File 3 di 6…")
    assert str(stopped) == (
        "Import dei file interrotto: 3 file acquisiti, gli altri non sono stati toccati."
    )
    assert cli("proposals", "list", CALL_ID, home=member).code == 1

    # The folder: the parts are kept, then the package installs.
    taken = ok(cli("bundles", "import", str(stick), home=member))
    assert "5 allegati conservati." in taken
    assert "Installato il pacchetto dell'avviso 1 per MI-CC-2020" in taken
    listed = json.loads(ok(cli("proposals", "list", CALL_ID, "--json", home=member)))
    assert len(listed["proposals"]) == 6
    assert not (member / "incoming" / CALL_ID).exists()
    again = ok(cli("bundles", "import", str(stick), home=member))
    assert "già installato" in again
