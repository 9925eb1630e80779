"""The member's declarations on one page, to review before submitting
(pytest-qt, offscreen): every proposal, the keyboard, the file import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import declarations
from app.ui.desk.declarations_dialog import DeclarationsDialog
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, save_screenshot, texts, unnamed_controls
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template, opened

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)
REASON = "Ho lavorato per il proponente nel 2019."


@pytest.fixture
def window(qtbot, member_template: Template, member_home: Path, db_worker):  # type: ignore[no-untyped-def]
    with opened(member_template, member_home) as ws:
        declarations.declare_general(ws, CALL_ID)
        declarations.declare_proposal(ws, CALL_ID, "P001", conflict=False)
        declarations.declare_proposal(
            ws, CALL_ID, "P002", conflict=True, category="professional", reason=REASON
        )
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    return main


def open_declarations(qtbot, main: MainWindow) -> DeclarationsDialog:  # type: ignore[no-untyped-def]
    exchange = main.exchange
    assert exchange is not None
    action = exchange.declarations_action
    assert action.isVisible() and action.text() == "Le mie &dichiarazioni…"
    assert action.shortcut().toString() == "Ctrl+Shift+R"
    action.trigger()
    dialog = exchange.declarations
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    return dialog  # type: ignore[no-any-return]


def test_every_proposal_with_its_declaration(  # type: ignore[no-untyped-def]
    qtbot, window, tmp_path: Path, qtmodeltester
) -> None:
    dialog = open_declarations(qtbot, window)
    qtmodeltester.check(dialog.model)
    assert dialog.windowTitle() == f"Le mie dichiarazioni — {CALL_ID}"
    model = dialog.model
    assert texts(model, 0) == ["P001", "P002", "P003", "P004", "P005", "P006"]
    assert texts(model, 2) == [
        "nessun conflitto", "CONFLITTO: rapporto professionale", "⚠ non ancora dichiarata",
        "⚠ non ancora dichiarata", "⚠ non ancora dichiarata", "non dichiarata (non ammissibile)",
    ]  # fmt: skip
    assert texts(model, 3)[1] == REASON
    assert set(texts(model, 5)) == {"non ancora inviata"}
    assert dialog.summary.text() == (
        "6 proposte: 1 senza conflitto, 1 con conflitto, 3 ancora da dichiarare."
    )
    assert unnamed_controls(dialog) == []

    # The keyboard: the list has the focus; Down then Enter opens P002 on the desk.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog or dialog.isActiveWindow())
    dialog.table.setFocus()
    assert dialog.current_proposal() == "P001"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.current_proposal() == "P002"
    with qtbot.waitSignal(dialog.open_requested) as opened_signal:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened_signal.args == ["P002"]
    qtbot.waitUntil(lambda: window.current_proposal == "P002", timeout=10_000)

    # A file with a problem: refused whole, said in the dialog, nothing changed.
    bad = tmp_path / "bad.csv"
    bad.write_text("proposal,conflict,category,reason\nP003,no,,\nP004,forse,,\n")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.import_path(bad)
    assert dialog.error.isVisible()
    assert "riga 3, colonna conflict: scrivere sì (o yes) oppure no" in dialog.error.text()
    assert texts(model, 2)[2] == "⚠ non ancora dichiarata"

    good = tmp_path / "d.csv"
    good.write_text(
        "proposal;conflict;category;reason\nP003;no;;\nP004;no;;\n"
        "P005;sì;economic;Fornitore dell'impresa sociale.\n",
        encoding="utf-8-sig",
    )
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.import_path(good)
    assert not dialog.error.isVisible()
    assert texts(model, 2)[2:5] == ["nessun conflitto", "nessun conflitto",
                                    "CONFLITTO: interesse economico"]  # fmt: skip
    assert dialog.import_result.text() == "Importate dal file: 3 dichiarazioni, 3 nuove o cambiate."
    assert "0 ancora da dichiarare" in dialog.summary.text()
    # The desk heard of it: P005 is now in conflict there too.
    qtbot.waitUntil(
        lambda: window.model.row_at(window.model.row_of("P005")).status == "conflicted",
        timeout=10_000,
    )
    # The reload the import's changes asked for keeps the result on show.
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("6 proposte: 3 senza"))
    assert dialog.import_result.isVisible()
    dialog.resize(*SCREEN)
    save_screenshot(dialog, "member-declarations")
    dialog.reject()
