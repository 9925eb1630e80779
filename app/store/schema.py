"""Schema versions and migrations on open.

The revisions this version of Vaglio knows are listed, oldest first, in
:mod:`app.store.revisions`, so that opening an up-to-date workspace never
imports Alembic (it costs start-up time); a test keeps this list equal to the
migration scripts. A workspace at an
older revision is backed up (``VACUUM INTO``, encrypted with the same key) and
upgraded; one at an unknown revision was written by a newer Vaglio and is
refused untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from app import clock
from app.config.files import ensure_private_dir
from app.store.database import backup_into, make_engine
from app.store.errors import NewerWorkspaceError
from app.store.revisions import HEAD, REVISIONS

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class MigrationResult:
    """What happened to the schema on open."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        """True if migrations ran."""
        return self.from_revision != self.to_revision


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or ``None`` for an empty one."""
    with engine.connect() as connection:
        has_table = connection.execute(
            text("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='alembic_version'")
        ).scalar_one()
        if not has_table:
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def _alembic_upgrade(engine: Engine, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        # Table rebuilds run with foreign keys off; prove nothing dangles.
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")


def upgrade_to(path: Path, raw_key: bytes, target: str = HEAD) -> None:
    """Run the migrations up to ``target`` with foreign keys off (batch rebuilds)."""
    engine = make_engine(path, raw_key, foreign_keys=False)
    try:
        _alembic_upgrade(engine, target)
    finally:
        engine.dispose()


def migrate(
    engine: Engine, path: Path, raw_key: bytes, backups_dir: Path, *, backup: bool = True
) -> MigrationResult:
    """Bring the database to :data:`HEAD`, after a backup if it held a schema."""
    revision = current_revision(engine)
    if revision == HEAD:
        return MigrationResult(revision, HEAD, None)
    if revision is not None and revision not in REVISIONS:
        raise NewerWorkspaceError(revision)
    backup_path = None
    if revision is not None and backup:
        ensure_private_dir(backups_dir)
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        backup_path = backups_dir / f"vaglio-{revision}-before-{HEAD}-{stamp}.db"
        backup_into(engine, backup_path)
    engine.dispose()
    upgrade_to(path, raw_key, HEAD)
    return MigrationResult(revision, HEAD, backup_path)
