"""Every folder Vaglio creates for a workspace is 0700, whatever the umask.

The outbox copies used to land in 0755 folders (``mkdir`` with the umask),
so their names, which carry call ids and member key ids, were readable by
every local user; only the leaf folder was made private.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config.files import ensure_private_dir
from app.services import outbox
from app.services.unlocking import OpenWorkspace
from app.services.workspace import create_workspace, unlock
from tests.fixtures.make_old_workspaces import FIXTURE_PASSPHRASE
from tests.support.workspaces import CALL_ID, PASSPHRASE, TESTS


@pytest.fixture(autouse=True)
def _loose_umask() -> Iterator[None]:
    """The common default, which would make a plain ``mkdir`` 0755."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folders(home: Path) -> list[Path]:
    return [home, *(path for path in home.rglob("*") if path.is_dir())]


def test_outbox_folders_are_private(secretariat: OpenWorkspace) -> None:
    key_id = "a" * 64
    paths = [
        outbox.package_path(CALL_ID, 1),
        outbox.bundle_path(CALL_ID, key_id, 1, "b" * 64),
        outbox.receipt_path(CALL_ID, key_id, 1),
    ]
    with secretariat.session() as session:
        for kind, path in zip(("package", "bundle", "receipt"), paths, strict=True):
            outbox.add(session, secretariat, call_id=CALL_ID, kind=kind, path=path, data=b"x")
    home = secretariat.home
    folders = _folders(home / outbox.OUTBOX_FOLDER)
    # outbox, the call, package, inbox and receipts, and a key id under each of the last two
    assert len(folders) == 7
    assert {_mode(folder) for folder in folders} == {0o700}, [
        (str(f.relative_to(home)), oct(_mode(f))) for f in folders if _mode(f) != 0o700
    ]
    files = [path for path in (home / outbox.OUTBOX_FOLDER).rglob("*") if path.is_file()]
    assert len(files) == 3
    assert {_mode(path) for path in files} == {0o600}


def test_a_new_workspace_and_the_folders_above_it_that_it_creates_are_private(
    tmp_path: Path,
) -> None:
    home = tmp_path / "new" / "nested" / "ws"
    before = _mode(tmp_path)
    create_workspace(
        home, role="member", name="X", passphrase=PASSPHRASE, use_keyring=False
    ).workspace.close()
    for folder in (tmp_path / "new", tmp_path / "new" / "nested", home):
        assert _mode(folder) == 0o700, folder
    assert _mode(tmp_path) == before  # not Vaglio's to change


def test_the_backups_folder_is_private(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    shutil.copytree(TESTS / "fixtures" / "workspaces" / "v0006", home)
    with unlock(home, FIXTURE_PASSPHRASE) as ws:
        assert ws.migration is not None and ws.migration.upgraded
    assert _mode(home / "backups") == 0o700
    assert {_mode(path) for path in (home / "backups").iterdir()} == {0o600}


def test_ensure_private_dir_leaves_existing_folders_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    ensure_private_dir(shared / "a" / "b")
    assert _mode(shared) == 0o755
    assert _mode(shared / "a") == 0o700
    assert _mode(shared / "a" / "b") == 0o700
