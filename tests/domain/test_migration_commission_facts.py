"""Migration 0008 on the populated 0007 fixture: gaps become ranges, every
declaration becomes the first entry of its conflict history, which no one can
rewrite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import select, update

from app.models import ConflictDeclaration, ConflictHistoryEntry, ScoreBundleRecord, Substitution
from app.services.workspace import unlock
from app.store import database
from app.store.workspace import load_slots
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import TESTS

V0007 = TESTS / "fixtures" / "workspaces" / "v0007"


def _home(tmp_path: Path, missing_before: str) -> Path:
    home = tmp_path / "v0007"
    shutil.copytree(V0007, home)
    home.chmod(0o700)
    raw_key = load_slots(home).key_from_passphrase(FIXTURE_PASSPHRASE)
    connection = database.connect(home / "vaglio.db", raw_key)
    connection.execute("UPDATE score_bundles SET missing_before = ?", (missing_before,))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return home


@pytest.mark.parametrize(
    ("missing_before", "expected"), [("[2, 3, 4]", (2, 4)), ("[7]", (7, 7)), ("[]", (None, None))]
)
def test_a_gap_becomes_a_range(tmp_path: Path, missing_before: str, expected) -> None:  # type: ignore[no-untyped-def]
    ws = unlock(_home(tmp_path, missing_before), FIXTURE_PASSPHRASE)
    try:
        with ws.session() as session:
            record = session.scalars(select(ScoreBundleRecord)).one()
            assert (record.missing_from, record.missing_to) == expected
    finally:
        ws.close()


def test_every_declaration_starts_its_history_and_the_history_is_append_only(
    tmp_path: Path,
) -> None:
    ws = unlock(_home(tmp_path, "[]"), FIXTURE_PASSPHRASE)
    try:
        with ws.session() as session:
            declarations = session.scalars(
                select(ConflictDeclaration).order_by(ConflictDeclaration.id)
            ).all()
            history = session.scalars(
                select(ConflictHistoryEntry).order_by(ConflictHistoryEntry.id)
            ).all()
            assert len(declarations) >= 2
            assert [
                (h.member_id, h.proposal_id, h.has_conflict, h.category, h.reason, h.declared_at)
                for h in history
            ] == [
                (d.member_id, d.proposal_id, d.has_conflict, d.category, d.reason, d.declared_at)
                for d in declarations
            ]
            assert all(h.bundle_sequence is None for h in history)
            assert session.scalars(select(Substitution)).all() == []
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
            ws.session() as session,
        ):
            session.execute(update(ConflictHistoryEntry).values(reason="riscritto"))
        with ws.session() as session:
            assert "riscritto" not in {
                h.reason for h in session.scalars(select(ConflictHistoryEntry))
            }
    finally:
        ws.close()
