"""The evaluation sheet as XLSX in a member's window (issue 15, item 7):
export from the menu, fill it as in any spreadsheet, import it back with a
preview; a bad file shows each problem on its own line and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QLineEdit

from app.services.demo import DEMO_PASSPHRASE
from app.services.member_desk import score_sheet
from tests.support.gui import make_window, on_worker, save_screenshot

pytestmark = pytest.mark.gui
WHY = "Riletta la proposta: il piano di quartiere è più solido di quanto sembrava."


def choose_file(dialog: QFileDialog, path: Path) -> None:
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert edit is not None
    edit.setText(str(path))
    dialog.accept()


def open_member(qtbot: Any, home: Path, db_worker: Any) -> Any:
    main = make_window(home, db_worker)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(DEMO_PASSPHRASE)
    return main


def change_first_scored_row(source: Path, target: Path, value: object) -> tuple[str, str, Any]:
    """Give the first scored row another value (and a motivation); return its keys."""
    workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[5].value is not None:
            old = row[5].value
            row[5].value = value if value is not None else (0.2 if old != 0.2 else 0.4)
            row[6].value = WHY
            workbook.save(target)
            return str(row[0].value), str(row[2].value), row[5].value
    raise AssertionError("no scored row in the demo member's sheet")


def test_a_member_exports_fills_and_imports_the_sheet(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, tmp_path: Path
) -> None:
    main = open_member(qtbot, demo_copy / "commissario-2", db_worker)
    workbook = main.sheet_workbook
    assert workbook.export_action in main.member_menu.actions()
    assert workbook.export_action.text() == "E&sporta la mia scheda di valutazione (XLSX)…"
    assert workbook.export_action.shortcut() == QKeySequence("Ctrl+Shift+W")
    assert workbook.import_action.shortcut() == QKeySequence("Ctrl+Shift+U")

    workbook.export_action.trigger()
    saver = workbook.saver
    qtbot.waitUntil(saver.dialog.isVisible, timeout=5_000)
    assert saver.dialog.nameFilters() == ["XLSX (*.xlsx)"]
    exported = tmp_path / "scheda.xlsx"
    choose_file(saver.dialog, exported)
    qtbot.waitUntil(lambda: saver.last_message is not None, timeout=20_000)
    assert f"Scheda di valutazione scritta in {exported}" in saver.last_message.text()
    saver.last_message.close()

    filled = tmp_path / "compilata.xlsx"
    proposal, criterion, value = change_first_scored_row(exported, filled, None)
    workbook.import_action.trigger()
    qtbot.waitUntil(workbook.file_dialog.isVisible, timeout=5_000)
    choose_file(workbook.file_dialog, filled)
    dialog = workbook.dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=15_000)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == proposal
    assert "Punteggi che cambiano: 1." in dialog.summary.text()
    save_screenshot(dialog, "sheet-workbook-preview")
    # Previewed, not written.
    before = on_worker(qtbot, main, lambda ws: score_sheet(ws, main.call_id, proposal))
    assert {c.rule.key: c.value for c in before.criteria}[criterion] != Decimal(str(value))

    assert dialog.table.item(0, 3).text() == "riscritta"
    with qtbot.waitSignal(dialog.imported, timeout=15_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    after = on_worker(qtbot, main, lambda ws: score_sheet(ws, main.call_id, proposal))
    scored = {c.rule.key: c for c in after.criteria}[criterion]
    assert (scored.value, scored.justification) == (Decimal(str(value)), WHY)
    assert (
        "Scheda di valutazione importata. Punteggi registrati: 1;"
        in main.statusBar().currentMessage()
    )


def test_a_bad_sheet_lists_every_problem_and_writes_nothing(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, tmp_path: Path
) -> None:
    main = open_member(qtbot, demo_copy / "commissario-2", db_worker)
    workbook = main.sheet_workbook
    exported = tmp_path / "scheda.xlsx"
    on_worker(qtbot, main, lambda ws: __import__(
        "app.services.sheet_workbook", fromlist=["x"]).export_sheet_workbook(
            ws, main.call_id, exported))  # fmt: skip
    filled = tmp_path / "sbagliata.xlsx"
    proposal, _criterion, _value = change_first_scored_row(exported, filled, 0.5)
    before = on_worker(qtbot, main, lambda ws: score_sheet(ws, main.call_id, proposal))

    dialog = workbook.preview(filled)
    qtbot.waitUntil(dialog.problems.isVisible, timeout=15_000)
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(lines) == 1
    assert "colonna valore" in lines[0] and "0,5" in lines[0]
    assert "non è stato importato nulla" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.toolTip() == "Correggi il file e sceglilo di nuovo."
    save_screenshot(dialog, "sheet-workbook-refused")
    after = on_worker(qtbot, main, lambda ws: score_sheet(ws, main.call_id, proposal))
    assert after == before
