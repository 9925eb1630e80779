"""A call package whose attachments travel as parts, at a member: kept, with
the parts that arrived, until every part is here; then installed at once.

Everything waits under ``<workspace>/incoming/<call-id>/``, still sealed to
this member's key as it was received, so nothing readable is written outside
the encrypted database:

- ``package.vaglio``: the sealed call package waiting for its parts;
- ``package.json``: where it came from (the remote path, "" by hand) and its
  sequence;
- ``parts/<sha256>.vaglio``: each part, verified against the signed payload
  when it arrived and again when the package is installed.

A part fetched before an interruption stays here: the next sync fetches only
the others. The folder goes once the package is installed (or turns out to
be installed already).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundles import parts
from app.bundles.package import CallPackage
from app.config.files import ensure_private_dir, write_atomic
from app.errors import echo
from app.i18n import _
from app.models import Attachment
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace

INCOMING_FOLDER = "incoming"
PART_NAME = re.compile(r"^([0-9a-f]{64})\.vaglio$")


class NoPackageWaitingError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "No call package of {call_id} is waiting for this attachment: take in "
                "the package first."
            ).format(call_id=echo(call_id))
        )


def folder(ws: OpenWorkspace, call_id: str) -> Path:
    return ws.home / INCOMING_FOLDER / call_id


@dataclass(frozen=True)
class Waiting:
    """A package kept until its parts arrive."""

    sealed: bytes
    remote_path: str
    sequence: int


def waiting(ws: OpenWorkspace, call_id: str) -> Waiting | None:
    """The package of ``call_id`` waiting for parts, if any."""
    here = folder(ws, call_id)
    try:
        sealed = (here / "package.vaglio").read_bytes()
        meta = json.loads((here / "package.json").read_text("utf-8"))
        return Waiting(sealed, str(meta["remote_path"]), int(meta["sequence"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def waiting_stamp(ws: OpenWorkspace, call_id: str) -> tuple[int, int, int] | None:
    """What changes when another package comes to wait (its file's inode,
    size and time), or None when none waits."""
    try:
        stat = (folder(ws, call_id) / "package.vaglio").stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def keep_package(ws: OpenWorkspace, package: CallPackage, sealed: bytes, remote_path: str) -> None:
    """Keep ``sealed`` as the package waiting for parts, unless a later one
    already waits."""
    current = waiting(ws, package.call_id)
    if current is not None and current.sequence > package.sequence:
        return
    here = folder(ws, package.call_id)
    ensure_private_dir(here)
    write_atomic(here / "package.vaglio", sealed)
    meta = {"remote_path": remote_path, "sequence": package.sequence}
    write_atomic(here / "package.json", json.dumps(meta).encode("utf-8"))


def keep_part(ws: OpenWorkspace, call_id: str, sha256: str, sealed: bytes) -> None:
    """Keep a verified part, as it was received."""
    target = folder(ws, call_id) / "parts"
    ensure_private_dir(target)
    write_atomic(target / f"{sha256}.vaglio", sealed)


def staged(ws: OpenWorkspace, call_id: str) -> set[str]:
    """The SHA-256 of every part kept for ``call_id`` (names only: each is
    verified again when it is used)."""
    try:
        names = [path.name for path in (folder(ws, call_id) / "parts").iterdir()]
    except OSError:
        return set()
    return {match.group(1) for name in names if (match := PART_NAME.match(name))}


def discard(ws: OpenWorkspace, call_id: str, installed: int | None = None) -> None:
    """Forget what waited for ``call_id``: everything, or (``installed``, the
    sequence now installed) only if no later package than that waits."""
    if installed is not None:
        current = waiting(ws, call_id)
        if current is not None and current.sequence > installed:
            return
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(folder(ws, call_id))


def held(session: Session) -> dict[str, int]:
    """The attachments this workspace already stores: SHA-256 -> a row id."""
    return {
        sha: row
        for sha, row in session.execute(
            select(Attachment.sha256, func.min(Attachment.id)).group_by(Attachment.sha256)
        )
    }


def missing(ws: OpenWorkspace, session: Session, package: CallPackage) -> list[str]:
    """The attachments of ``package`` neither stored nor kept, in listed order."""
    have = held(session).keys() | staged(ws, package.call_id)
    return [sha for sha in package.listed() if sha not in have]


Contents = Callable[[str], bytes]


def contents(
    ws: OpenWorkspace, session: Session, package: CallPackage, key_id: str, sealing_private: bytes
) -> Contents:
    """Where an installing package reads each attachment's bytes: the ZIP of
    an older package; otherwise a kept part (opened and verified again) or
    the copy this workspace already stores."""
    if package.attachments_in == parts.ARCHIVE:
        inside = {
            a.sha256: a.content
            for p in package.proposals
            for a in p.attachments
            if a.content is not None
        }
        return inside.__getitem__
    listed = package.listed()
    rows = held(session)
    kept = folder(ws, package.call_id) / "parts"

    def content_of(sha: str) -> bytes:
        path = kept / f"{sha}.vaglio"
        if path.exists():
            data = path.read_bytes()
            try:
                return parts.open_part(
                    data,
                    call_id=package.call_id,
                    my_key_id=key_id,
                    my_sealing_private=sealing_private,
                    listed=listed,
                    expected=sha,
                )[1]
            except Exception:
                path.unlink(missing_ok=True)  # damaged on disk: fetched again next time
                raise
        row = rows[sha]
        return bytes(session.scalars(select(Attachment.content).where(Attachment.id == row)).one())

    return content_of


def sealed_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
