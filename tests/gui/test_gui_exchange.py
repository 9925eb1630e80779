"""The exchange in the window: completeness matrix, submission, sync with its
progress, receipts, and cancelling a sync."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import declarations, scores
from app.services.demo import DEMO_PASSPHRASE
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, save_screenshot

pytestmark = pytest.mark.gui
CALL = "MI-CC-2020"
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
WHY = "Motivazione sufficiente per la prova dell'invio."


def open_window(qtbot, home: Path, worker) -> MainWindow:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(DEMO_PASSPHRASE)
    return main


def choose_call(qtbot, main: MainWindow, call_id: str) -> None:  # type: ignore[no-untyped-def]
    """Show ``call_id`` on the member's desk (the demo has two calls)."""
    if main.call_id == call_id:
        return
    assert main.desk is not None
    with qtbot.waitSignal(main.desk.desk_loaded, timeout=10_000):
        main.call_box.setCurrentIndex(main.call_box.findData(call_id))


def test_completeness_matrix_of_the_demo(qtbot, demo_copy: Path, db_worker, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, demo_copy / "segreteria", db_worker)
    assert main.exchange is not None and main.exchange.completeness_action.isVisible()
    assert not main.exchange.submit_action.isVisible()
    main.exchange.completeness_action.trigger()
    qtbot.waitUntil(
        lambda: main.exchange.completeness is not None and main.exchange.completeness.isVisible(),
        timeout=10_000,
    )
    dialog = main.exchange.completeness
    model = dialog.model
    qtmodeltester.check(model)
    # Four members (and the substitute), then the totals; a column of counts.
    assert model.rowCount() == 5 and model.columnCount() == 4 + 40
    assert model.index(0, 0).data() == "Elena Colombo"
    assert model.index(0, 1).data().startswith("n. 1,")
    assert model.index(0, 2).data() == "inviata"
    assert model.index(2, 1).data().startswith("n. 1,")
    assert model.index(2, 2).data() == "inviata"
    assert "completa" in dialog.legend.text()
    # Elena Colombo's conflict leaves P014 short of the complete college, and
    # the demo's substitute waits to be seated there.
    assert model.index(3, 0).data() == "Luca Bianchi"
    assert model.index(3, 4 + 13).data() == ""  # P014 is not assigned to him yet
    assert dialog.summary.text() == (
        "⚠ 1 proposta è scoperta per un conflitto: P014. Assegna un supplente nella pagina "
        "Collegio. 1 voce nella storia dei conflitti. Schede di valutazione complete: 110 su 110."
    )
    save_screenshot(dialog, "secretariat-completeness")


def test_submit_sync_and_receipt_from_the_window(qtbot, demo_copy: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    from app.services.exchange import sync
    from app.services.workspace import unlock

    main = open_window(qtbot, demo_copy / "commissario-3", db_worker)
    exchange = main.exchange
    assert exchange is not None and exchange.submit_action.isVisible()
    choose_call(qtbot, main, CALL)
    rows = list(main.model.all_rows())
    done: list[object] = []
    for row in rows:
        code = row.proposal.id
        main.ops.run(
            None, lambda ws, c=code: declarations.declare_proposal(ws, CALL, c, conflict=False)
        )
        if row.proposal.admissible:
            main.ops.run(
                None,
                lambda ws, c=code: scores.save_scores(
                    ws,
                    CALL,
                    c,
                    values={k: Decimal("0.4") for k in KEYS},
                    justifications={k: WHY for k in KEYS},
                ),
                done.append,
            )
    qtbot.waitUntil(
        lambda: len(done) == sum(1 for r in rows if r.proposal.admissible), timeout=20_000
    )
    main.reload()
    # Bundle 1 went with the demo: these scores are changes not yet sent, ready to go.
    qtbot.waitUntil(
        lambda: "Modifiche non ancora inviate" in main.sending.label.text(), timeout=10_000
    )
    qtbot.waitUntil(exchange.submit_action.isEnabled, timeout=10_000)

    exchange.submit_action.trigger()
    qtbot.waitUntil(lambda: exchange.confirmation is not None, timeout=10_000)
    box = exchange.confirmation
    assert "firmati e sigillati" in box.text()
    with qtbot.waitSignal(exchange.synced, timeout=20_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert "1 inviati" in exchange.last_result.text()
    save_screenshot(main, "member-after-submission")

    # The city office takes it in; the member's next sync brings the receipt.
    office = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    try:
        accepted = sync(office)
        assert [r.member for r in accepted.taken_in] == ["Sara Esposito"]
    finally:
        office.close()
    with qtbot.waitSignal(exchange.synced, timeout=20_000):
        exchange.sync_action.trigger()
    assert "1 ricevuti" in exchange.last_result.text()
    exchange.receipts_action.trigger()
    qtbot.waitUntil(lambda: getattr(exchange, "last_message", None) is not None, timeout=10_000)
    assert "ricevuto dalla segreteria il" in exchange.last_message.text()


def test_a_sync_can_be_stopped(qtbot, demo_copy: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, demo_copy / "commissario-2", db_worker)
    exchange = main.exchange
    gate = threading.Event()
    db_worker.submit(gate.wait)  # keep the worker busy so the sync waits in the queue
    exchange.sync_action.trigger()
    assert exchange.progress.isVisible() and exchange.cancel_button.isVisible()
    assert not exchange.sync_action.isEnabled()
    exchange.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: exchange.cancel_token is None, timeout=10_000)
    assert "annullata" in exchange.last_result.text()
    assert exchange.sync_action.isEnabled() and not exchange.progress.isVisible()
