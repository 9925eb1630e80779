"""Autosave survives a crash: a process saving score sheets is killed with
SIGKILL at random moments, over and over, and nothing acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.models import CriterionRow, Proposal, Score
from app.services import declarations
from app.store.workspace import load_slots, open_with_key
from tests.support.autosave_child import CRITERIA, PROPOSALS, marker, sheet
from tests.support.workspaces import CALL_ID, ROOT, Template, copy_template, opened

KILLS = 50
pytestmark = pytest.mark.slow


def _stored(home: Path, raw_key: bytes) -> dict[str, dict[str, tuple[str | None, str]]]:
    ws = open_with_key(home, load_slots(home), raw_key)
    try:
        with ws.session() as session:
            rows = session.execute(
                select(Proposal.code, CriterionRow.key, Score.value, Score.justification)
                .join(Proposal, Score.proposal_id == Proposal.id)
                .join(CriterionRow, Score.criterion_id == CriterionRow.id)
            ).all()
    finally:
        ws.close()
    result: dict[str, dict[str, tuple[str | None, str]]] = {}
    for code, key, value, justification in rows:
        result.setdefault(code, {})[key] = (None if value is None else f"{value:f}", justification)
    return result


def test_sigkill_during_autosave_loses_nothing_acknowledged(
    member_template: Template, tmp_path: Path
) -> None:
    home = copy_template(member_template, tmp_path / "member")
    with opened(member_template, home) as ws:
        declarations.declare_general(ws, CALL_ID)
        for code in PROPOSALS:
            declarations.declare_proposal(ws, CALL_ID, code, conflict=False)
    rng = random.Random(20201124)
    acked: dict[str, int] = {}
    next_n = 0
    total_acks = 0
    for _round in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.autosave_child"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(f"{home} {member_template.raw_key.hex()} {next_n}\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready", (
            child.stderr.read() if child.stderr else ""
        )
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        for line in out.splitlines():
            if line.startswith("ack "):
                n = int(line.split()[1])
                acked[sheet(n)[0]] = n
                next_n = max(next_n, n + 1)
                total_acks += 1
        # A save in flight when the process died may or may not have committed.
        next_n += 1

        stored = _stored(home, member_template.raw_key)
        for proposal, n in acked.items():
            criteria = stored[proposal]
            assert set(criteria) == set(CRITERIA)
            texts = {justification for _value, justification in criteria.values()}
            values = {value for value, _justification in criteria.values()}
            # Never half a sheet: every criterion from the same save.
            assert len(texts) == 1 and len(values) == 1, criteria
            saved_n = int(texts.pop().split()[2].rstrip(","))
            assert saved_n >= n, f"acknowledged save {n} of {proposal} lost (found {saved_n})"
            assert criteria["impact"][1] == marker(saved_n)
    assert total_acks > KILLS  # the kills really landed between many commits

    ws = open_with_key(home, load_slots(home), member_template.raw_key)
    try:
        with ws.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA cipher_integrity_check")).all() == []
    finally:
        ws.close()
    print(f"{KILLS} kills, {total_acks} acknowledged saves, none lost")
