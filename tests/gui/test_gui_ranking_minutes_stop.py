"""The ranking, its approval, the minutes and their signature in the GUI show
their progress and stop with *Interrompi* (issue 16, item 4), on the demo.

Each real use case runs on the worker; a gate in its progress callback holds
it at a known text until the test has pressed Stop, so the Stop lands there
deterministically (no sleeps). After a Stop the window says so and nothing
changed; run again without a Stop, each step completes."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models import AuditEvent, OutboxItem, RankingRecord
from app.services import minutes as minutes_service
from app.services import ranking
from app.ui.common.long_step import LongStepDialog
from app.ui.ranking.approval_dialog import ApprovalDialog
from tests.support.gui import on_worker, open_secretariat_window, save_screenshot
from tests.support.minutes import CALL, DEMO_REASON, approved_demo
from tests.support.pki import P12_PASSPHRASE, Pki

pytestmark = [pytest.mark.gui, pytest.mark.slow]


class Gate:
    """Holds a use case on the worker when its progress shows ``marker``,
    until the test lets it go."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.reached = threading.Event()
        self.release = threading.Event()

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def gated(*args: Any, progress: Any, cancel: Any, **options: Any) -> Any:
            def watched(text: str) -> None:
                progress(text)
                if self.marker in text and not self.reached.is_set():
                    self.reached.set()
                    assert self.release.wait(20)

            return real(*args, progress=watched, cancel=cancel, **options)

        return gated


def stop_at_gate(qtbot, step: LongStepDialog, gate: Gate, screenshot: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for the gate, look at the dialog running, press Interrompi, let it go."""
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)  # the GUI's events keep flowing
    qtbot.waitUntil(lambda: gate.marker in step.text.text(), timeout=10_000)
    assert step.isVisible() and step.stop_button.isEnabled()
    assert step.stop_button.text() == "&Interrompi"
    save_screenshot(step, screenshot)
    qtbot.mouseClick(step.stop_button, Qt.MouseButton.LeftButton)
    assert step.text.text() == "Interruzione in corso…" and not step.stop_button.isEnabled()
    assert step.isVisible()  # it waits for the worker
    gate.release.set()
    qtbot.waitUntil(lambda: not step.isVisible(), timeout=20_000)


def written(ws: Any) -> tuple[object, ...]:
    with ws.session() as session:
        record = session.get(RankingRecord, CALL)
        return (
            None if record is None else record.approved_at,
            session.scalar(select(func.count()).select_from(AuditEvent)),
            session.scalar(select(func.count()).select_from(OutboxItem)),
        )


def test_the_ranking_and_its_approval_stop_and_then_complete(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    actions = main.ranking  # type: ignore[attr-defined]
    main.resize(1366, 768)
    before = on_worker(qtbot, main, written)

    # The ranking window: stopped while it computes, it says so and shows nothing.
    gate = Gate("Graduatoria: proposta 10 di 40")
    monkeypatch.setattr(ranking, "ranking_view", gate.wrap(ranking.ranking_view))
    actions.show_action.trigger()
    dialog = actions.ranking_dialog
    assert dialog is not None and dialog.step is not None
    stop_at_gate(qtbot, dialog.step, gate, "ranking-computing")
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == (
        "Calcolo della graduatoria di MI-CC-2020 interrotto: non è stato modificato nulla."
    )
    assert dialog.isVisible() and dialog.view is None
    assert dialog.ranked_model.rowCount() == 0
    monkeypatch.undo()

    # Again, without a Stop: the ranking is shown.
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.load(CALL)
    assert not dialog.error.isVisible()
    assert dialog.ranked_model.rowCount() == 13

    # The ranking computed before the approval dialog opens: stopped, no dialog.
    gate = Gate("Graduatoria: proposta 5 di 40")
    monkeypatch.setattr(ranking, "ranking_view", gate.wrap(ranking.ranking_view))
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert actions.step is not None
    stop_at_gate(qtbot, actions.step, gate, "ranking-before-approval")
    qtbot.waitUntil(lambda: "interrotto" in actions.last_message, timeout=10_000)
    assert actions.last_message == (
        "Calcolo della graduatoria di MI-CC-2020 interrotto: non è stato modificato nulla."
    )
    assert actions.dialog is None  # no approval dialog without its ranking
    monkeypatch.undo()

    # The approval: stopped while the minutes' facts are frozen, rolled back.
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: isinstance(actions.dialog, ApprovalDialog) and actions.dialog.isVisible(),
        timeout=20_000,
    )
    approval = actions.dialog
    approval.reason.setPlainText(DEMO_REASON)
    approval.ok.click()
    qtbot.waitUntil(lambda: approval.flags.confirm.isVisibleTo(approval), timeout=10_000)
    approval.flags.confirm.setChecked(True)
    gate = Gate("Verbale: proposta 20 di 40")
    monkeypatch.setattr(ranking, "approve_ranking", gate.wrap(ranking.approve_ranking))
    approval.ok.click()  # the flags asked again on the worker, then the approval
    qtbot.waitUntil(lambda: approval.step is not None, timeout=10_000)
    stop_at_gate(qtbot, approval.step, gate, "ranking-approving")
    qtbot.waitUntil(approval.error.isVisible, timeout=10_000)
    assert approval.error.text() == (
        "Approvazione della graduatoria di MI-CC-2020 interrotta: la graduatoria non è "
        "approvata e non è stato scritto nulla."
    )
    assert approval.isVisible() and approval.ok.isEnabled()
    save_screenshot(approval, "ranking-approval-stopped")
    assert on_worker(qtbot, main, written) == before
    assert not actions.funding_action.isEnabled()
    monkeypatch.undo()

    # Approve again, without a Stop: it goes through whole.
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        approval.ok.click()
    assert not approval.isVisible()
    assert dialog.approval.text().startswith("✔ Approvata il")
    after = on_worker(qtbot, main, written)
    assert after[0] is not None and after[1:] == (before[1] + 1, before[2] + 1)


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("gui-stop") / "demo")


def test_the_minutes_and_a_signature_stop_and_then_complete(  # type: ignore[no-untyped-def]
    qtbot, approved_home: Path, tmp_path: Path, db_worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.minutes.minutes_window import MinutesWindow

    home = Path(shutil.copytree(approved_home, tmp_path / "segreteria"))
    main = open_secretariat_window(qtbot, home, db_worker)
    minutes = main.minutes  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: minutes.approved is True, timeout=10_000)
    lines = on_worker(qtbot, main, written)

    # Stopped while the pages are laid out: the window says so, nothing to save.
    gate = Gate("Pagina 10")
    monkeypatch.setattr(minutes_service, "make_minutes", gate.wrap(minutes_service.make_minutes))
    minutes.show_action.trigger()
    window = minutes.minutes_window
    assert isinstance(window, MinutesWindow) and window.step is not None
    window.resize(1000, 680)
    stop_at_gate(qtbot, window.step, gate, "minutes-making")
    qtbot.waitUntil(lambda: "interrotto" in window.info.text(), timeout=10_000)
    assert window.info.text() == "Verbale di MI-CC-2020 interrotto: non è stato scritto nulla."
    assert window.content == b""
    assert not window.save_button.isEnabled() and not window.sign_button.isEnabled()
    assert window.remake_button.isEnabled()
    assert window.message_box is None  # a Stop asked for is no refusal
    assert on_worker(qtbot, main, written) == lines
    monkeypatch.undo()

    # Made again, without a Stop.
    with qtbot.waitSignal(window.checked, timeout=30_000):
        window.remake_button.click()
    made = window.content
    assert made.startswith(b"%PDF") and window.save_button.isEnabled()

    # A signature stopped as it begins: the document stays unsigned.
    pki = Pki.create(tmp_path / "pki")
    p12, *_ = pki.pkcs12("Elena Colombo", "rsa")
    from app.ui.minutes.sign_dialog import SignRequest

    request = SignRequest(minutes_service.Pkcs12Key(p12, P12_PASSPHRASE), None, None)
    gate = Gate("Firma in corso")
    monkeypatch.setattr(minutes_service, "sign_minutes", gate.wrap(minutes_service.sign_minutes))
    window.sign_with(request)
    assert window.step is not None
    stop_at_gate(qtbot, window.step, gate, "minutes-signing")
    qtbot.waitUntil(lambda: "Firma interrotta" in window.info.text(), timeout=10_000)
    assert window.info.text() == "Firma interrotta: non è stato firmato né scritto nulla."
    assert window.content is made
    assert window.save_button.isEnabled() and window.sign_button.isEnabled()
    monkeypatch.undo()

    # Signed, without a Stop.
    with qtbot.waitSignal(window.checked, timeout=30_000):
        window.sign_with(request)
    assert window.table.rowCount() == 1
    assert "Firmato da Elena Colombo" in window.info.text()
