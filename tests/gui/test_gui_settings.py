"""Settings (language, idle lock), the workspace chooser, the preferences file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.config import preferences
from app.i18n import current_language, set_language
from app.ui.shell.session import AppSession
from app.ui.shell.workspace_chooser import WorkspaceChooser
from tests.support.gui import save_screenshot
from tests.support.workspaces import PASSPHRASE

pytestmark = pytest.mark.gui


@pytest.fixture
def session(qtbot, qapp, member_home: Path, db_worker):  # type: ignore[no-untyped-def]
    running = AppSession(qapp, member_home, db_worker)
    window = running.make_window()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.proposals_loaded, timeout=10_000):
        window.show()
        window.start(PASSPHRASE)
    yield running
    for other in running.windows:
        other.close()
    set_language("it")


def test_switching_to_english_rebuilds_the_window_unlocked(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = session.window
    assert window.beside_action.text() == "Documenti &accanto alla scheda di valutazione"
    window.open_settings()
    qtbot.waitUntil(
        lambda: window.settings_dialog is not None and window.settings_dialog.isVisible()
    )
    dialog = window.settings_dialog
    save_screenshot(dialog, "settings-dialog")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    qtbot.waitUntil(lambda: len(session.windows) == 2)
    new = session.window
    qtbot.addWidget(new)
    qtbot.waitUntil(lambda: new.model.rowCount() == 6, timeout=10_000)
    assert current_language() == "en"
    assert new.beside_action.text() == "Documents &beside the evaluation sheet"
    assert "Sara Esposito" in new.identity_label.text()
    assert session.ops.unlocked  # no second unlock
    assert preferences.load().language == "en"
    save_screenshot(new, "member-desk-english")


def test_idle_lock_setting_and_locking(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = session.window
    window.open_settings()
    qtbot.waitUntil(lambda: window.settings_dialog is not None)
    dialog = window.settings_dialog
    assert dialog.idle.value() == 10  # the default
    dialog.idle.setValue(3)
    dialog.accept()
    qtbot.waitUntil(lambda: window.idle.minutes == 3, timeout=10_000)
    # Activity restarts the countdown.
    window.idle.timer.start(1000)
    QApplication.sendEvent(
        window.table,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier),
    )
    assert window.idle.timer.remainingTime() > 60_000
    # When it runs out, the workspace locks and asks for the secret again.
    window.idle.idle.emit()
    qtbot.waitUntil(
        lambda: window.unlock_dialog is not None and window.unlock_dialog.isVisible(),
        timeout=10_000,
    )
    assert not session.ops.unlocked
    assert window.model.rowCount() == 0
    # The setting was stored in the (encrypted) workspace.
    from app.services.settings import IDLE_LOCK_MINUTES, get_setting
    from app.services.workspace import unlock

    ws = unlock(session.ops.state.home, PASSPHRASE)
    try:
        assert get_setting(ws, IDLE_LOCK_MINUTES) == 3
    finally:
        ws.close()


def test_chooser_lists_known_workspaces(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    known = [
        preferences.KnownWorkspace(str(tmp_path / "a"), "Segreteria", "secretariat"),
        preferences.KnownWorkspace(str(tmp_path / "b"), "Elena Colombo", "member"),
    ]
    chooser = WorkspaceChooser(known, last=str(tmp_path / "b"))
    qtbot.addWidget(chooser)
    assert chooser.list.count() == 2
    assert "Elena Colombo" in chooser.list.currentItem().text()
    assert "commissario" in chooser.list.currentItem().text()
    save_screenshot(chooser, "workspace-chooser")
    chooser.list.setCurrentRow(0)
    chooser.accept()
    assert chooser.chosen == tmp_path / "a"


def test_preferences_remember_and_forget_missing(
    tmp_path: Path, monkeypatch, secretariat_home: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VAGLIO_CONFIG_DIR", str(tmp_path / "config"))
    preferences.remember_workspace(secretariat_home, "Segreteria", "secretariat")
    preferences.remember_workspace(tmp_path / "gone", "Vecchio", "member")
    prefs = preferences.load()
    assert [w.name for w in prefs.workspaces] == ["Vecchio", "Segreteria"]
    assert [w.name for w in prefs.existing_workspaces()] == ["Segreteria"]
    # A damaged file means defaults, not a crash.
    (tmp_path / "config" / "preferences.json").write_text("{oops")
    assert preferences.load().workspaces == []
