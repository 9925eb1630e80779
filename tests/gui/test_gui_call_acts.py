"""The call editor's «Atti» tab: the acts read from the call, edited with
the keyboard, saved through the same reader as the call file, and a problem
in an act taking the keyboard to its field."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from app.models.definition import CallDefinition
from app.services import call_setup
from app.ui.setup.call_editor import TAB_ACTS, CallEditorDialog
from app.ui.setup.call_form import from_document, to_document
from tests.support.gui import make_window, on_worker, save_screenshot, unnamed_controls
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE

pytestmark = pytest.mark.gui


def open_window(qtbot, home, worker) -> Any:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    setup = main.call_setup
    qtbot.waitUntil(lambda: setup.status is not None, timeout=10_000)
    return main


def opened_dialog(qtbot, main, kind: type) -> Any:  # type: ignore[no-untyped-def]
    setup = main.call_setup
    qtbot.waitUntil(
        lambda: isinstance(setup.dialog, kind) and setup.dialog.isVisible(), timeout=10_000
    )
    return setup.dialog


def test_the_form_keeps_every_act_through_a_round_trip() -> None:
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    form = from_document(tomllib.loads(text))
    again = CallDefinition.from_document(to_document(form))
    assert again.acts == CallDefinition.from_toml(text).acts
    assert again.grid_hash == CallDefinition.from_toml(text).grid_hash


def test_edit_the_acts_of_a_draft_call(qtbot, secretariat_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, secretariat_home, db_worker)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.edit_action.trigger()
    editor = opened_dialog(qtbot, main, CallEditorDialog)
    acts = editor.acts
    assert editor.tabs.tabText(TAB_ACTS) == "&Atti"
    assert acts.edits["secretary"].text() == "Dott.ssa Chiara Marelli"
    assert acts.edits["commission_appointment.number"].text() == "6352/2020"
    assert acts.dates["call_approval"].date() == QDate(2020, 5, 12)
    assert all(group.isChecked() for group in acts.groups.values())

    editor.tabs.setCurrentIndex(TAB_ACTS)
    editor.resize(1366, 768)
    assert not unnamed_controls(acts)
    save_screenshot(editor, "call-editor-acts")

    # A ticked act with a blank field is refused, and the problem leads to it.
    acts.edits["publication.where"].clear()
    editor.tabs.setCurrentIndex(0)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.problems.isVisible, timeout=10_000)
    assert editor.problem_keys == ["acts.publication.where"]
    editor._go_to_problem(0)
    assert editor.tabs.currentIndex() == TAB_ACTS
    assert acts.edits["publication.where"].hasFocus()

    # With the keyboard: a new secretary, a new appointment number and date.
    acts.edits["publication.where"].setFocus()
    qtbot.keyClicks(acts.edits["publication.where"], "Albo pretorio online")
    acts.edits["secretary"].selectAll()
    qtbot.keyClicks(acts.edits["secretary"], "Dott. Paolo Riva")
    acts.edits["commission_appointment.number"].selectAll()
    qtbot.keyClicks(acts.edits["commission_appointment.number"], "7001/2020")
    acts.dates["commission_appointment"].setDate(QDate(2020, 9, 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    text = on_worker(qtbot, main, lambda ws: call_setup.definition_text(ws, CALL_ID))
    saved = CallDefinition.from_toml(text).acts
    assert saved.secretary == "Dott. Paolo Riva"
    assert saved.publication is not None and saved.publication.where == "Albo pretorio online"
    appointment = saved.commission_appointment
    assert appointment is not None
    assert (appointment.number, appointment.date) == ("7001/2020", dt.date(2020, 9, 1))


def test_an_unticked_act_is_left_out_of_the_call(qtbot, secretariat_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, secretariat_home, db_worker)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.edit_action.trigger()
    editor = opened_dialog(qtbot, main, CallEditorDialog)
    editor.acts.groups["call_approval"].setChecked(False)
    editor.acts.edits["rup"].clear()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    text = on_worker(qtbot, main, lambda ws: call_setup.definition_text(ws, CALL_ID))
    saved = CallDefinition.from_toml(text).acts
    assert saved.call_approval is None and saved.rup == ""
    assert saved.missing() == ["acts.call_approval", "acts.rup"]
    assert "[acts.call_approval]" not in text
