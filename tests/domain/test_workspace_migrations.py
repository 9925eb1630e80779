"""Schema migrations on populated old workspaces; newer workspaces refused.

There is a committed fixture for every released revision (see
``tests/fixtures/make_old_workspaces.py``); each is unlocked through the
services, which migrate it to the head, and its rows must all come through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from app.models import (
    Attachment,
    Base,
    Call,
    CampaignResult,
    ConflictDeclaration,
    CriterionRow,
    FundingRecord,
    InboxEntry,
    Member,
    Proposal,
    RankingRecord,
    ReceiptRecord,
    Remote,
    Score,
    ScoreBundleRecord,
    Setting,
)
from app.services.ranking import ranking_view
from app.services.sittings import list_sittings
from app.services.workspace import unlock, verify_audit
from app.store import database, schema
from app.store.errors import NewerWorkspaceError
from app.store.workspace import Workspace, load_slots
from tests.fixtures import make_old_workspaces as generator
from tests.fixtures import old_workspace_rows as written
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import TESTS

OLD = TESTS / "fixtures" / "workspaces"
FIXTURES = sorted(p.name.removeprefix("v") for p in OLD.iterdir() if p.is_dir())
CALL = "OLD-2019"


def _copy(version: str, tmp_path: Path) -> Path:
    home = tmp_path / version
    shutil.copytree(OLD / version, home)
    home.chmod(0o700)
    for path in home.iterdir():
        path.chmod(0o600)
    return home


def _inspect(home: Path, raw_key: bytes) -> tuple[dict[str, int], list[Any], list[Any]]:
    """Rows per table, ``foreign_key_check`` and ``integrity_check`` of the database."""
    connection = database.connect(home / "vaglio.db", raw_key)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        counts = {
            t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return counts, foreign, integrity


def test_there_is_a_fixture_for_every_released_revision() -> None:
    released = [r for r in schema.REVISIONS if r != schema.HEAD]
    missing = [r for r in released if r not in FIXTURES]
    assert not missing, (
        f"no fixture workspace for revision(s) {', '.join(missing)}: add make_NNNN to "
        "tests/fixtures/make_old_workspaces.py, run `python -m "
        f"tests.fixtures.make_old_workspaces {' '.join(missing)}` and commit "
        "tests/fixtures/workspaces/vNNNN"
    )
    assert [f for f in FIXTURES if f not in schema.REVISIONS] == []
    for version in FIXTURES:
        assert version in generator.MAKERS, f"v{version} has no make_{version}"
        files = sorted(p.name for p in (OLD / f"v{version}").iterdir())
        assert files == ["keyslots.json", "vaglio.db"], f"v{version}: {files}"


def test_revisions_list_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    walked = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(walked) == schema.REVISIONS
    assert scripts.get_current_head() == schema.HEAD


def test_models_match_the_migrated_schema(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with empty_secretariat.store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def _check_evaluation(ws: Workspace, version: str) -> None:
    """What every revision holds: proposals, attachment, declarations, scores, settings."""
    with ws.session() as session:
        codes = session.scalars(select(Proposal.code).order_by(Proposal.code)).all()
        assert codes == ["Q001", "Q002"]
        q2 = session.scalars(select(Proposal).where(Proposal.code == "Q002")).one()
        assert not q2.admissible
        assert q2.inadmissible_reasons[0]["code"] == "total_cost_above_maximum"
        attachment = session.scalars(select(Attachment)).one()
        assert attachment.content == written.ATTACHMENT == b"%PDF-1.4 old"
        assert attachment.sha256 == hashlib.sha256(attachment.content).hexdigest()
        conflict = session.scalars(
            select(ConflictDeclaration).where(ConflictDeclaration.has_conflict)
        ).one()
        assert (conflict.category, conflict.reason) == ("kinship", "cugino del presidente")
        rows = session.execute(
            select(Member.name, CriterionRow.key, Score.value)
            .join(Member, Member.id == Score.member_id)
            .join(CriterionRow, CriterionRow.id == Score.criterion_id)
        )
        values = {(member, key): value for member, key, value in rows}
        expected: dict[tuple[str, str], Decimal | None] = {
            ("Giorgio Neri", "impact"): Decimal("0.5"),
            ("Giorgio Neri", "innovation"): Decimal("1"),
        }
        if version >= "0003":  # a motivation saved before its value
            expected |= {
                ("Marta Rossi", "impact"): Decimal("1"),
                ("Marta Rossi", "innovation"): None,
            }
        assert values == expected
        settings = {s.key: s.value for s in session.scalars(select(Setting))}
        assert settings == ({} if version == "0001" else {"idle_lock_minutes": 15})


def _check_rulebook(ws: Workspace) -> None:
    """From 0007 the definition text is the rulebook: what the old tables held
    (not what the old text said) is what the call now means."""
    with ws.session() as session:
        call = session.get_one(Call, CALL)
        grid, money = call.grid, call.matchfunding
        assert [(level.value, level.label) for level in grid.levels] == [
            (Decimal("0"), "no"), (Decimal("0.5"), "medio"), (Decimal("1"), "sì"),
        ]  # fmt: skip
        assert [(c.key, c.title, c.max_points, c.min_points) for c in grid.criteria] == [
            ("impact", "Impatto", Decimal("60"), Decimal("20")),
            ("innovation", "Innovazione", Decimal("40"), None),
        ]
        assert (grid.threshold, grid.min_evaluators, grid.tie_break) == (
            Decimal("60"), 3, ("impact", "lottery"),
        )  # fmt: skip
        assert (money.crowd_share, money.cap, money.fund) == (
            Decimal("0.50"), Decimal("50000.00"), Decimal("550000.00"),
        )  # fmt: skip
        assert [row.key for row in call.criteria] == ["impact", "innovation"]


def _check_exchange(ws: Workspace) -> None:
    """From 0004: the published call, the remote, the bundle, its receipt, the inbox."""
    with ws.session() as session:
        call = session.get_one(Call, CALL)
        assert call.package_sequence == 1 and call.office_key_id == written.OFFICE
        assert call.published_at == dt.datetime(2021, 3, 1, 8, 15, tzinfo=dt.UTC)
        assert session.get_one(Remote, CALL).destination == "https://dav.comune.example/vaglio"
        bundle = session.scalars(select(ScoreBundleRecord)).one()
        assert bundle.member_key_id == written.NERI and bundle.direction == "received"
        assert bundle.envelope == written.BUNDLE
        assert bundle.sealed_sha256 == hashlib.sha256(written.BUNDLE).hexdigest()
        receipt = session.scalars(select(ReceiptRecord)).one()
        assert receipt.bundle_hash == bundle.payload_hash and receipt.envelope == written.RECEIPT
        outcomes = session.scalars(select(InboxEntry.outcome).order_by(InboxEntry.id)).all()
        assert outcomes == ["accepted", "refused"]


def _check_funding(ws: Workspace) -> None:
    """From 0005: the approved ranking document, the campaign, commitment and payment."""
    document = written.ranking_document()
    with ws.session() as session:
        record = session.get_one(RankingRecord, CALL)
        assert record.document == document
        assert record.sha256 == hashlib.sha256(document.encode("utf-8")).hexdigest()
        assert session.scalars(select(CampaignResult.raised)).one() == Decimal("16250.00")
        amounts = session.scalars(select(FundingRecord.amount).order_by(FundingRecord.id)).all()
        assert amounts == [Decimal("15000.00"), Decimal("7500.00")]
        assert session.get_one(Call, CALL).status == "closed"
    view = ranking_view(ws, CALL)
    assert view.approved and view.document_sha256 == record.sha256
    assert [row.proposal for row in view.rows] == ["Q001"]


def _check_sittings(ws: Workspace, version: str) -> None:
    """From 0006: the commission's sittings, with who was there (from 0008 the
    roster has a substitute, who was at neither)."""
    sittings = list_sittings(ws, CALL)
    verdi = ("Luca Verdi",) if version >= "0008" else ()
    assert [(s.held_on, s.place, s.present, s.absent) for s in sittings] == [
        (
            dt.date(2021, 3, 4),
            "Sala Alessi, Palazzo Marino",
            ("Giorgio Neri", "Marta Rossi"),
            verdi,
        ),
        (dt.date(2021, 4, 12), "videoconferenza", ("Giorgio Neri",), ("Marta Rossi", *verdi)),
    ]


@pytest.mark.parametrize("version", FIXTURES)
def test_populated_workspace_opens_at_the_head_with_every_row(tmp_path: Path, version: str) -> None:
    home = _copy(f"v{version}", tmp_path)
    raw_key = load_slots(home).key_from_passphrase(FIXTURE_PASSPHRASE)
    before, _, _ = _inspect(home, raw_key)
    empty = [table for table, rows in before.items() if not rows]
    assert not empty, f"fixture v{version} has empty tables: {empty}"
    older = version != schema.HEAD

    ws = unlock(home, FIXTURE_PASSPHRASE)
    try:
        assert ws.migration is not None
        assert ws.migration.from_revision == version
        assert ws.migration.to_revision == schema.HEAD
        assert ws.migration.upgraded == older
        backup = ws.migration.backup
        if older:
            assert backup is not None and backup.parent == home / "backups"
            assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        else:
            assert backup is None and not (home / "backups").exists()
        _check_evaluation(ws, version)
        _check_rulebook(ws)
        if version >= "0004":
            _check_exchange(ws)
        if version >= "0005":
            _check_funding(ws)
        if version >= "0006":
            _check_sittings(ws, version)
        assert verify_audit(ws).entries == before["audit_events"]
    finally:
        ws.close()

    after, foreign, integrity = _inspect(home, raw_key)
    # 0007 folded the copies of the rules into the definition text.
    folded = {"scoring_rules", "matchfunding_rules"} if version < "0007" else set()
    assert {t: after.get(t) for t in before if t not in folded} == {
        t: rows for t, rows in before.items() if t not in folded
    }
    assert not folded & set(after)
    assert foreign == []
    assert integrity == [("ok",)]
    if backup is not None:
        # The backup is the old workspace, encrypted with the same key.
        engine = database.make_engine(backup, raw_key)
        try:
            assert schema.current_revision(engine) == version
        finally:
            engine.dispose()
        # Opening again migrates nothing and makes no new backup.
        again = unlock(home, FIXTURE_PASSPHRASE)
        assert again.migration is not None and not again.migration.upgraded
        again.close()
        assert len(list((home / "backups").iterdir())) == 1


def test_a_workspace_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    home = _copy("v0002", tmp_path)
    raw_key = load_slots(home).key_from_passphrase(FIXTURE_PASSPHRASE)
    connection = database.connect(home / "vaglio.db", raw_key)
    connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = (home / "vaglio.db").read_bytes()
    with pytest.raises(NewerWorkspaceError, match="versione più recente di Vaglio"):
        unlock(home, FIXTURE_PASSPHRASE)
    assert (home / "vaglio.db").read_bytes() == before
    assert not (home / "backups").exists()


@pytest.mark.parametrize("version", FIXTURES)
def test_the_plain_sqlite_engine_cannot_open_a_fixture(version: str) -> None:
    # The committed fixtures are encrypted too.
    engine = create_engine(f"sqlite:///{OLD / f'v{version}' / 'vaglio.db'}")
    with pytest.raises(Exception, match="not a database"), engine.connect() as connection:
        connection.execute(text("SELECT 1 FROM sqlite_schema")).all()
    engine.dispose()
