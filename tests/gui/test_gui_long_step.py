"""The long-step dialog: progress text from the worker, a Stop that sets the
flag and waits for the worker, Esc and the close box that stop instead of
abandoning the work, and the result or the refusal after the dialog closed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from app.i18n import _
from app.services.steps import Cancel, StepStoppedError
from app.ui.common.long_step import LongStepDialog
from app.ui.common.ops import Ops, WorkspaceState

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(db_worker, tmp_path: Path) -> Ops:  # type: ignore[no-untyped-def]
    state = WorkspaceState(tmp_path / "unused")
    state._workspace = object()  # type: ignore[assignment]  # the op below needs none
    return Ops(db_worker, state)


def test_progress_shows_and_stop_waits_for_the_worker(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    dialog = LongStepDialog(None, "Prova", "Inizio…")
    qtbot.addWidget(dialog)
    reached = threading.Event()
    outcomes: list[Any] = []

    def step(_ws: object, progress: Any, cancel: Cancel) -> str:
        progress("Unità 1 di 3…")
        reached.set()
        for _tick in range(500):  # until stopped, at most 5 s
            try:
                cancel.wait(0.01)
            except Exception:
                raise StepStoppedError("Prova") from None
        return "finished"

    dialog.start(ops, step, outcomes.append, outcomes.append)
    assert reached.wait(10)
    qtbot.waitUntil(lambda: dialog.text.text() == "Unità 1 di 3…", timeout=5_000)
    assert dialog.isVisible() and dialog.stop_button.isEnabled()
    dialog.reject()  # Esc: stops, does not abandon the work
    assert dialog.isVisible()
    assert not dialog.stop_button.isEnabled()
    assert dialog.text.text() == _("Stopping…")
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert not dialog.isVisible()
    assert isinstance(outcomes[0], StepStoppedError)
    assert str(outcomes[0]) == _("{step} stopped: {outcome}").format(
        step="Prova", outcome=_("nothing was written.")
    )


def test_the_result_arrives_after_the_dialog_closed(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    dialog = LongStepDialog(None, "Prova", "Inizio…")
    qtbot.addWidget(dialog)
    seen: list[tuple[str, bool]] = []
    dialog.start(ops, lambda _ws, _p, _c: "ok", lambda r: seen.append((r, dialog.isVisible())))
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [("ok", False)]
