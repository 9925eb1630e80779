"""Leaving no trace of deleted rows in the database files.

SQLite does not erase a deleted row: its bytes stay in the page (now free
space or a free page) and in the write-ahead log until something overwrites
them. Encrypted, they are still readable to whoever holds the key. ``VACUUM``
rebuilds the database from its live rows into a temporary database (in
memory: ``temp_store`` is MEMORY) and writes every page of the file again;
in WAL mode those pages go through the log, so a ``TRUNCATE`` checkpoint then
copies them into the file, cuts the file to its new size and empties the log.
"""

from __future__ import annotations

from sqlalchemy import Engine

from app.i18n import _
from app.store.errors import StoreError


class CheckpointBusyError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The database is in use by another program or window, so its journal could "
                "not be emptied: close it and run the removal again."
            )
        )


def vacuum(engine: Engine) -> None:
    """Rewrite the database file from its live rows and empty its journal."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("VACUUM")
        busy, _frames, _copied = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise CheckpointBusyError()
