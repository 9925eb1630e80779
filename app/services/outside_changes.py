"""Whether another process changed the workspace: the GUI's live refresh.

The command line (or a second window) writes to the same SQLCipher file
through its own connections; the open window would show stale data until
the next lock and unlock. :func:`change_marker` is cheap enough to read at
every window activation and after every change of the files: the size and
modification time of the database and its write-ahead log (two ``stat``
calls, no decryption) and the audit log's head (one indexed row). A commit
by any connection moves the WAL; every change that matters moves the audit
head, even one whose file times the kernel's clock granularity hides.

``PRAGMA data_version`` was measured and not chosen: it is per connection,
and the workspace's pool hands out several, so one connection's own commits
move another's counter (docs/architecture.md, "Live refresh").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.models.audit_head import AuditHead
from app.services.unlocking import OpenWorkspace
from app.store import audit

WAL_SUFFIX = "-wal"


@dataclass(frozen=True)
class ChangeMarker:
    """What moves when the workspace changes: the files' (size, mtime) and the audit head."""

    files: tuple[tuple[int, int], ...]
    audit: AuditHead


def watched_files(ws: OpenWorkspace) -> tuple[Path, ...]:
    """The files a commit writes: the database and its write-ahead log."""
    database = ws.store.paths.database
    return (database, database.with_name(database.name + WAL_SUFFIX))


def _stat(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except FileNotFoundError:
        return (-1, -1)  # the WAL goes when the last connection closes
    return (status.st_size, status.st_mtime_ns)


def change_marker(ws: OpenWorkspace) -> ChangeMarker:
    """The workspace's marker now: it differs from an earlier one once anything committed."""
    files = tuple(_stat(path) for path in watched_files(ws))
    with ws.session() as session:
        head = audit.head(session)
    return ChangeMarker(files, head)
