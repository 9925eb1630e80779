"""Migration 0011 on the populated 0010 fixture: every row stays; the old
sittings keep their meaning (times, mode, absences and secretary unknown, the
absent read as before); discussions start empty and take one tied to a sitting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import func, select

from app.models import CollegialScore, CommissionDiscussion, CommissionSitting, Member, Proposal
from app.services.sittings import list_sittings
from app.services.workspace import unlock
from app.store import schema
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import TESTS

V0010 = TESTS / "fixtures" / "workspaces" / "v0010"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    target = tmp_path / "v0010"
    shutil.copytree(V0010, target)
    target.chmod(0o700)
    return target


def test_0011_keeps_every_row_and_the_old_sittings_meaning(home: Path) -> None:
    ws = unlock(home, FIXTURE_PASSPHRASE)
    try:
        assert ws.migration is not None
        assert (ws.migration.from_revision, ws.migration.to_revision) == ("0010", schema.HEAD)
        with ws.session() as session:
            assert session.scalars(select(Member.name).order_by(Member.id)).all() == [
                "Giorgio Neri", "Marta Rossi", "Luca Verdi",
            ]  # fmt: skip
            agreed = session.scalars(select(CollegialScore)).one()
            assert (agreed.sitting_id, agreed.vote) == (1, "unanimous")
            rows = session.scalars(select(CommissionSitting).order_by(CommissionSitting.id)).all()
            assert [(r.place, r.notes) for r in rows] == [
                ("Sala Alessi, Palazzo Marino", "Insediamento."), ("videoconferenza", ""),
            ]  # fmt: skip
            for row in rows:  # nothing invented for what was never recorded
                assert (row.starts_at, row.ends_at, row.mode, row.absent, row.secretary) == (
                    None, None, None, None, None,
                )  # fmt: skip
            assert session.scalar(select(func.count()).select_from(CommissionDiscussion)) == 0
        first, second = list_sittings(ws, "OLD-2019")
        # Absent as before 0011: an expected member (here also the seated
        # substitute) not recorded present.
        assert first.present == ("Giorgio Neri", "Marta Rossi")
        assert first.absent == ("Luca Verdi",)
        assert second.present == ("Giorgio Neri",)
        assert second.absent == ("Marta Rossi", "Luca Verdi")
        assert second.mode is None and second.starts_at is None and not second.telematic
        with ws.session() as session:
            proposal = session.scalars(select(Proposal).where(Proposal.code == "Q001")).one()
            session.add(
                CommissionDiscussion(
                    call_id="OLD-2019", proposal_id=proposal.id, criterion_key="impact",
                    sitting_id=2, outcome="confirmed", note="Valori confermati.",
                )
            )  # fmt: skip
        with ws.session() as session:
            row = session.scalars(select(CommissionDiscussion)).one()
            assert (row.sitting_id, row.outcome, row.note) == (2, "confirmed", "Valori confermati.")
        # A discussion names a sitting that exists.
        with pytest.raises(sqlalchemy.exc.IntegrityError), ws.session() as session:
            session.add(
                CommissionDiscussion(
                    call_id="OLD-2019", proposal_id=proposal.id, criterion_key="impact",
                    sitting_id=99, outcome="confirmed", note="Seduta inesistente.",
                )
            )  # fmt: skip
    finally:
        ws.close()
