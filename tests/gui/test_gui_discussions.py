"""The discussion screen (pytest-qt, offscreen): every dispersion flag with
the members' values and what was recorded of it, reached from the ranking
window; recording an outcome by keyboard; a refusal said in the screen with
nothing recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services.discussions import list_flags
from app.ui.ranking.discussion_dialog import DiscussionDialog
from tests.support.gui import on_worker, open_secretariat_window, save_screenshot, unnamed_controls

pytestmark = pytest.mark.gui
CALL = "MI-CC-2020"


def _rows(dialog: DiscussionDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_flags_and_their_discussions(qtbot, demo_copy: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    actions = main.ranking  # type: ignore[attr-defined]
    actions.show_action.trigger()
    ranking = actions.ranking_dialog
    qtbot.waitUntil(lambda: ranking.view is not None, timeout=10_000)
    qtbot.mouseClick(ranking.discussion_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, DiscussionDialog), timeout=10_000)
    dialog = actions.dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=20_000)
    dialog.resize(1366, 768)
    rows = _rows(dialog)
    p002 = next(r for r in rows if r[0] == "P002")
    assert p002[1] == "Sostenibilità economica e fattibilità"
    assert "Elena Colombo 0,20" in p002[2] and p002[3] == "0,80"
    assert p002[4].startswith("confermati nella seduta del ")
    assert sum(r[4] == "segnalato, non discusso" for r in rows) == len(rows) - 1
    assert dialog.sitting.count() == 2 and dialog.sitting.currentIndex() == 1  # the latest
    assert unnamed_controls(dialog) == []

    # An empty note: refused in the screen, nothing recorded.
    before = on_worker(qtbot, main, lambda ws: list_flags(ws, CALL))
    dialog.table.setFocus()
    dialog.table.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    target = rows[dialog.table.currentRow()]
    assert target[4] == "segnalato, non discusso"
    dialog.record_button.click()
    qtbot.waitUntil(lambda: "breve nota" in dialog.status.text(), timeout=10_000)
    assert on_worker(qtbot, main, lambda ws: list_flags(ws, CALL)) == before

    # By keyboard: revised, in the first sitting, with a note.
    dialog.revised.setFocus()
    qtbot.keyClick(dialog.revised, Qt.Key.Key_Space)
    assert dialog.revised.isChecked()
    dialog.sitting.setFocus()
    qtbot.keyClick(dialog.sitting, Qt.Key.Key_Up)
    assert dialog.sitting.currentIndex() == 0
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "Un componente ha rivisto il valore dopo il confronto.")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog.record_button, Qt.Key.Key_Space)
    rows = _rows(dialog)
    done = next(r for r in rows if r[:2] == target[:2])
    assert done[4].startswith("rivisto da un componente nella seduta del ")
    assert done[4].endswith("Un componente ha rivisto il valore dopo il confronto.")
    assert dialog.status.text() == "Discussione registrata."
    assert dialog.sitting.currentIndex() == 0  # the sitting chosen stays chosen
    assert "09:30–12:30 — in presenza: Palazzo Marino" in dialog.sitting.currentText()
    save_screenshot(dialog, "ranking-discussions")
    flags = on_worker(qtbot, main, lambda ws: list_flags(ws, CALL))
    recorded = next(f for f in flags if f.criterion_title == target[1] and f.proposal == target[0])
    assert [(d.outcome, d.sitting) for d in recorded.discussions] == [("revised", 1)]
    dialog.done(QDialog.DialogCode.Rejected)
