"""The approval dialog and the college (pytest-qt, offscreen): under a complete
college the shortfalls and the silent members are listed and a reason is
required before the button is enabled, and it is frozen with the approval;
under the quorum, the proposals left without it are listed with why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services import ranking
from app.ui.ranking.approval_dialog import ApprovalDialog
from app.ui.shell.main_window import MainWindow
from tests.support.college import (
    COLLEGE_CALL,
    conflicted_commission,
    open_college_window,
    seat_commission,
    sheet,
    snapshot,
)
from tests.support.commission import CONFLICT, deliver, uniform
from tests.support.gui import on_worker, save_screenshot, unnamed_controls
from tests.support.minutes import record_sitting
from tests.support.workspaces import CALL_ID, copy_template, opened

pytestmark = pytest.mark.gui
REASON = "Dario Neri assente per malattia (certificato agli atti); nessun supplente disponibile."


def open_approval(qtbot, main: MainWindow) -> ApprovalDialog:  # type: ignore[no-untyped-def]
    actions = main.ranking  # type: ignore[attr-defined]
    actions.approve_action.trigger()
    qtbot.waitUntil(
        lambda: isinstance(actions.dialog, ApprovalDialog) and actions.dialog.isVisible(),
        timeout=10_000,
    )
    return actions.dialog  # type: ignore[no-any-return]


def approved(qtbot, main: MainWindow, call_id: str) -> Any:  # type: ignore[no-untyped-def]
    return on_worker(qtbot, main, lambda ws: ranking.ranking_view(ws, call_id))


def test_a_complete_college_with_empty_seats_needs_a_reason(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        conflicted_commission(ws)
        record_sitting(ws, COLLEGE_CALL)
    main = open_college_window(qtbot, home, db_worker)
    dialog = open_approval(qtbot, main)

    assert dialog.college_text.text() == (
        "Collegio — perfetto: l'intera commissione valuta ogni proposta. Valutatori richiesti "
        "per ogni proposta: 3."
    )
    assert dialog.shortfalls_heading.text().startswith("Il collegio non è completo.")
    lines = [dialog.shortfalls.item(row).text() for row in range(dialog.shortfalls.count())]
    assert lines == [
        "• Dario Neri non ha inviato nulla",
        "• P003: 0 valutatori su 3: Elena Colombo in conflitto, senza supplente; Luca Ferri in "
        "conflitto, senza supplente; Dario Neri non ha inviato nulla",
        "• P004: 1 valutatore su 3: Elena Colombo in conflitto, senza supplente; Dario Neri non "
        "ha inviato nulla",
    ]
    assert not dialog.missing.isVisibleTo(dialog)  # the list already names Dario Neri
    assert dialog.reason.isVisibleTo(dialog) and dialog.reason_label.isVisibleTo(dialog)
    assert dialog.reason_label.text().startswith(
        "&Motivazione (assenza, dimissioni…), obbligatoria"
    )
    assert dialog.reason_label.buddy() is dialog.reason

    # The button waits for a reason; blanks are not one.
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok.isEnabled()
    dialog.reason.clear()

    # A reason too long for the minutes: refused, nothing written.
    before = snapshot(qtbot, main)
    dialog.reason.setPlainText("x" * 2001)
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == "La motivazione supera i 2000 caratteri: accorciala."
    assert dialog.isVisible() and dialog.ok.isEnabled()
    assert snapshot(qtbot, main) == before

    dialog.reason.clear()
    assert not dialog.error.isVisible()  # the refusal is being acted on
    dialog.reason.setFocus()
    qtbot.keyClicks(dialog.reason, REASON)
    assert dialog.ok.isEnabled()
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "approval-complete-college-reason")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    view = approved(qtbot, main, COLLEGE_CALL)
    assert view.approved and view.college.reason == REASON
    assert [p.proposal for p in view.college.shortfalls] == ["P001", "P002", "P003", "P004", "P005"]
    assert view.college.silent == ("Dario Neri",)


def test_a_bundle_that_empties_a_seat_while_the_dialog_is_open_asks_for_the_reason(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        board = seat_commission(ws)
        for name in ("Elena Colombo", "Luca Ferri", "Dario Neri"):
            board.send(name, sheet())
        record_sitting(ws, COLLEGE_CALL)
    main = open_college_window(qtbot, home, db_worker)
    dialog = open_approval(qtbot, main)
    # Every seat is taken: nothing to explain, the button is ready.
    assert not dialog.shortfalls.isVisibleTo(dialog) and not dialog.reason.isVisibleTo(dialog)
    assert dialog.ok.isEnabled()

    def conflict(ws: Any) -> object:
        board.ws = ws
        return board.send("Elena Colombo", sheet(("P004",)))

    on_worker(qtbot, main, conflict)
    before = snapshot(qtbot, main)
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text().startswith("Il collegio di MI-CC-COLLEGIO non è completo: P004:")
    assert snapshot(qtbot, main) == before
    assert dialog.reason.isVisibleTo(dialog) and not dialog.ok.isEnabled()
    assert [dialog.shortfalls.item(r).text() for r in range(dialog.shortfalls.count())] == [
        "• P004: 2 valutatori su 3: Elena Colombo in conflitto, senza supplente"
    ]
    qtbot.keyClicks(dialog.reason, "Nessun supplente disponibile prima della scadenza.")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    view = approved(qtbot, main, COLLEGE_CALL)
    assert view.college.reason == "Nessun supplente disponibile prima della scadenza."


def test_under_the_quorum_the_proposals_without_it_are_listed(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    scores = {p: uniform("0.8") for p in ("P001", "P002", "P003", "P004", "P005")}
    with opened(secretariat_template, home) as ws:
        deliver(
            ws, CALL_ID, {"Anna": scores | {"P002": CONFLICT}, "Bruno": scores, "Carla": scores}
        )
        record_sitting(ws, CALL_ID)
    main = open_college_window(qtbot, home, db_worker, CALL_ID)
    dialog = open_approval(qtbot, main)
    assert dialog.college_text.text().startswith("Collegio — quorum: almeno il numero minimo")
    assert dialog.shortfalls_heading.text() == (
        "1 proposta resta senza quorum e non andrà in graduatoria:"
    )
    assert [dialog.shortfalls.item(r).text() for r in range(dialog.shortfalls.count())] == [
        "• P002: 2 valutatori su 3: Anna in conflitto, senza supplente"
    ]
    assert not dialog.reason.isVisibleTo(dialog)
    assert dialog.ok.isEnabled()
    save_screenshot(dialog, "approval-quorum")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    view = approved(qtbot, main, CALL_ID)
    assert view.approved and view.college.reason is None
    assert [p.proposal for p in view.college.shortfalls] == ["P002"]
