"""``vaglio stats``: the secretariat's statistics per member."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.demo import DEMO_PASSPHRASE

CALL = "MI-CC-2020"


def test_stats_json_and_table(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    result = cli("stats", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert set(document) == {"call", "bundles", "scale", "members"}
    assert document["call"] == CALL and document["bundles"] == 3
    names = [m["member"] for m in document["members"]]
    assert names == ["Elena Colombo", "Marco Ferrari", "Sara Esposito"]
    for member in document["members"]:
        assert set(member) == {"member", "substitute", "proposals", "values", "mean", "spread",
                               "at_lowest", "at_highest", "pairs", "correlation"}  # fmt: skip
        assert isinstance(member["mean"], str) and 0 <= float(member["mean"]) <= 1
        assert member["values"] == 5 * member["proposals"]
    # Elena Colombo declared a conflict on P014: one proposal fewer than the others.
    elena, marco, _sara = document["members"]
    assert elena["proposals"] == marco["proposals"] - 1

    result = cli("stats", CALL, home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    assert "Concordanza con gli altri" in result.out
    assert "non sono mai applicate" in result.out
    assert "Elena Colombo" in result.out


def test_a_member_cannot_ask(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("stats", CALL, home=demo_copy / "commissario-1", passphrase=DEMO_PASSPHRASE)
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: ") and "segreteria" in result.err
