"""Driving the GUI in tests: a main window on a workspace, work on its worker,
screenshots for people to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def make_window(home: Path, worker: Any) -> Any:
    """A main window on the workspace in ``home``, run by ``worker`` (not shown yet)."""
    from app.ui.common.ops import Ops, WorkspaceState
    from app.ui.shell.main_window import MainWindow

    return MainWindow(Ops(worker, WorkspaceState(home)))


def on_worker(qtbot: Any, main: Any, op: Callable[[Any], Any]) -> Any:
    """Run ``op(workspace)`` through the window's op runner and wait for its result."""
    box: dict[str, Any] = {}
    main.ops.run(None, op, lambda r: box.setdefault("result", r), lambda e: box.setdefault("e", e))
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    if "e" in box:
        raise box["e"]
    return box["result"]


def save_screenshot(widget: object, name: str) -> Path:
    """Grab ``widget`` into tests/artifacts/NAME.png (git-ignored) for people to look at."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # pending layout passes, as a person would see them
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path
