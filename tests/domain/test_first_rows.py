"""The first rows of a cold start (app/services/first_rows.py): the same rows
as the unlock's own list, read with the keyring's key and the SQLCipher driver
alone; None whenever the ordinary unlock must decide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.models.reasons import (
    REASON_COST_ABOVE_MAXIMUM,
    REASON_REQUEST_ABOVE_RULE,
    REASON_SET_BY_SECRETARIAT,
)
from app.services.first_rows import FirstRows, first_rows
from tests.support.keyring_unlock import keyring_holding

ROOT = Path(__file__).resolve().parents[2]


def _unlocks_own(home: Path, raw_key: bytes) -> FirstRows:
    """What the window lists after the ordinary unlock: the newest call's list."""
    from app.services.calls import list_calls
    from app.services.proposals import list_proposals
    from app.services.unlocking import OpenWorkspace
    from app.store.workspace import load_slots, open_with_key

    with OpenWorkspace(open_with_key(home, load_slots(home), raw_key)) as ws:
        call = list_calls(ws)[0]
        return FirstRows(call.id, call.title, tuple(list_proposals(ws, call.id)))


def _set_inadmissible(
    home: Path, raw_key: bytes, call_id: str, reasons: dict[str, list[dict]]
) -> None:
    from sqlalchemy import select

    from app.models import Proposal
    from app.store.workspace import load_slots, open_with_key

    ws = open_with_key(home, load_slots(home), raw_key)
    try:
        with ws.session() as session:
            for code, given in reasons.items():
                proposal = session.scalars(
                    select(Proposal).where(Proposal.call_id == call_id, Proposal.code == code)
                ).one()
                proposal.admissible = False
                proposal.inadmissible_reasons = given
    finally:
        ws.close()


def test_the_first_rows_are_the_unlocks_own_list(
    demo_copy: Path, demo_built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the demo's secretariat (40 proposals, attachments, three not
    admissible, bundles received), with every kind of reason added."""
    home = demo_copy / "segreteria"
    raw_key = demo_built.raw_keys["segreteria"]
    _set_inadmissible(
        home,
        raw_key,
        _unlocks_own(home, raw_key).call_id,
        {
            "P004": [
                {
                    "code": REASON_COST_ABOVE_MAXIMUM,
                    "params": {"total_cost": "99000.50", "maximum": "90000"},
                },
                {
                    "code": REASON_REQUEST_ABOVE_RULE,
                    "params": {"requested": "50000", "allowed": "45000"},
                },
            ],
            "P005": [{"code": REASON_SET_BY_SECRETARIAT, "params": {"reason": "fuori termine"}}],
        },
    )
    expected = _unlocks_own(home, raw_key)
    with keyring_holding(home, raw_key, tmp_path, monkeypatch):
        found = first_rows(home)
    assert found == expected
    assert len(found.rows) == 40
    assert sum(1 for row in found.rows if not row.admissible) >= 5
    assert any(row.attachments > 1 for row in found.rows)
    by_code = {row.id: row for row in found.rows}
    assert by_code["P004"].inadmissible_reasons[0].startswith("costo totale")
    assert "fuori termine" in by_code["P005"].inadmissible_reasons[0]


def test_a_members_workspace_is_left_to_the_unlock(
    demo_copy: Path, demo_built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A member's desk needs the call's rules for each status: not a first row.
    home = demo_copy / "commissario-1"
    with keyring_holding(home, demo_built.raw_keys["commissario-1"], tmp_path, monkeypatch):
        assert first_rows(home) is None


def test_without_a_usable_keyring_entry_there_are_no_first_rows(
    demo_copy: Path, demo_built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = demo_copy / "segreteria"
    assert first_rows(home) is None  # no keyring slot
    with keyring_holding(home, bytes(32), tmp_path, monkeypatch):
        assert first_rows(home) is None  # a wrong key
    assert first_rows(tmp_path / "nowhere") is None


def test_a_schema_this_version_has_not_reached_is_left_to_the_unlock(
    demo_copy: Path, demo_built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opening migrates (after a backup) or refuses a newer workspace: the unlock's job.
    import app.store.revisions

    home = demo_copy / "segreteria"
    monkeypatch.setattr(app.store.revisions, "HEAD", "0000")
    with keyring_holding(home, demo_built.raw_keys["segreteria"], tmp_path, monkeypatch):
        assert first_rows(home) is None


def test_the_first_rows_import_no_database_layer(
    demo_copy: Path, demo_built, tmp_path: Path
) -> None:
    home = demo_copy / "segreteria"
    code = (
        "import sys, keyring\n"
        "from pathlib import Path\n"
        "from keyrings.alt.file import PlaintextKeyring\n"
        "from app.store.keyslots import KeySlots\n"
        "from app.services.first_rows import first_rows\n"
        "backend = PlaintextKeyring(); backend.file_path = sys.argv[3]\n"
        "keyring.set_keyring(backend)\n"
        "home = Path(sys.argv[1]); slots = KeySlots.load(home / 'keyslots.json')\n"
        "slots.set_keyring(bytes.fromhex(sys.argv[2])); slots.save(home / 'keyslots.json')\n"
        "found = first_rows(home)\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', 'app.models.', 'app.store.database')) and m != 'app.models.reasons')\n"
        "print(json.dumps([len(found.rows), heavy]))\n"
    ).replace("import sys, keyring", "import json, sys, keyring")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(home),
            demo_built.raw_keys["segreteria"].hex(),
            str(tmp_path / "k.cfg"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "VAGLIO_ALLOW_INSECURE_KEYRING": "1", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [40, []]
