"""The secretariat's collegial-scores dialog: members' coefficients beside
the fields for the agreed value, motivation, vote and sitting; driven by the
keyboard; a refusal shown with nothing written; the ranking follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.services import ranking
from app.services.collegial import collegial_sheet
from app.ui.ranking.collegial_dialog import CollegialDialog
from tests.support.collegial import (
    ANNA,
    BRUNO,
    CARLA,
    COLLEGIAL_CALL,
    MOTIVATION,
    collegial_commission,
)
from tests.support.gui import on_worker, open_secretariat_window, save_screenshot, unnamed_controls
from tests.support.workspaces import PASSPHRASE, Template, copy_template, opened

pytestmark = pytest.mark.gui


@pytest.fixture
def office_home(empty_secretariat_template: Template, tmp_path: Path) -> Path:
    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    with opened(empty_secretariat_template, home) as ws:
        collegial_commission(ws)
    return home


def test_the_secretariat_records_a_majority_decision(  # type: ignore[no-untyped-def]
    qtbot, office_home: Path, db_worker
) -> None:
    main = open_secretariat_window(qtbot, office_home, db_worker, PASSPHRASE)
    main.call_box.setCurrentIndex(main.call_box.findData(COLLEGIAL_CALL))
    qtbot.waitUntil(lambda: main.call_id == COLLEGIAL_CALL)
    actions = main.ranking  # type: ignore[attr-defined]
    actions.show_action.trigger()
    board = actions.ranking_dialog
    qtbot.waitUntil(lambda: board.view is not None, timeout=10_000)
    assert board.collegial_button.isVisible() and board.collegial_button.isEnabled()
    assert board.view.rows == ()  # nothing agreed yet: every proposal waits
    assert board.warnings.isVisible()
    assert "non ha ancora attribuito tutti i punteggi collegiali di P001, P002, P004, P005" in (
        board.warnings.text()
    )

    qtbot.mouseClick(board.collegial_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, CollegialDialog), timeout=10_000)
    dialog: CollegialDialog = actions.dialog
    qtbot.waitUntil(lambda: dialog.sheet is not None, timeout=10_000)
    assert dialog.proposals.count() == 5  # P006 is not admissible
    assert "P001" in dialog.proposals.item(0).text() and "5 da registrare" in (
        dialog.proposals.item(0).text()
    )
    headers = [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    assert headers == ["Criterio", ANNA, BRUNO, CARLA, "Collegiale", "Voto"]
    assert [dialog.table.item(0, c).text() for c in range(1, 6)] == [
        "0,60", "1,00", "0,80", "—", "da registrare",
    ]  # fmt: skip
    assert dialog.criterion.currentData() == "innovation"
    assert unnamed_controls(dialog) == []

    # By keyboard: the value, the motivation, a majority with nobody ticked.
    dialog.value.setFocus()
    assert dialog.value.currentIndex() == -1  # nothing chosen for the commission yet
    for _step in range(5):  # 0 → 0,2 → 0,4 → 0,6 → 0,8
        qtbot.keyClick(dialog.value, Qt.Key.Key_Down)
    assert dialog.value.currentData() == "0.8"
    dialog.motivation.setFocus()
    qtbot.keyClicks(dialog.motivation, MOTIVATION)
    dialog.majority.setFocus()
    qtbot.keyClick(dialog.majority, Qt.Key.Key_Space)
    assert dialog.majority.isChecked() and dialog.dissent.isEnabled()
    dialog.record_button.setFocus()
    qtbot.keyClick(dialog.record_button, Qt.Key.Key_Space)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "indicarne almeno uno" in dialog.error.text()
    sheet = on_worker(qtbot, main, lambda ws: collegial_sheet(ws, COLLEGIAL_CALL))
    assert sheet.proposals[0].criteria[0].decision is None  # nothing written

    # Tick Bruno Galli against, then record.
    dialog.dissent.setFocus()
    dialog.dissent.setCurrentRow(1)
    qtbot.keyClick(dialog.dissent, Qt.Key.Key_Space)
    assert dialog.against() == [BRUNO]
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(dialog.record_button, Qt.Key.Key_Space)
    assert not dialog.error.isVisible()
    assert "a maggioranza (contrari: Bruno Galli), attribuisce 0,80" in dialog.message.text()
    assert dialog.table.item(0, 4).text() == "0,80"
    assert dialog.table.item(0, 5).text() == "a maggioranza (contrari: Bruno Galli)"
    assert dialog.criterion.currentData() == "impact"  # the next one to record
    assert "4 da registrare" in dialog.proposals.item(0).text()
    dialog.resize(1366, 768)
    save_screenshot(dialog, "collegial-dialog")
    view = on_worker(qtbot, main, lambda ws: ranking.ranking_view(ws, COLLEGIAL_CALL))
    decision = view.collegial[0]
    assert (decision.proposal, decision.criterion, decision.dissent) == ("P001", "innovation",
                                                                        (BRUNO,))  # fmt: skip
    dialog.close_button.click()


def test_the_call_editor_offers_the_collegial_method(  # type: ignore[no-untyped-def]
    qtbot, empty_secretariat_template, tmp_path, db_worker
) -> None:
    from app.ui.setup.call_editor import CallEditorDialog
    from tests.support.gui import make_window

    main = make_window(copy_template(empty_secretariat_template, tmp_path / "ws"), db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.new_action.trigger()
    qtbot.waitUntil(lambda: isinstance(setup.dialog, CallEditorDialog), timeout=10_000)
    editor = setup.dialog
    edits = editor.call_edits
    for key, text in (("id", "MI-CC-2021"), ("title", "Crowdfunding civico 2021"),
                      ("authority", "Comune di Milano"), ("programme", "PON Metro 2014-2020"),
                      ("project_code", "MI3.3.1.c"), ("cup", "B49J17000100006"),
                      ("programmed_amount", "550000")):  # fmt: skip
        edits[key].setText(text)
    editor.neighbourhoods.set_rows([["Corvetto"]])
    editor.areas.set_rows([["servizi educativi"]])
    editor.criteria.set_rows([["impact", "Impatto", "", "100", ""]])
    editor.matchfunding["fund"].setText("550000")
    choices = [editor.method.itemData(i) for i in range(editor.method.count())]
    assert choices == ["coefficients", "points", "collegial"]
    editor.method.setFocus()
    qtbot.keyClick(editor.method, Qt.Key.Key_End)
    assert editor.method.currentData() == "collegial"
    assert "la Commissione attribuisce un coefficiente per criterio" in editor.method_note.text()
    definition = editor.definition()
    assert definition.grid.scoring.collegial
    assert 'method = "collegial"' in definition.to_toml()
    editor.reject()
