"""The GUI's op runner: use cases on the worker, callbacks only for widgets that
still exist, one style for refusals, a log for bugs, changes broadcast."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import VaglioError
from app.services.changes import Changes
from app.services.unlocking import LockedError
from app.ui.common import failure
from app.ui.common.ops import Ops, WorkspaceState, changes_of

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(db_worker, tmp_path: Path) -> Ops:  # type: ignore[no-untyped-def]
    return Ops(db_worker, WorkspaceState(tmp_path / "nowhere"))


def wait_idle(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: ops.worker.pending == 0, timeout=10_000)


def test_a_callback_is_dropped_when_the_widget_that_asked_is_gone(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    called: list[object] = []
    closed = threading.Event()

    def job() -> str:
        closed.wait(10)  # the dialog is closed while its work runs
        return "done"

    ops.run_free(widget, job, called.append, called.append)
    shiboken6.delete(widget)
    closed.set()
    wait_idle(qtbot, ops)
    QApplication.processEvents()
    assert called == []
    # A widget that is still there is called back.
    alive = QWidget()
    qtbot.addWidget(alive)
    ops.run_free(alive, lambda: "done", called.append)
    qtbot.waitUntil(lambda: called == ["done"], timeout=10_000)


def test_what_a_use_case_changed_is_broadcast(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(ops.changed, timeout=10_000) as signal:
        ops.run_free(None, lambda: ("view", Changes(scores=True)))
    assert signal.args == [Changes(scores=True)]
    assert changes_of(("a", Changes(calls=True), Changes(proposals=True))) == Changes(
        calls=True, proposals=True
    )
    assert not changes_of("nothing").any()


def test_work_without_an_unlocked_workspace_is_refused_quietly(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    failed: list[BaseException] = []
    ops.run(None, lambda ws: ws, failed=failed.append)
    wait_idle(qtbot, ops)
    QApplication.processEvents()
    assert failed == []  # queued before a lock: nothing to tell
    with pytest.raises(LockedError):
        ops.state.workspace()


def test_a_refusal_without_its_own_handler_is_shown_in_one_warning(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)

    def refuse() -> None:
        raise VaglioError("Nessuna seduta registrata.")

    ops.run_free(parent, refuse)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in parent.findChildren(QMessageBox)
        ),
        timeout=10_000,
    )
    box = parent.findChildren(QMessageBox)[0]
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "Nessuna seduta registrata."
    box.close()


def test_a_bug_is_logged_with_its_traceback_and_the_dialog_gives_the_log(qtbot) -> None:  # type: ignore[no-untyped-def]
    path = failure.configure_logging()
    assert path is not None and path.parent == Path(os.environ["VAGLIO_LOG_DIR"])
    try:
        raise KeyError("chiave inattesa")
    except KeyError as error:
        box = failure.report(None, error)
    assert box.icon() == QMessageBox.Icon.Critical
    assert "errore imprevisto" in box.text()
    assert box.informativeText() == f"File di registro: {path}"
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "KeyError: 'chiave inattesa'" in logged
    assert "Traceback" in logged
    box.close()


def test_the_excepthook_routes_an_escaped_exception_to_the_log(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[BaseException] = []
    monkeypatch.setattr(failure, "show_unexpected", lambda _context, error: shown.append(error))
    previous = sys.excepthook
    try:
        failure.install_excepthook()
        error = RuntimeError("in uno slot")
        sys.excepthook(RuntimeError, error, None)
    finally:
        sys.excepthook = previous
    assert shown == [error]
