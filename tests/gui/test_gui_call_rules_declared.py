"""The call editor's choices for the rules of issue 13: two-stage re-scaling,
the rounding of totals, ex aequo ties and the order of submission in the tie
cascade, saved into the call's definition (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import calls
from app.ui.setup.call_editor import TAB_SCORING, CallEditorDialog
from tests.support.gui import on_worker, open_secretariat_window, save_screenshot
from tests.support.workspaces import CALL_ID, PASSPHRASE

pytestmark = pytest.mark.gui


def choose(combo, code: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def test_the_editor_saves_the_declared_rules(qtbot, secretariat_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.edit_action.trigger()
    qtbot.waitUntil(
        lambda: isinstance(setup.dialog, CallEditorDialog) and setup.dialog.isVisible(),
        timeout=10_000,
    )
    editor = setup.dialog
    # A call saved before these rules shows their defaults.
    assert editor.rounding.currentData() == "total_of_unrounded"
    assert editor.ties.currentData() == "full_order"
    assert [editor.rescale.itemData(i) for i in range(editor.rescale.count())] == [
        "none", "criterion", "total", "criterion_then_total",
    ]  # fmt: skip
    assert editor.rounding.itemText(1) == "somma dei punteggi arrotondati dei criteri"
    choose(editor.rescale, "criterion_then_total")
    choose(editor.rounding, "sum_of_rounded")
    choose(editor.ties, "ex_aequo")
    editor.tie_break.add_entry("submission_order")
    assert editor.tie_break.entries()[-2:] == ["submission_order", "lottery"]
    editor.resize(1366, 768)
    editor.tabs.setCurrentIndex(TAB_SCORING)
    save_screenshot(editor, "call-editor-declared-rules")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    grid = on_worker(qtbot, main, lambda ws: calls.call_view(ws, CALL_ID)).grid
    assert (grid.rescale, grid.rounding, grid.ties) == (
        "criterion_then_total",
        "sum_of_rounded",
        "ex_aequo",
    )
    assert grid.tie_break[-2:] == ("submission_order", "lottery")
