"""This user's preferences outside any workspace, and where workspaces are:
what the screens and the command line need before anything is unlocked."""

from __future__ import annotations

from pathlib import Path

from app.config import preferences as _preferences
from app.config.paths import WorkspacePaths, default_home
from app.config.paths import log_dir as log_folder
from app.config.preferences import KnownWorkspace, Preferences

__all__ = [
    "KnownWorkspace",
    "Preferences",
    "default_home",
    "known_workspaces",
    "load_preferences",
    "log_folder",
    "remember_language",
    "remember_last_workspace",
    "remember_layout",
    "remember_workspace",
    "remembered_layout",
    "workspace_exists",
]

load_preferences = _preferences.load
remember_workspace = _preferences.remember_workspace
remember_language = _preferences.remember_language
remember_last_workspace = _preferences.remember_last_workspace
remember_layout = _preferences.remember_layout


def remembered_layout(key: str) -> list[int] | None:
    """The numbers kept under ``key`` by :func:`remember_layout`, if any."""
    return load_preferences().layouts.get(key)


def workspace_exists(home: Path) -> bool:
    """Whether ``home`` holds a workspace (its database and its key slots)."""
    return WorkspacePaths(home).exists()


def known_workspaces() -> list[KnownWorkspace]:
    """The workspaces this user opened before that still exist, and the default
    folder's if it holds one: what the start of the application offers."""
    known = load_preferences().existing_workspaces()
    default = default_home()
    if workspace_exists(default) and str(default.resolve()) not in {w.path for w in known}:
        known.append(KnownWorkspace(str(default.resolve()), default.name, ""))
    return known
