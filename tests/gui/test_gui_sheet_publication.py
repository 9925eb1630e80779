"""*Commissione → Stampa la mia scheda di valutazione* in a member's window and *Esporta per
la pubblicazione…* in the secretariat's ranking window: the save dialog, the
file written by the worker, the message; the publication waits for approval."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QLineEdit

from app.services.demo import DEMO_PASSPHRASE
from app.services.ranking import approve_ranking
from tests.support.gui import make_window, on_worker, open_secretariat_window, save_screenshot
from tests.support.minutes import DEMO_REASON

pytestmark = pytest.mark.gui
CALL = "MI-CC-2020"


def type_file_name(dialog: QFileDialog, path: Path) -> None:
    """Type ``path`` in the save dialog's name field and press Save, as a person would."""
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert edit is not None
    edit.setText(str(path))
    dialog.accept()


def test_a_member_prints_their_sheet_from_the_menu(qtbot, demo_copy: Path, db_worker,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    main = make_window(demo_copy / "commissario-2", db_worker)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(DEMO_PASSPHRASE)
    action = main.sheet_action  # type: ignore[attr-defined]
    assert action in main.member_menu.actions()
    assert action.text() == "&Stampa la mia scheda di valutazione…"
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    assert main.member_menu.title() == "&Commissione"

    main.member_menu.popup(main.mapToGlobal(main.menuBar().geometry().bottomLeft()))
    qtbot.waitUntil(main.member_menu.isVisible, timeout=5_000)
    save_screenshot(main.member_menu, "member-sheet-menu")
    main.member_menu.hide()

    action.trigger()
    saver = main.sheet_saver  # type: ignore[attr-defined]
    dialog = saver.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.windowTitle() == "Stampa la mia scheda di valutazione"
    assert dialog.nameFilters() == ["Documenti PDF (*.pdf)"]
    save_screenshot(dialog, "member-sheet-save-dialog")
    save_screenshot(main, "member-sheet-window")

    assert dialog.selectedFiles()[0].endswith(f"scheda-{main.call_id}.pdf")
    out = tmp_path / "scheda.pdf"
    type_file_name(dialog, out)
    qtbot.waitUntil(lambda: saver.last_message is not None, timeout=20_000)
    message = saver.last_message.text()
    assert f"Scheda individuale scritta in {out}" in message
    assert "Ultimo pacchetto inviato: SHA-256 " in message
    assert "Firmala con la tua carta" in message
    assert out.read_bytes().startswith(b"%PDF")


def test_the_ranking_window_exports_for_publication_after_approval(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, tmp_path: Path
) -> None:
    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    main.resize(1366, 768)
    actions = main.ranking  # type: ignore[attr-defined]
    actions.show_action.trigger()
    dialog = actions.ranking_dialog
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    button = dialog.publication_button
    assert button.text() == "Esporta per la &pubblicazione…"
    assert not button.isEnabled()
    assert button.toolTip() == "La graduatoria si pubblica dopo la sua approvazione."

    on_worker(qtbot, main, lambda ws: approve_ranking(ws, CALL, DEMO_REASON))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load(CALL)
    assert button.isEnabled() and button.toolTip() == ""
    dialog.resize(1366, 768)
    save_screenshot(dialog, "ranking-publication-button")

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    saver = actions.publication
    file_dialog = saver.dialog
    qtbot.waitUntil(file_dialog.isVisible, timeout=5_000)
    assert file_dialog.windowTitle() == "Esporta per la pubblicazione"
    assert file_dialog.nameFilters() == [
        "PDF per l'albo pretorio (*.pdf)",
        "CSV per la piattaforma (*.csv)",
    ]
    save_screenshot(file_dialog, "ranking-publication-save-dialog")
    out = tmp_path / "graduatoria.csv"
    type_file_name(file_dialog, out)
    qtbot.waitUntil(lambda: saver.last_message is not None, timeout=20_000)
    assert f"Graduatoria per la pubblicazione scritta in {out}" in saver.last_message.text()
    assert out.read_text(encoding="utf-8").startswith("Posizione,Codice proposta,Titolo")
