"""Migration 0010 on the populated 0009 fixture: every row stays, the
collegial scores' table starts empty and takes a decision tied to a sitting."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import func, select

from app.models import (
    CollegialScore,
    CommissionSitting,
    ConflictHistoryEntry,
    CriterionRow,
    Member,
    Proposal,
    Substitution,
)
from app.services.workspace import unlock
from app.store import schema
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import TESTS

V0009 = TESTS / "fixtures" / "workspaces" / "v0009"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    target = tmp_path / "v0009"
    shutil.copytree(V0009, target)
    target.chmod(0o700)
    return target


def test_0010_keeps_every_row_and_adds_an_empty_table_for_collegial_scores(home: Path) -> None:
    ws = unlock(home, FIXTURE_PASSPHRASE)
    try:
        assert ws.migration is not None
        assert (ws.migration.from_revision, ws.migration.to_revision) == ("0009", schema.HEAD)
        with ws.session() as session:
            assert session.scalars(select(Member.name).order_by(Member.id)).all() == [
                "Giorgio Neri", "Marta Rossi", "Luca Verdi",
            ]  # fmt: skip
            assert len(session.scalars(select(Substitution)).all()) == 1
            assert session.scalar(select(func.count()).select_from(ConflictHistoryEntry)) >= 2
            assert session.scalar(select(func.count()).select_from(CollegialScore)) == 0
            proposal = session.scalars(select(Proposal).where(Proposal.code == "Q001")).one()
            criterion = session.scalars(select(CriterionRow)).first()
            sitting = session.scalars(select(CommissionSitting)).first()
            assert criterion is not None and sitting is not None
            session.add(
                CollegialScore(
                    call_id="OLD-2019", proposal_id=proposal.id, criterion_id=criterion.id,
                    value=Decimal("0.8"), motivation="Concordata in seduta.", vote="majority",
                    dissent=["c" * 64], sitting_id=sitting.id,
                )
            )  # fmt: skip
        with ws.session() as session:
            row = session.scalars(select(CollegialScore)).one()
            assert (row.value, row.vote, row.dissent) == (Decimal("0.8"), "majority", ["c" * 64])
        # One agreed value per proposal and criterion.
        with pytest.raises(sqlalchemy.exc.IntegrityError), ws.session() as session:
            session.add(
                CollegialScore(
                    call_id="OLD-2019", proposal_id=proposal.id, criterion_id=criterion.id,
                    value=Decimal("1"), motivation="Doppione.", vote="unanimous", dissent=[],
                )
            )  # fmt: skip
    finally:
        ws.close()
