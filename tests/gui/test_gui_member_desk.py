"""A commission member's whole review, with the keyboard only (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget as QWidget_

from app.services import declarations, scores
from app.ui.proposals.proposal_model import DeskTableModel
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, save_screenshot
from tests.support.workspaces import PASSPHRASE

pytestmark = pytest.mark.gui
WHY = "Progetto ben radicato nel quartiere, con partner credibili."


def focused():  # type: ignore[no-untyped-def]
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    widget = focused()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, key, modifier)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(), text)


@pytest.fixture
def window(qtbot, member_home: Path, db_worker):  # type: ignore[no-untyped-def]
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    activate(qtbot, main)
    main.table.setFocus()
    return main


def status_of(main: MainWindow, proposal: str) -> str:
    model = main.model
    return model.row_at(model.row_of(proposal)).status  # type: ignore[no-any-return]


def activate(qtbot, main: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # Offscreen, closing a dialog leaves no active window; a desktop would
    # give the focus back to the main window.
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)


def select(qtbot, main: MainWindow, proposal: str) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, main)
    main.table.setFocus()
    row = main.model.row_of(proposal)
    while main.model.row_of(main.current_proposal or "") != row:
        current = main.model.row_of(main.current_proposal or "")
        press(qtbot, Qt.Key.Key_Down if current < row else Qt.Key.Key_Up)
    pane = main.desk.pane  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: pane.sheet is not None and pane.sheet.proposal_id == proposal)


def test_general_declaration_first(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.model)
    assert isinstance(window.model, DeskTableModel)
    assert window.banner.isVisibleTo(window)
    assert "valutate: 0 su 5" in window.progress_label.text()
    # The evaluation tab asks for the general declaration before anything.
    # (The member's own order is shuffled: start from an admissible proposal.)
    select(qtbot, window, "P001")
    press(qtbot, Qt.Key.Key_Return)
    pane = window.desk.pane
    qtbot.waitUntil(lambda: pane.sheet is not None)
    assert pane.currentWidget() is pane.message_page
    assert "dichiarazione generale" in pane.message.text()
    save_screenshot(window, "member-before-general-declaration")

    press(
        qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: getattr(window.desk, "general_dialog", None) is not None)
    dialog = window.desk.general_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "35-bis" in dialog.browser.toPlainText()
    save_screenshot(dialog, "member-general-declaration")
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Space)
    assert dialog.ok.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.banner.isVisibleTo(window), timeout=10_000)
    # The selected proposal now asks for its own declaration.
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.conflict_form)


def declare_general(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.desk.make_general_declaration()
    qtbot.waitUntil(lambda: getattr(window.desk, "general_dialog", None) is not None)
    dialog = window.desk.general_dialog
    dialog.confirm.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: not window.banner.isVisibleTo(window), timeout=10_000)


def test_declare_then_score_every_criterion_by_keyboard_then_undo_redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    declare_general(qtbot, window)
    select(qtbot, window, "P001")
    press(qtbot, Qt.Key.Key_Return)  # to the evaluation tab
    pane = window.desk.pane
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.conflict_form)
    form = pane.conflict_form
    assert form.facts["applicant"].text() == "Cooperativa sociale Il Ponte"
    assert form.facts["tax_code"].text() == "01234560157"
    assert "Parrocchia San Giovanni" in form.facts["partners"].text()
    save_screenshot(window, "member-conflict-declaration")
    qtbot.waitUntil(lambda: focused() is form.no_conflict)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Registra
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    assert status_of(window, "P001") == "to_score"

    # Keyboard only: a digit picks the level, Tab goes to the motivation, Tab to
    # the next criterion.
    score_form = pane.score_form
    qtbot.waitUntil(lambda: focused() in score_form.editors["innovation"].buttons)
    for key in ("innovation", "impact", "coherence", "sustainability", "community"):
        editor = score_form.editors[key]
        assert focused() in editor.buttons, key
        press(qtbot, Qt.Key.Key_4)  # level 4: 0,8
        assert editor.value() is not None and str(editor.value()) == "0.8"
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is editor.motivation
        type_text(qtbot, WHY)
        press(qtbot, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: status_of(window, "P001") == "complete", timeout=10_000)
    assert "80,00 su 100" in score_form.total_label.text()
    save_screenshot(window, "member-score-form")

    # Undo the last motivation, then the last level; redo both.
    community = score_form.editors["community"]
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: community.text() == "")
    qtbot.waitUntil(lambda: status_of(window, "P001") == "partial", timeout=10_000)
    assert window.undo_action.isEnabled()
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: community.value() is None)
    qtbot.waitUntil(lambda: "72,00 su 100" in score_form.total_label.text(), timeout=10_000)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_Z, redo)
    press(qtbot, Qt.Key.Key_Z, redo)
    qtbot.waitUntil(lambda: community.text() == WHY)
    qtbot.waitUntil(lambda: status_of(window, "P001") == "complete", timeout=10_000)
    assert "80,00 su 100" in score_form.total_label.text()
    assert window.redo_action.text().startswith("&Ripristina") or not window.redo_action.isEnabled()


def test_conflicted_and_inadmissible_proposals_show_no_form(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    declare_general(qtbot, window)
    pane = window.desk.pane
    select(qtbot, window, "P006")
    # The page may first show the sheet loaded before the declaration was saved.
    qtbot.waitUntil(
        lambda: (
            pane.currentWidget() is pane.message_page and "non è ammissibile" in pane.message.text()
        ),
        timeout=10_000,
    )
    select(qtbot, window, "P002")
    window.evaluation_tab_action.trigger()
    form = pane.conflict_form
    qtbot.waitUntil(lambda: pane.currentWidget() is form)
    form.conflict.setChecked(True)
    form.category.setCurrentIndex(form.category.findData("professional"))
    form.submit.click()
    assert "perché" in form.error.text()  # a reason is required
    form.reason.setPlainText("Ho lavorato per la fondazione fino al 2019.")
    form.submit.click()
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.message_page, timeout=10_000)
    assert "rapporto professionale" in pane.message.text()
    assert pane.currentWidget() is not pane.score_form
    qtbot.waitUntil(lambda: status_of(window, "P002") == "conflicted")
    save_screenshot(window, "member-conflicted")


def test_next_previous_and_completion(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    declare_general(qtbot, window)
    codes = ["P001", "P002", "P003", "P004", "P005"]
    keys = ("innovation", "impact", "coherence", "sustainability", "community")
    done: list[object] = []
    for code in codes:
        window.ops.run(
            None,
            lambda ws, c=code: declarations.declare_proposal(ws, "MI-CC-2020", c, conflict=False),
        )
        window.ops.run(
            None,
            lambda ws, c=code: scores.save_scores(
                ws,
                "MI-CC-2020",
                c,
                values={k: Decimal("0.6") for k in keys},
                justifications={k: WHY for k in keys},
            ),
            done.append,
        )
    qtbot.waitUntil(lambda: len(done) == 5, timeout=10_000)
    window.reload()
    qtbot.waitUntil(lambda: "valutate: 5 su 5" in window.progress_label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "pronto per l'invio" in window.sending.label.text(), timeout=10_000)
    # Ctrl+PgDown walks the member's own order.
    activate(qtbot, window)
    window.table.setFocus()
    window.table.selectRow(0)
    first = window.current_proposal
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_proposal != first)
    assert window.model.row_of(window.current_proposal) == 1
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_proposal == first)
    # The status filter shows only what is left.
    window.status_box.setCurrentIndex(window.status_box.findData("complete"))
    assert window.model.rowCount() == 5
    window.status_box.setCurrentIndex(window.status_box.findData("inadmissible"))
    assert window.model.rowCount() == 1


def test_proposal_tab_shows_the_pdf(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    select(qtbot, window, "P002")
    window.detail.viewer.view.setFocus()
    qtbot.waitUntil(lambda: window.detail.pdf_document.pageCount() > 0, timeout=10_000)
    qtbot.wait(600)
    save_screenshot(window, "member-detail-with-pdf")


def test_points_method_form_by_keyboard(
    qtbot, points_member_template, tmp_path: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.workspaces import copy_template

    home = copy_template(points_member_template, tmp_path / "points")
    main = make_window(home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    declare_general(qtbot, main)
    select(qtbot, main, "P003")
    press(qtbot, Qt.Key.Key_Return)  # to the evaluation tab
    pane = main.desk.pane
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.conflict_form)
    pane.conflict_form.no_conflict.setChecked(True)
    pane.conflict_form.submit.click()
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    editor = pane.score_form.editors["impact"]
    assert editor.spin is not None and not editor.buttons
    assert editor.spin.maximum() == 30.0 and editor.spin.decimals() == 1
    activate(qtbot, main)
    editor.spin.setFocus()
    qtbot.waitUntil(editor.spin.hasFocus)
    qtbot.keyClick(editor.spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.spin, "22,5")
    press(qtbot, Qt.Key.Key_Tab)  # leaving the box commits the points
    assert focused() is editor.motivation
    type_text(qtbot, WHY)
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "22,50 su 100" in pane.score_form.total_label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: status_of(main, "P003") == "partial")
    save_screenshot(main, "member-score-form-points")


def test_every_control_has_a_name_for_assistive_technology(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QTabWidget,
    )

    declare_general(qtbot, window)
    select(qtbot, window, "P001")
    pane = window.desk.pane
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.conflict_form)
    pane.conflict_form.no_conflict.setChecked(True)
    pane.conflict_form.submit.click()
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    window.evaluation_tab_action.trigger()
    labelled = {label.buddy() for label in window.findChildren(QLabel) if label.buddy() is not None}
    kinds = (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QTabWidget,
    )
    controls = [
        widget
        for widget in window.findChildren(QWidget_)
        if isinstance(widget, kinds)
        and widget.isVisibleTo(window)
        and type(widget).__name__ not in ("QToolButton", "QScrollBar")
        and not isinstance(widget.parent(), QAbstractSpinBox)  # its editor: the box is named
    ]
    assert len(controls) >= 40  # the score form's levels and boxes are among them
    anonymous = [
        f"{type(widget).__name__} {widget.objectName()}"
        for widget in controls
        if not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and widget not in labelled
    ]
    assert anonymous == []
