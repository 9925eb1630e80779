"""The member's sending state in the window (issue 15, item 4): never sent →
not ready, told what is missing before any question → scored → submitted,
sent n. 1 and no longer "ready" → edited: changes not yet sent → the office
takes the bundle in and the member's sync brings the receipt: received."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import scores
from app.services.exchange import sync
from app.services.sending import sending_state
from tests.support.gui import make_window, on_worker, save_screenshot
from tests.support.sending import WHY, declare_and_score_all, office_copy, open_office, share
from tests.support.workspaces import CALL_ID, PASSPHRASE

pytestmark = pytest.mark.gui
SENT = "Inviato l'11 marzo 2026 alle 00:30 (n. 1)"  # the suite's clock, in Rome


def test_the_sending_states_from_never_to_received(
    qtbot, member_home: Path, member_template, db_worker, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    indicator, exchange = main.sending, main.exchange
    label, submit = indicator.label, exchange.submit_action
    qtbot.waitUntil(lambda: label.text() == "Mai inviato", timeout=10_000)

    # Not ready: the action is grey and says why; asking anyway tells what is
    # missing, and there is no question to answer.
    assert not submit.isEnabled()
    assert "Manca la dichiarazione generale" in submit.toolTip()
    assert "5 proposte attendono ancora la dichiarazione." in submit.statusTip()
    exchange.submit()
    qtbot.waitUntil(lambda: exchange.confirmation is not None, timeout=10_000)
    told = exchange.confirmation
    assert "Non sei ancora pronto per l'invio" in told.text()
    assert "Manca la dichiarazione generale" in told.text()
    assert "Procedere" not in told.text()
    assert told.button(QMessageBox.StandardButton.Yes) is None
    save_screenshot(told, "member-not-ready-to-submit")
    told.close()
    assert on_worker(qtbot, main, lambda ws: sending_state(ws, CALL_ID)).sequence is None

    office = open_office(office_copy(member_template, tmp_path / "segreteria"))
    try:
        folder = share(tmp_path / "condivisa", office)
        on_worker(qtbot, main, lambda ws: share(folder, ws))
        on_worker(qtbot, main, declare_and_score_all)
        main.reload()  # as after any save in the window
        qtbot.waitUntil(lambda: label.text() == "Mai inviato · pronto per l'invio", timeout=10_000)
        assert submit.isEnabled() and "Firma e sigilla" in submit.statusTip()

        # Ready: now, and only now, the question.
        submit.trigger()
        qtbot.waitUntil(lambda: exchange.confirmation is not None, timeout=10_000)
        box = exchange.confirmation
        assert "Procedere?" in box.text()
        with qtbot.waitSignal(exchange.synced, timeout=20_000):
            box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: label.text() == SENT, timeout=10_000)
        assert "pronto per l'invio" not in label.text() + main.progress_label.text()

        # An edit after sending.
        on_worker(
            qtbot,
            main,
            lambda ws: scores.save_scores(
                ws, CALL_ID, "P001", justifications={"impact": WHY + " Rivista."}
            ),
        )
        qtbot.waitUntil(lambda: "Modifiche non ancora inviate" in label.text(), timeout=10_000)
        assert label.text() == f"{SENT} · Modifiche non ancora inviate"
        assert submit.isEnabled()  # ready to send them
        save_screenshot(main, "member-sending-changes-not-sent")

        # The office takes bundle 1 in; the member's sync brings its receipt.
        sync(office)
        with qtbot.waitSignal(exchange.synced, timeout=20_000):
            exchange.sync_action.trigger()
        qtbot.waitUntil(lambda: "Ricevuto dalla segreteria" in label.text(), timeout=10_000)
        assert label.text().startswith(
            "Ricevuto dalla segreteria l'11 marzo 2026 alle 00:30 (n. 1)"
        )
        assert "Modifiche non ancora inviate" in label.text()  # the edit is still to send
        save_screenshot(main, "member-sending-received")
    finally:
        office.close()
