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


def open_secretariat_window(qtbot: Any, home: Path, worker: Any, passphrase: str = "") -> Any:
    """A secretariat's window, unlocked (the demo's passphrase by default), with its call."""
    from app.services.demo import DEMO_PASSPHRASE

    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(passphrase or DEMO_PASSPHRASE)
    setup = main.call_setup  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: setup.status is not None, timeout=10_000)
    return main


def texts(model: Any, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def unnamed_controls(root: Any) -> list[str]:
    """Visible controls with neither an accessible name, a text nor a label."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QTabWidget,
        QWidget,
    )

    labelled = {label.buddy() for label in root.findChildren(QLabel) if label.buddy() is not None}
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTableView,
             QTabWidget)  # fmt: skip
    return [
        f"{type(widget).__name__} {widget.objectName()}"
        for widget in root.findChildren(QWidget)
        if isinstance(widget, kinds)
        and widget.isVisibleTo(root)
        and type(widget).__name__ not in ("QToolButton", "QScrollBar")
        and not isinstance(widget.parent(), QAbstractSpinBox)  # its editor: the box is named
        and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and widget not in labelled
    ]
