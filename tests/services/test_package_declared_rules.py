"""A call package carries the rules a call declares (issue 13) inside its
definition: the member's Vaglio reads them, with the office's grid hash."""

from __future__ import annotations

from pathlib import Path

from app.models.definition import parse_call_definition
from app.services.calls import call_view
from app.services.workspace import unlock
from tests.support.ranking_rules import member_with_call
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE


def test_the_member_reads_the_declared_rules_from_the_package(tmp_path: Path) -> None:
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('rescale = "none"', 'rescale = "criterion_then_total"')
    text = text.replace(
        "[scoring]\n", '[scoring]\nrounding = "sum_of_rounded"\nties = "ex_aequo"\n'
    )
    text = text.replace('"lower_request", "lottery"]', '"submission_order", "lottery"]')
    order = tmp_path / "proposte.csv"
    lines = (FIXTURES / "proposals.csv").read_text(encoding="utf-8").splitlines()
    order.write_text(
        "\n".join(
            [lines[0] + ",protocol,submitted_at"]
            + [f"{line},{n},2020-07-10 12:{n:02d}" for n, line in enumerate(lines[1:], 1)]
        )
        + "\n",
        encoding="utf-8",
    )
    ws = unlock(member_with_call(tmp_path / "people", text, order), PASSPHRASE)
    try:
        grid = call_view(ws, CALL_ID).grid
    finally:
        ws.close()
    office = parse_call_definition(text).grid
    assert (grid.rescale, grid.rounding, grid.ties) == (
        "criterion_then_total",
        "sum_of_rounded",
        "ex_aequo",
    )
    assert grid.tie_break[-2:] == ("submission_order", "lottery")
    assert grid.grid_hash == office.grid_hash
