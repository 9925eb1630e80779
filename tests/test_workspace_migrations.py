"""Schema migrations on populated old workspaces; newer workspaces refused."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from app.models import Attachment, Base, ConflictDeclaration, Proposal, Score, Setting
from app.services.workspace import unlock, verify_audit
from app.store import database, schema
from app.store.errors import NewerWorkspaceError
from app.store.workspace import load_slots
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE

OLD = Path(__file__).resolve().parent / "fixtures" / "workspaces"


def _copy(version: str, tmp_path: Path) -> Path:
    home = tmp_path / version
    shutil.copytree(OLD / version, home)
    home.chmod(0o700)
    for path in home.iterdir():
        path.chmod(0o600)
    return home


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

    with empty_secretariat.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize("version", ["0001", "0002"])
def test_populated_old_workspace_upgrades_with_a_backup(tmp_path: Path, version: str) -> None:
    home = _copy(f"v{version}", tmp_path)
    ws = unlock(home, FIXTURE_PASSPHRASE)
    try:
        assert ws.migration is not None
        assert ws.migration.from_revision == version
        assert ws.migration.to_revision == schema.HEAD
        backup = ws.migration.backup
        assert backup is not None and backup.parent == home / "backups"
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        with ws.session() as session:
            codes = session.scalars(select(Proposal.code).order_by(Proposal.code)).all()
            assert codes == ["Q001", "Q002"]
            q2 = session.scalars(select(Proposal).where(Proposal.code == "Q002")).one()
            assert (
                not q2.admissible
                and q2.inadmissible_reasons[0]["code"] == "total_cost_above_maximum"
            )
            assert session.scalars(select(Attachment.content)).one() == b"%PDF-1.4 old"
            values = sorted(str(score.value) for score in session.scalars(select(Score)))
            assert values == ["0.5", "1"]
            conflict = session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.has_conflict)
            ).one()
            assert conflict.reason == "cugino del presidente"
            settings = {s.key: s.value for s in session.scalars(select(Setting))}
            assert settings == ({} if version == "0001" else {"idle_lock_minutes": 15})
            problems = session.execute(text("PRAGMA foreign_key_check")).all()
            assert problems == []
        assert verify_audit(ws).entries == 2
    finally:
        ws.close()
    # The backup is the old workspace, encrypted with the same key.
    raw_key = load_slots(home).key_from_passphrase(FIXTURE_PASSPHRASE)
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


def test_the_plain_sqlite_engine_cannot_open_a_fixture() -> None:
    # The committed fixtures are encrypted too.
    engine = create_engine(f"sqlite:///{OLD / 'v0001' / 'vaglio.db'}")
    with pytest.raises(Exception, match="not a database"), engine.connect() as connection:
        connection.execute(text("SELECT 1 FROM sqlite_master")).all()
    engine.dispose()
