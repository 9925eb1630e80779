"""Where things live on this machine: the workspace folder and its files, the
preferences, the logs.

``--home DIR`` or ``VAGLIO_HOME`` choose the workspace folder; otherwise it is
the per-OS user data folder (platformdirs). The folder holds:

- ``vaglio.db`` (and ``-wal``, ``-shm``): the SQLCipher database;
- ``keyslots.json``: the wrapped database key, once per key slot;
- ``backups/``: encrypted copies made before each migration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "vaglio.db"
KEYSLOTS_NAME = "keyslots.json"
BACKUPS_NAME = "backups"


def default_home() -> Path:
    """``VAGLIO_HOME`` if set, otherwise the user data folder for Vaglio."""
    override = os.environ.get("VAGLIO_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("Vaglio", appauthor=False)


def config_dir() -> Path:
    """Where the preferences file lives (``VAGLIO_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("VAGLIO_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("Vaglio", appauthor=False)


def log_dir() -> Path:
    """Where the application writes its log (``VAGLIO_LOG_DIR`` overrides it)."""
    override = os.environ.get("VAGLIO_LOG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_log_path

    return user_log_path("Vaglio", appauthor=False)


@dataclass(frozen=True)
class WorkspacePaths:
    """The files of the workspace in ``home``."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / DB_NAME

    @property
    def keyslots(self) -> Path:
        return self.home / KEYSLOTS_NAME

    @property
    def backups(self) -> Path:
        return self.home / BACKUPS_NAME

    def sidecars(self) -> list[Path]:
        """The database's WAL and shared-memory files."""
        return [self.home / f"{DB_NAME}-wal", self.home / f"{DB_NAME}-shm"]

    def exists(self) -> bool:
        """True if a workspace (database and key slots) is present."""
        return self.database.is_file() and self.keyslots.is_file()
