"""Sub-criteria in the GUI (pytest-qt, offscreen, 1366x768): the call editor
adds them to a criterion, refuses parts that do not add up and takes the
keyboard to the row; the member's desk scores a sub-criterion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import calls
from app.ui.setup.call_editor import CallEditorDialog
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, on_worker, save_screenshot
from tests.support.subcriteria import LEAF_KEYS, member_with_subcriteria_call
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template, copy_template

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)
WHY = "Destinatari ben individuati, con numeri credibili."


def open_window(qtbot, home: Path, worker) -> MainWindow:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    main.resize(*SCREEN)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    setup = main.call_setup  # type: ignore[attr-defined]
    if main.call_id is not None:
        qtbot.waitUntil(lambda: setup.status is not None, timeout=10_000)
    return main


def opened_dialog(qtbot, main: MainWindow, kind: type) -> Any:  # type: ignore[no-untyped-def]
    setup = main.call_setup  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: isinstance(setup.dialog, kind) and setup.dialog.isVisible(), timeout=10_000
    )
    return setup.dialog


def press(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, key)


def status_of(main: MainWindow, proposal: str) -> str:
    model = main.model
    return model.row_at(model.row_of(proposal)).status  # type: ignore[no-any-return]


def test_the_editor_adds_sub_criteria_to_a_criterion(qtbot, secretariat_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, secretariat_home, db_worker)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.edit_action.trigger()
    editor = opened_dialog(qtbot, main, CallEditorDialog)
    editor.resize(*SCREEN)
    editor.tabs.setCurrentIndex(2)
    rows = editor.criteria.rows()
    impact = next(i for i, row in enumerate(rows) if row[0] == "impact")
    assert len(rows[impact]) == 6 and rows[impact][5] == ""
    # Two parts of "impact" at the end of the table, typed as a person would.
    editor.criteria.add_row(["recipients", "Destinatari raggiunti", "", "15", "6", "impact"])
    editor.criteria.add_row(["measurability", "Misurabilità dell'impatto", "", "10", "", "impact"])
    # The total counts the criteria only: the parts are inside "impact".
    assert "5 criteri" in editor.total.text() and "100,00" in editor.total.text()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(editor.problem_keys), timeout=10_000)
    assert editor.problem_keys == ["criteria[1].sub"]
    assert editor.isVisible()
    save_screenshot(editor, "call-editor-subcriteria-refused")
    # Activating the problem takes the keyboard to the criterion's max points.
    editor._go_to_problem(0)
    table = editor.criteria.table
    assert (table.currentRow(), table.currentColumn()) == (impact, 3)
    # Nothing was saved.
    view = on_worker(qtbot, main, lambda ws: calls.call_view(ws, CALL_ID))
    assert not view.grid.has_subcriteria
    last = len(editor.criteria.rows()) - 1
    editor.criteria.set_cell(last, 3, "15")
    save_screenshot(editor, "call-editor-subcriteria")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    view = on_worker(qtbot, main, lambda ws: calls.call_view(ws, CALL_ID))
    impact_rule = view.grid.criterion("impact")
    assert impact_rule is not None
    assert [(s.key, str(s.max_points)) for s in impact_rule.sub] == [
        ("recipients", "15"),
        ("measurability", "15"),
    ]
    assert view.grid.leaf_keys == LEAF_KEYS


def test_an_unknown_parent_key_is_named(qtbot, secretariat_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, secretariat_home, db_worker)
    main.call_setup.edit_action.trigger()  # type: ignore[attr-defined]
    editor = opened_dialog(qtbot, main, CallEditorDialog)
    editor.criteria.add_row(["recipients", "Destinatari", "", "15", "", "impatto"])
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(editor.problem_keys), timeout=10_000)
    assert "criteria[5].parent" in editor.problem_keys
    # Named as the form labels it, not by the definition's key.
    line = editor.problems.texts()[editor.problem_keys.index("criteria[5].parent")]
    assert line == "Criterio 6, Sotto-criterio di: non è la chiave di un criterio della griglia"


@pytest.fixture(scope="module")
def subcriteria_member(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return member_with_subcriteria_call(tmp_path_factory.mktemp("sub"))


def test_the_desk_scores_a_sub_criterion(
    qtbot, subcriteria_member, tmp_path: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    home = copy_template(subcriteria_member, tmp_path / "member")
    window = make_window(home, db_worker)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    with qtbot.waitSignal(window.proposals_loaded, timeout=10_000):
        window.show()
        window.start(PASSPHRASE)
    window.desk.make_general_declaration()
    qtbot.waitUntil(lambda: getattr(window.desk, "general_dialog", None) is not None)
    dialog = window.desk.general_dialog
    dialog.confirm.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: not window.banner.isVisibleTo(window), timeout=10_000)
    window.table.selectRow(window.model.row_of("P001"))
    window.evaluation_tab_action.trigger()
    pane = window.desk.pane
    qtbot.waitUntil(lambda: pane.sheet is not None and pane.sheet.proposal_id == "P001")
    form = pane.conflict_form
    qtbot.waitUntil(lambda: pane.currentWidget() is form)
    form.no_conflict.setChecked(True)
    form.submit.click()
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    score_form = pane.score_form
    # One editor per leaf: the sub-criteria, never "impact" itself.
    assert tuple(score_form.editors) == LEAF_KEYS
    recipients = score_form.editors["recipients"]
    labels = " ".join(label.text() for label in recipients.findChildren(type(form.error)))
    assert "Sotto-criterio di «Impatto sociale sul territorio e sui destinatari»" in labels
    # Offscreen, closing a dialog leaves no active window; a desktop would
    # give the focus back to the main window.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    recipients.buttons[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is recipients.buttons[0])
    press(qtbot, Qt.Key.Key_4)  # 0,8 of 15 points
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is recipients.motivation
    qtbot.keyClicks(recipients.motivation, WHY)
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: status_of(window, "P001") == "partial", timeout=10_000)
    qtbot.waitUntil(lambda: "12,00 su 100" in score_form.total_label.text(), timeout=10_000)
    save_screenshot(window, "member-score-subcriterion")
    from app.services.member_desk import score_sheet

    sheet = on_worker(qtbot, window, lambda ws: score_sheet(ws, CALL_ID, "P001"))
    given = {c.rule.key: (c.value, c.justification) for c in sheet.criteria}
    assert str(given["recipients"][0]) == "0.8" and given["recipients"][1] == WHY


def test_the_editor_form_keeps_sub_criteria_through_a_round_trip() -> None:
    import tomllib

    from app.models.definition import CallDefinition, parse_call_definition
    from app.ui.setup.call_form import criteria_places, from_document, to_document
    from tests.support.subcriteria import SUBCRITERIA_CALL

    form = from_document(tomllib.loads(SUBCRITERIA_CALL))
    assert [(row["key"], row["parent"]) for row in form.criteria][1:4] == [
        ("impact", ""),
        ("recipients", "impact"),
        ("measurability", "impact"),
    ]
    assert criteria_places(form)["criteria[1].sub[1]"] == 3
    assert criteria_places(form)["criteria[2]"] == 4
    again = CallDefinition.from_document(to_document(form))
    assert again.grid == parse_call_definition(SUBCRITERIA_CALL).grid
