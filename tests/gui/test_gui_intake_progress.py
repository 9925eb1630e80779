"""The import of proposals and the manual import of files run in the
long-step dialog (issue 16, item 4): it says which proposal or bundle it is
at, and *Interrompi* stops. The proposals' import is all or nothing: a stop
rolls it back and the preview stays, ready to import again. Each file is its
own unit: a stop keeps the bundles taken in, rolls back the one in progress
and says so. A folder can be chosen as well as files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.services import proposals
from app.services.workspace import verify_audit
from app.ui.setup.import_preview import ImportDialog
from tests.support.gui import on_worker, open_secretariat_window, save_screenshot
from tests.support.intake import Taken, drop, office_with_bundles, taken
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE, copy_template, opened

pytestmark = pytest.mark.gui


class Gate:
    """Holds the worker inside a step at a known point until the test lets it go."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.released = threading.Event()

    def hold(self) -> None:
        self.reached.set()
        assert self.released.wait(30)


def test_a_stopped_import_of_proposals_writes_nothing_and_can_be_done_again(  # type: ignore[no-untyped-def]
    qtbot, draft_call_template, tmp_path: Path, db_worker, monkeypatch
) -> None:
    from app.services import proposal_import

    main = open_secretariat_window(
        qtbot, copy_template(draft_call_template, tmp_path / "ws"), db_worker, PASSPHRASE
    )
    dialog = ImportDialog(main.ops, CALL_ID, main)
    dialog.show()
    checking: list[str] = []
    dialog.relay.text.connect(checking.append)
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.set_source(FIXTURES / "proposals.csv", FIXTURES / "attachments")
    # The check said where it was; the summary now says what the file holds.
    assert checking == ["Controllo della proposta 1 di 6…", "Controllo della proposta 6 di 6…"]
    assert dialog.summary.text().startswith("6 proposte pronte")
    gate = Gate()
    real = proposal_import._report

    def report(progress: Any, text: str, index: int, total: int) -> None:
        real(progress, text, index, total)
        if text == "Proposta {index} di {total}…" and index == 1:
            gate.hold()  # proposal 1 is in the transaction; Stop comes before proposal 2

    monkeypatch.setattr(proposal_import, "_report", report)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    step = dialog.step
    assert step is not None and gate.reached.wait(10)
    qtbot.waitUntil(lambda: step.text.text() == "Proposta 1 di 6…", timeout=10_000)
    assert step.isVisible() and step.windowTitle() == dialog.windowTitle()
    save_screenshot(step, "import-proposals-running")

    qtbot.mouseClick(step.stop_button, Qt.MouseButton.LeftButton)
    assert step.text.text() == "Interruzione in corso…" and not step.stop_button.isEnabled()
    gate.released.set()
    qtbot.waitUntil(lambda: not step.isVisible(), timeout=15_000)
    assert dialog.isVisible()
    assert dialog.error.text() == "Import delle proposte interrotto: non è stato scritto nulla."
    assert dialog.import_button.isEnabled()  # the preview stays: import it again
    save_screenshot(dialog, "import-proposals-stopped")
    assert on_worker(qtbot, main, lambda ws: proposals.list_proposals(ws, CALL_ID)) == []
    assert on_worker(qtbot, main, lambda ws: verify_audit(ws).entries) == 2

    monkeypatch.setattr(proposal_import, "_report", real)
    with qtbot.waitSignal(dialog.imported, timeout=15_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not dialog.step.isVisible()
    assert len(on_worker(qtbot, main, lambda ws: proposals.list_proposals(ws, CALL_ID))) == 6


def test_a_folder_of_bundles_taken_in_stopped_at_the_second_then_finished(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker, monkeypatch
) -> None:
    from app.services import intake

    home = copy_template(secretariat_template, tmp_path / "ws")
    stick = tmp_path / "chiavetta"
    with opened(secretariat_template, home) as ws:
        drop(stick, office_with_bundles(ws))
        before = taken(ws)
    main = open_secretariat_window(qtbot, home, db_worker, PASSPHRASE)
    exchange = main.exchange
    assert exchange.import_folder_action.isVisible()
    assert exchange.import_folder_action.shortcut().toString() == "Ctrl+Alt+I"
    assert exchange.import_folder_action.text() == "Importa una c&artella…"
    exchange.menu.popup(main.mapToGlobal(QPoint(140, 20)))
    qtbot.waitUntil(exchange.menu.isVisible)
    save_screenshot(exchange.menu, "exchange-menu-import-folder")
    exchange.menu.close()
    gate = Gate()
    real = intake._replace_evaluation
    written: list[int] = []

    def replace(*args: Any, **kwargs: Any) -> Any:
        written.append(1)
        result = real(*args, **kwargs)
        if len(written) == 2:
            gate.hold()  # the second bundle's rows are written, not committed
        return result

    monkeypatch.setattr(intake, "_replace_evaluation", replace)
    exchange.import_folder_action.trigger()
    chooser = exchange.folder_dialog
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible)
    chooser.fileSelected.emit(str(stick))
    chooser.close()
    step = exchange.step
    assert step is not None and gate.reached.wait(10)
    qtbot.waitUntil(lambda: step.text.text() == "Pacchetto di punteggi 2 di 4…", timeout=10_000)
    assert step.windowTitle() == "Importa file di Vaglio"
    save_screenshot(step, "import-bundles-running")
    screen = QApplication.primaryScreen()
    assert (screen.size().width(), screen.size().height()) == (1366, 768)
    screen.grabWindow(0).save(str(save_screenshot(step, "import-bundles-running-screen")))

    qtbot.mouseClick(step.stop_button, Qt.MouseButton.LeftButton)
    gate.released.set()
    qtbot.waitUntil(lambda: not step.isVisible(), timeout=15_000)
    said = (
        "Import dei pacchetti di punteggi interrotto: 1 pacchetto di punteggi acquisito, "
        "gli altri non sono stati toccati."
    )
    assert exchange.last_message.text() == said
    assert exchange.last_result.text() == said
    save_screenshot(exchange.last_message, "import-bundles-stopped")
    assert on_worker(qtbot, main, taken) == Taken(1, 1, 1, before.audit_entries + 1)

    # Again, not stopped: the first changes nothing, the three others go in.
    monkeypatch.setattr(intake, "_replace_evaluation", real)
    exchange.import_paths([str(stick)])
    qtbot.waitUntil(lambda: not exchange.step.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: "ricevuta emessa" in exchange.last_result.text(), timeout=10_000)
    assert on_worker(qtbot, main, taken) == Taken(4, 4, 4, before.audit_entries + 4)


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_no_two_commands_of_the_window_share_a_shortcut(  # type: ignore[no-untyped-def]
    qtbot, role, member_home, secretariat_home, db_worker
) -> None:
    from collections import Counter

    from PySide6.QtGui import QAction

    from tests.support.gui import make_window

    main = make_window(member_home if role == "member" else secretariat_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    actions = {id(a): a for a in [*main.actions(), *main.findChildren(QAction)]}.values()
    keys = Counter(
        key.toString()
        for action in actions
        if action.text() and action.isVisible()
        for key in action.shortcuts()
        if not key.isEmpty()
    )
    assert keys["Ctrl+Alt+I"] == 1 and keys["Ctrl+I"] == 1
    assert [key for key, count in keys.items() if count > 1] == []


def test_the_office_stops_a_sync_at_the_second_bundle(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker, monkeypatch
) -> None:
    from app.services import intake
    from app.services.remotes import set_remote

    home = copy_template(secretariat_template, tmp_path / "ws")
    shared = tmp_path / "condivisa"
    shared.mkdir()
    with opened(secretariat_template, home) as ws:
        drop(shared, office_with_bundles(ws, ("Elena Colombo", "Luca Ferri", "Ada Neri")))
        set_remote(ws, CALL_ID, str(shared))
        before = taken(ws)
    main = open_secretariat_window(qtbot, home, db_worker, PASSPHRASE)
    exchange = main.exchange
    gate = Gate()
    real = intake._replace_evaluation
    written: list[int] = []

    def replace(*args: Any, **kwargs: Any) -> Any:
        written.append(1)
        result = real(*args, **kwargs)
        if len(written) == 2:
            gate.hold()
        return result

    monkeypatch.setattr(intake, "_replace_evaluation", replace)
    exchange.sync_action.trigger()
    assert gate.reached.wait(10)
    qtbot.waitUntil(
        lambda: exchange.last_result.text() == "Pacchetto di punteggi 2 di 3…", timeout=10_000
    )
    qtbot.mouseClick(exchange.cancel_button, Qt.MouseButton.LeftButton)
    gate.released.set()
    qtbot.waitUntil(lambda: exchange.cancel_token is None, timeout=15_000)
    said = (
        "Import dei pacchetti di punteggi interrotto: 1 pacchetto di punteggi acquisito, "
        "gli altri non sono stati toccati. Le ricevute partiranno alla prossima sincronizzazione."
    )
    assert exchange.last_message.text() == said
    assert exchange.last_result.toolTip() == said
    assert len(exchange.last_result.text()) <= 120  # the status bar does not widen the window
    assert main.width() <= 1366
    assert exchange.sync_action.isEnabled() and not exchange.progress.isVisible()
    screen = QApplication.primaryScreen().grabWindow(0)
    screen.save(str(save_screenshot(main, "office-sync-stopped")))
    assert on_worker(qtbot, main, taken) == Taken(1, 1, 1, before.audit_entries + 1)
