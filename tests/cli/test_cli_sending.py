"""``vaglio status`` for a member states the sending state too (issue 15,
item 4): one more line, and one more ``--json`` key; the others unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.workspaces import CALL_ID


def test_the_member_status_states_the_sending_state(cli, member_home: Path) -> None:  # type: ignore[no-untyped-def]
    text = cli("status", CALL_ID, home=member_home)
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert lines[0] == "Valutate 0 su 5; pronto per l'invio: no"
    assert "Mai inviato" in lines
    assert "  Manca la dichiarazione generale di assenza di incompatibilità." in lines

    document = json.loads(cli("status", CALL_ID, "--json", home=member_home).out)
    assert set(document) == {"call_id", "role", "proposals", "members", "bundles", "complete",
                             "scorable", "ready_to_submit", "conflicts", "sending", "scored_by", "totals",
                             "deadline", "today"}  # fmt: skip
    assert document["sending"] == {
        "state": "never",
        "sequence": None,
        "created_at": None,
        "receipt_at": None,
        "unsent_changes": False,
        "ready": False,
        "missing": [
            "Manca la dichiarazione generale di assenza di incompatibilità.",
            "5 proposte attendono ancora la dichiarazione.",
        ],
    }


def test_the_secretariat_status_has_no_sending_key(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(cli("status", CALL_ID, "--json", home=secretariat_home).out)
    assert "sending" not in document
