"""Private, atomic file writes.

A file is written under a temporary name created 0600 and fsynced, then
renamed over the target, and the folder is fsynced: a crash leaves the old
file or the new one, never half of either (Electrum ``storage.py``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each 0700 whatever the umask.

    Folders that already exist above ``path`` are left as they are (a shared
    folder is not ours to close); ``path`` itself is made 0700.
    """
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR)
        with contextlib.suppress(PermissionError):
            folder.chmod(PRIVATE_DIR)  # mkdir's mode passes through the umask
    if not path.is_dir():
        path.mkdir()  # raises as mkdir does (a file in the way)
    with contextlib.suppress(PermissionError):
        path.chmod(PRIVATE_DIR)


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (a no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_private_empty(path: Path) -> None:
    """Create an empty 0600 file; fails if ``path`` exists."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Replace ``path`` with ``data`` atomically; the file is private by default.

    On any failure, even an interrupt, the old file is left as it was, the
    temporary file is removed (if it can be) and the first error propagates.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # Inside the try: an interrupt as the file is created still removes it.
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
        try:
            # The descriptor is never handed to a file object: closed once, here.
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except FileExistsError:
        raise  # O_EXCL refused the name: that file is not ours to remove
    except BaseException:
        # A failing clean-up must not hide the error that matters.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)
