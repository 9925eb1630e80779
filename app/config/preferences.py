"""Per-user preferences that must be readable before any workspace is unlocked.

The interface language, the list of known workspaces (folder, name, role:
nothing secret) and the sizes the windows and splitters were left at live in
a small JSON file in the user configuration folder (``VAGLIO_CONFIG_DIR``
overrides it), written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.config.files import ensure_private_dir, write_atomic
from app.config.paths import WorkspacePaths, config_dir

FILENAME = "preferences.json"


@dataclass(frozen=True)
class KnownWorkspace:
    path: str
    name: str
    role: str


@dataclass
class Preferences:
    language: str | None = None
    workspaces: list[KnownWorkspace] = field(default_factory=list)
    last_workspace: str | None = None
    # A window's or splitter's remembered layout by key: plain numbers, read
    # back only through app/ui/common/screen_fit.py, which clamps them to the
    # screen of the day.
    layouts: dict[str, list[int]] = field(default_factory=dict)

    def remember(self, path: Path, name: str, role: str) -> None:
        """Add (or refresh) a workspace in the list, most recent first."""
        key = str(path.resolve())
        self.workspaces = [KnownWorkspace(key, name, role)] + [
            w for w in self.workspaces if w.path != key
        ]

    def existing_workspaces(self) -> list[KnownWorkspace]:
        """The known workspaces whose folders still hold a workspace."""
        return [w for w in self.workspaces if WorkspacePaths(Path(w.path)).exists()]


def load() -> Preferences:
    """The preferences (defaults if the file is missing or unreadable)."""
    path = config_dir() / FILENAME
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Preferences(
            language=document.get("language"),
            workspaces=[KnownWorkspace(**item) for item in document.get("workspaces", [])],
            last_workspace=document.get("last_workspace"),
            layouts=_layouts(document.get("layouts")),
        )
    except (OSError, ValueError, TypeError):
        return Preferences()


def _layouts(document: Any) -> dict[str, list[int]]:
    """The remembered layouts that are lists of integers; anything else is dropped."""
    if not isinstance(document, dict):
        return {}
    return {
        str(key): [int(n) for n in value]
        for key, value in document.items()
        if isinstance(value, list) and all(type(n) is int for n in value)
    }


def save(preferences: Preferences) -> None:
    """Write the preferences atomically."""
    folder = config_dir()
    ensure_private_dir(folder)
    document = {
        "language": preferences.language,
        "workspaces": [asdict(w) for w in preferences.workspaces],
        "last_workspace": preferences.last_workspace,
        "layouts": preferences.layouts,
    }
    write_atomic(folder / FILENAME, (json.dumps(document, indent=2) + "\n").encode("utf-8"))


def _update(change: Callable[[Preferences], None]) -> None:
    """Load, change and save the preferences; best effort (they are a convenience)."""
    try:
        preferences = load()
        change(preferences)
        save(preferences)
    except OSError:
        pass


def remember_workspace(path: Path, name: str, role: str) -> None:
    """Record a workspace so that the application can offer it."""
    _update(lambda p: p.remember(path, name, role))


def remember_language(language: str) -> None:
    """Keep the interface language for the next start."""
    _update(lambda p: setattr(p, "language", language))


def remember_last_workspace(path: Path) -> None:
    """Keep the workspace chosen last, to offer it first next time."""
    _update(lambda p: setattr(p, "last_workspace", str(path)))


def remember_layout(key: str, numbers: list[int]) -> None:
    """Keep a window's geometry or a splitter's sizes for the next time."""
    _update(lambda p: p.layouts.__setitem__(key, [int(n) for n in numbers]))
