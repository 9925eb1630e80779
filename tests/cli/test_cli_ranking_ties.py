"""``vaglio ranking --json`` while a tie waits for the lottery: the tied rows
share a provisional rank and say ``"pending": true``; after the number they
have distinct ranks and no ``pending``."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.proposal_import import import_proposals
from app.services.unlocking import OpenWorkspace
from tests.support.commission import FIXTURES, deliver
from tests.support.ranking_rules import TIED, make_call


def test_pending_rows_in_the_json(cli, secretariat: OpenWorkspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    call_id = make_call(secretariat, "MI-CC-CLI")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    home = tmp_path / "ws"

    result = cli("ranking", call_id, "--json", home=home)
    assert result.code == 0, result.err
    ranking = json.loads(result.out)["ranking"]
    assert [(r["rank"], r["proposal"], r.get("pending")) for r in ranking] == [
        (1, "P002", None),
        (2, "P001", True),
        (2, "P003", True),
    ]
    assert set(ranking[1]) == {
        "rank", "proposal", "total", "criteria", "evaluators", "flags", "pending",
    }  # fmt: skip

    result = cli("ranking", call_id, "--lottery-number", "12-45-78", "--json", home=home)
    assert result.code == 0, result.err
    ranking = json.loads(result.out)["ranking"]
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    assert all("pending" not in r for r in ranking)


def test_a_missing_submission_order_is_an_error_line(  # type: ignore[no-untyped-def]
    cli, secretariat: OpenWorkspace, tmp_path: Path
) -> None:
    from app.models import Call

    call_id = make_call(secretariat, "MI-CC-CLI-ORDINE")
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    with secretariat.session() as session:  # the step added to the draft afterwards
        call = session.get(Call, call_id)
        assert call is not None
        call.definition = call.definition.replace(
            'tie_break = ["lottery"]', 'tie_break = ["submission_order", "lottery"]'
        )
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    result = cli("ranking", call_id, "--json", home=tmp_path / "ws")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: ") and "P001, P002, P003" in result.err
    assert "Traceback" not in result.err
