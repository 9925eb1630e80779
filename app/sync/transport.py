"""The transport interface and the shared-folder transport.

Paths are relative, with ``/`` separators: ``<call-id>/inbox/<key-id>/<file>``.
Uploads are atomic and never overwrite: the file is written under a temporary
name and then linked (or renamed) into place; if a file of that name exists
with the same bytes the upload is a no-op, with different bytes it is a
conflict. Nothing is ever deleted on the remote, except the transport's own
temporary file.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.i18n import _
from app.sync.errors import (
    RemoteConflictError,
    RemoteFileTooLargeError,
    RemoteRefusedError,
    TransientError,
)

SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


@dataclass(frozen=True)
class Entry:
    name: str
    is_folder: bool


class Transport(Protocol):
    """What the sync engine needs of a remote."""

    def describe(self) -> str: ...

    def list(self, folder: str) -> list[Entry]:
        """The entries directly in ``folder`` (empty if it does not exist)."""

    def get(self, path: str, max_size: int) -> bytes: ...

    def put(self, path: str, data: bytes) -> bool:
        """Upload; True if written now, False if the same file was already there."""

    def close(self) -> None: ...


def check_path(path: str) -> str:
    """A relative path made only of safe names (never ``..``)."""
    if not SAFE_PATH.match(path) or ".." in path.split("/"):
        raise ValueError(f"unsafe remote path {path!r}")
    return path


class FolderTransport:
    """A shared folder: a network drive, a USB stick, a synced folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def _path(self, relative: str) -> Path:
        return self.root.joinpath(*check_path(relative).split("/"))

    def _check_root(self) -> None:
        if not self.root.is_dir():
            raise RemoteRefusedError(str(self.root), _("the folder does not exist"))

    def list(self, folder: str) -> list[Entry]:
        self._check_root()
        target = self._path(folder)
        try:
            children = sorted(target.iterdir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise TransientError(str(self.root), exc.strerror or type(exc).__name__) from None
        return [
            Entry(child.name, child.is_dir())
            for child in children
            if SAFE_PATH.match(child.name) and not child.name.startswith(".")
        ]

    def get(self, path: str, max_size: int) -> bytes:
        self._check_root()
        target = self._path(path)
        try:
            if target.stat().st_size > max_size:
                raise RemoteFileTooLargeError(path, max_size)
            with target.open("rb") as handle:
                data = handle.read(max_size + 1)
        except FileNotFoundError:
            raise RemoteRefusedError(
                str(self.root), _("{path} is not there").format(path=path)
            ) from None
        except OSError as exc:
            raise TransientError(str(self.root), exc.strerror or type(exc).__name__) from None
        if len(data) > max_size:
            raise RemoteFileTooLargeError(path, max_size)
        return data

    def put(self, path: str, data: bytes) -> bool:
        self._check_root()
        target = self._path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                return self._same(target, data, path)
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
            with temporary.open("xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                try:
                    os.link(temporary, target)  # atomic, and never replaces
                except FileExistsError:
                    return self._same(target, data, path)
                except OSError:
                    # No hard links (FAT, some network shares): rename instead.
                    if target.exists():
                        return self._same(target, data, path)
                    os.replace(temporary, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    temporary.unlink()
        except OSError as exc:
            raise TransientError(str(self.root), exc.strerror or type(exc).__name__) from None
        return True

    @staticmethod
    def _same(target: Path, data: bytes, path: str) -> bool:
        if target.read_bytes() == data:
            return False
        raise RemoteConflictError(path)

    def close(self) -> None:
        return None
