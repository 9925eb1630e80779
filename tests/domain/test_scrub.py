"""``scrub.vacuum`` leaves nothing of a deleted row in the database files, even
on a connection where SQLite does not overwrite what it deletes.

SQLCipher turns ``secure_delete`` on for keyed databases, so Vaglio's own
deletes already zero the cells they free; this test switches it off to show
that the vacuum alone is enough, pages, free pages and journal alike.
"""

from __future__ import annotations

from app.services.unlocking import OpenWorkspace
from app.store import scrub
from tests.support.plaintext import sightings

MARKER = b"CANCELLATO-ZQX-4242"


def _raw(ws: OpenWorkspace):  # type: ignore[no-untyped-def]
    return ws.store.engine.raw_connection()


def test_the_vacuum_leaves_no_trace_of_deleted_rows(empty_secretariat: OpenWorkspace) -> None:
    ws = empty_secretariat
    home, key = ws.home, ws.store.raw_key
    connection = _raw(ws)
    try:
        assert connection.execute("PRAGMA secure_delete").fetchone()[0] == 1  # SQLCipher's default
        connection.execute("PRAGMA secure_delete = OFF")
        # One small row and one that spills over several overflow pages.
        small, large = f'"{MARKER.decode()}"', '"' + " ".join([MARKER.decode()] * 2000) + '"'
        connection.execute("INSERT INTO settings (key, value) VALUES ('a', ?), ('b', ?)",
                           (small, large))  # fmt: skip
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("DELETE FROM settings WHERE key IN ('a', 'b')")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    # Deleted, checkpointed: still readable with the key, in free space and free pages.
    assert {s.file for s in sightings(home, key, [MARKER])} == {"vaglio.db"}

    scrub.vacuum(ws.store.engine)

    assert sightings(home, key, [MARKER]) == []
    assert (home / "vaglio.db-wal").stat().st_size == 0
    with ws.session() as session:  # the workspace reads on
        assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
