"""Migration 0009 on the populated 0008 fixture: every proposal keeps its
row and gains an empty order of submission, which can then be recorded."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.models import Proposal
from app.services.workspace import unlock
from app.store import database
from app.store.workspace import load_slots
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import TESTS

V0008 = TESTS / "fixtures" / "workspaces" / "v0008"


def test_old_proposals_keep_their_rows_and_have_no_submission_order(tmp_path: Path) -> None:
    home = tmp_path / "v0008"
    shutil.copytree(V0008, home)
    home.chmod(0o700)
    raw_key = load_slots(home).key_from_passphrase(FIXTURE_PASSPHRASE)
    connection = database.connect(home / "vaglio.db", raw_key)
    before = connection.execute(
        "SELECT id, code, title, total_cost, requested_contribution FROM proposals ORDER BY id"
    ).fetchall()
    connection.close()
    assert len(before) == 2

    ws = unlock(home, FIXTURE_PASSPHRASE)
    try:
        assert ws.migration is not None and ws.migration.from_revision == "0008"
        with ws.session() as session:
            proposals = session.scalars(select(Proposal).order_by(Proposal.id)).all()
            assert [
                (p.id, p.code, p.title, str(p.total_cost), str(p.requested_contribution))
                for p in proposals
            ] == [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in before]
            assert [(p.protocol, p.submitted_at) for p in proposals] == [(None, None)] * 2
            proposals[0].protocol = 1234
            proposals[0].submitted_at = dt.datetime(2019, 5, 2, 8, 15, tzinfo=dt.UTC)
        with ws.session() as session:
            first = session.scalars(select(Proposal).order_by(Proposal.id)).first()
            assert first is not None
            assert (first.protocol, first.submitted_at) == (
                1234,
                dt.datetime(2019, 5, 2, 8, 15, tzinfo=dt.UTC),
            )
    finally:
        ws.close()
