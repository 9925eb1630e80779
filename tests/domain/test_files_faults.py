"""Fault injection into ``write_atomic`` (KeePassXC's FailDevice, with monkeypatch).

Each step of the write is made to fail in turn: the data write (after part of
the data went through), the fsync of the file, the rename, an interrupt at
several points. Whatever fails, the error propagates, the old file is intact
byte for byte with its mode, no temporary file is left in the folder and no
descriptor stays open.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config.files import write_atomic

OLD = b"old content, still whole\n" * 200
NEW = b"new content, written whole\n" * 2000
OLD_MODE = 0o640


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    path = folder / "keyslots.json"
    path.write_bytes(OLD)
    path.chmod(OLD_MODE)
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A known umask, so that the modes asserted do not depend on the caller's."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The descriptors ``os.open`` hands out during the test."""
    fds: list[int] = []
    real_open = os.open

    def recording(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        fd = real_open(path, flags, mode, **kwargs)
        fds.append(fd)
        return fd

    monkeypatch.setattr(os, "open", recording)
    return fds


def _is_file(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _assert_untouched(path: Path, opened: list[int]) -> None:
    assert path.read_bytes() == OLD
    assert stat.S_IMODE(path.stat().st_mode) == OLD_MODE
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert opened, "the write never opened its temporary file"
    for fd in opened:
        with pytest.raises(OSError) as closed:
            os.fstat(fd)
        assert closed.value.errno == errno.EBADF, f"descriptor {fd} left open"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_the_disk_fills_up_in_the_middle_of_the_data(
    target: Path, opened: list[int], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_write = os.write
    accepted: list[int] = []

    def failing_device(fd: int, data: Any) -> int:
        if _is_file(fd) and accepted:
            raise _oserror(code)
        written = real_write(fd, data[:4096])
        accepted.append(written)
        return written

    monkeypatch.setattr(os, "write", failing_device)
    with pytest.raises(OSError) as failure:
        write_atomic(target, NEW)
    assert failure.value.errno == code
    assert accepted == [4096]  # part of the data did reach the temporary file
    _assert_untouched(target, opened)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_fsync_of_the_file_fails(
    target: Path, opened: list[int], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if _is_file(fd):
            raise _oserror(code)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError) as failure:
        write_atomic(target, NEW)
    assert failure.value.errno == code
    _assert_untouched(target, opened)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EXDEV, errno.EIO])
def test_the_rename_fails(
    target: Path, opened: list[int], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def replace(src: Any, dst: Any) -> None:
        raise _oserror(code)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError) as failure:
        write_atomic(target, NEW)
    assert failure.value.errno == code
    _assert_untouched(target, opened)


@pytest.mark.parametrize("name", ["write", "fsync", "replace"])
def test_an_interrupt_in_the_middle_leaves_the_old_file(
    target: Path, opened: list[int], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, name, interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    _assert_untouched(target, opened)


def test_an_interrupt_as_the_temporary_file_is_created_removes_it(
    target: Path, opened: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python raises a pending KeyboardInterrupt as soon as os.open returns.
    recording_open = os.open

    def open_then_interrupt(*args: Any, **kwargs: Any) -> int:
        os.close(recording_open(*args, **kwargs))  # the caller never gets the descriptor
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    _assert_untouched(target, opened)


def test_an_interrupt_just_after_the_rename_leaves_the_new_file_whole(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace_then_interrupt(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_failing_clean_up_does_not_hide_the_error(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fsync(fd: int) -> None:
        raise _oserror(errno.ENOSPC)

    def unlink(path: Any, **kwargs: Any) -> None:
        raise _oserror(errno.EACCES)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(OSError) as failure:
        write_atomic(target, NEW)
    assert failure.value.errno == errno.ENOSPC
    assert target.read_bytes() == OLD


def test_while_syncing_the_target_is_old_and_the_temporary_file_private(
    target: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    real_fsync = os.fsync
    seen: list[tuple[bytes, list[int]]] = []

    def fsync(fd: int) -> None:
        if _is_file(fd):
            temporary = [p for p in target.parent.iterdir() if p != target]
            modes = [stat.S_IMODE(p.stat().st_mode) for p in temporary]
            seen.append((target.read_bytes(), modes))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(target, NEW)
    assert seen == [(OLD, [0o600])]
    assert target.read_bytes() == NEW


@pytest.mark.parametrize("mode", [0o600, 0o644])
@pytest.mark.parametrize("exists", [True, False])
def test_a_successful_write_replaces_the_content_with_the_mode_asked(
    target: Path, opened: list[int], umask_022: None, mode: int, exists: bool
) -> None:
    if not exists:
        target.unlink()
    write_atomic(target, NEW, mode)
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    for fd in opened:  # the file and the folder were both closed
        with pytest.raises(OSError):
            os.fstat(fd)


@pytest.mark.parametrize("code", [errno.EIO, errno.EINVAL])
def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(
    target: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_fsync = os.fsync
    folder_syncs: list[int] = []

    def fsync(fd: int) -> None:
        if not _is_file(fd):
            folder_syncs.append(fd)
            raise _oserror(code)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(target, NEW)
    assert len(folder_syncs) == 1
    assert target.read_bytes() == NEW


def test_a_missing_folder_fails_and_leaves_nothing(tmp_path: Path) -> None:
    before = sorted(tmp_path.iterdir())
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "keyslots.json", NEW)
    assert sorted(tmp_path.iterdir()) == before
