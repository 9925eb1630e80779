"""The first window on the demo workspace, driven offscreen with pytest-qt."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.demo import DEMO_PASSPHRASE
from app.ui.proposals.proposal_model import ProposalTableModel
from tests.support.gui import make_window, save_screenshot

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_copy: Path, db_worker):  # type: ignore[no-untyped-def]
    main = make_window(demo_copy / "segreteria", db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000) as loaded:
        main.show()
        main.start(DEMO_PASSPHRASE)
    assert loaded.args == [40]
    return main


def test_list_filter_and_detail_with_pdf(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.model)
    assert "40 proposte, 3 non ammissibili" in window.count_label.text()
    # The first row is selected and its PDF shows inside the application.
    qtbot.waitUntil(lambda: window.detail.pdf_document.pageCount() > 0, timeout=10_000)
    assert window.detail.heading.text().startswith("P001")
    qtbot.wait(800)  # QPdfView renders pages in the background
    save_screenshot(window, "main-window-demo")

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "corvetto")
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=5_000)
    assert "5 visualizzate" in window.count_label.text()

    window.search.clear()
    qtbot.keyClicks(window.search, "P027")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.heading.text().startswith("P027"), timeout=5_000)
    assert "Non ammissibile" in window.detail.status.text()
    qtbot.waitUntil(lambda: window.detail.pdf_document.pageCount() > 0, timeout=10_000)
    # P027 has a budget PDF too: choosing it loads it.
    assert window.detail.attachment_box.count() == 2
    window.detail.attachment_box.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: (
            window.detail.pdf_document.pageCount() > 0
            and "budget" in window.detail.attachment_box.currentText()
        ),
        timeout=10_000,
    )
    save_screenshot(window, "main-window-inadmissible")


def test_a_proposal_without_attachments_says_so(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.search, "P008")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.heading.text().startswith("P008"), timeout=5_000)
    assert window.detail.no_attachment.isVisibleTo(window)
    assert not window.detail.attachment_box.isEnabled()


def test_sorting_by_cost_uses_amounts_not_text(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    first = window.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert first == "P027"  # 135.500,00 €, the largest


def test_empty_model_is_well_behaved(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(ProposalTableModel())


def test_unlock_dialog_refuses_then_unlocks_then_locks_again(
    qtbot, demo_copy: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = make_window(demo_copy / "commissario-1", db_worker)
    qtbot.addWidget(main)
    main.show()
    main.start(None)  # no keyring slot in the demo: the dialog asks
    qtbot.waitUntil(lambda: main.unlock_dialog is not None and main.unlock_dialog.isVisible())
    dialog = main.unlock_dialog
    assert not main.centralWidget().isEnabled()
    qtbot.keyClicks(dialog.secret, "passphrase sbagliata")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Passphrase errata" in dialog.error.text(), timeout=10_000)
    save_screenshot(dialog, "unlock-dialog-wrong-passphrase")
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, DEMO_PASSPHRASE)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert main.centralWidget().isEnabled()
    assert "Elena Colombo" in main.identity_label.text()

    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    main.table.setFocus()
    qtbot.keyClick(main.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main.unlock_dialog is not dialog and main.unlock_dialog.isVisible())
    assert main.model.rowCount() == 0
    assert not main.ops.unlocked


def test_an_unsafe_keyring_is_refused_and_the_dialog_says_why(
    qtbot, demo_copy: Path, db_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A workspace with a keyring slot, opened where the only keyring is a plain
    file: the key is not taken from it, and the unlock dialog says why the
    passphrase is needed instead of asking with no explanation."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from app.store import keyring_access
    from app.store.keyslots import KeySlots
    from app.store.workspace import load_slots

    monkeypatch.delenv(keyring_access.ALLOW_INSECURE_ENV, raising=False)
    home = demo_copy / "commissario-1"
    slots = load_slots(home)
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    backend.set_password(
        "Vaglio", slots.keyring_username, slots.key_from_passphrase(DEMO_PASSPHRASE).hex()
    )
    document = KeySlots.load(home / "keyslots.json")
    document.slots.append({"type": "keyring", "service": "Vaglio"})
    document.save(home / "keyslots.json")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        main = make_window(home, db_worker)
        qtbot.addWidget(main)
        main.show()
        main.start(None)
        qtbot.waitUntil(lambda: main.unlock_dialog is not None and main.unlock_dialog.isVisible())
    finally:
        keyring.set_keyring(previous)
    dialog = main.unlock_dialog
    assert not main.ops.unlocked
    assert dialog.note.isVisibleTo(dialog)
    assert "non è sicuro" in dialog.note.text()
    assert "PlaintextKeyring" in dialog.note.text()
    save_screenshot(dialog, "unlock-dialog-unsafe-keyring")
