"""The member's window after the office closes the call: the question after
the sync, the confirmation that says what goes and what stays, the removal,
and the refusal before the close notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.i18n import _
from app.ui.shell.main_window import MainWindow
from tests.support import closed_call
from tests.support.closed_call import ClosedCall
from tests.support.gui import make_window, save_screenshot
from tests.support.workspaces import PASSPHRASE

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)


@pytest.fixture(scope="module")
def closed_template(tmp_path_factory: pytest.TempPathFactory) -> ClosedCall:
    return closed_call.build(tmp_path_factory.mktemp("closed") / "scenario")


@pytest.fixture
def scenario(closed_template: ClosedCall, tmp_path: Path) -> ClosedCall:
    return closed_call.copy(closed_template, tmp_path / "scenario")


def open_window(qtbot, home: Path, worker) -> MainWindow:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.resize(*SCREEN)
        main.show()
        main.start(PASSPHRASE)
    return main


def test_the_close_notice_prompts_the_removal(qtbot, scenario: ClosedCall, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, scenario.member, db_worker)
    purge = main.purge  # type: ignore[attr-defined]
    assert purge.action.isVisible() and purge.action.text() == "&Rimuovi il materiale dell'avviso…"
    assert main.model.rowCount() == 2

    with qtbot.waitSignal(main.exchange.synced, timeout=20_000):
        main.exchange.sync_action.trigger()
    qtbot.waitUntil(lambda: purge.prompt_box is not None and purge.prompt_box.isVisible())
    prompt = purge.prompt_box
    assert "ha chiuso l'avviso" in prompt.text() and "restano come prova" in prompt.text()
    assert prompt.defaultButton() is not purge.prompt_remove  # "Later" is the default
    save_screenshot(prompt, "member-call-closed-prompt")

    purge.prompt_remove.click()
    qtbot.waitUntil(lambda: purge.dialog is not None and purge.dialog.isVisible())
    dialog = purge.dialog
    assert "2 proposte" in dialog.removal.text() and "10 punteggi" in dialog.removal.text()
    assert "1 pacchetto di punteggi da te firmato" in dialog.kept.text()
    assert not dialog.remove_button.isDefault()
    QApplication.processEvents()
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    save_screenshot(dialog, "member-purge-confirmation")
    save_screenshot(main, "member-purge-confirmation-window")

    with qtbot.waitSignal(main.proposals_loaded, timeout=20_000, raising=False):
        dialog.remove_button.click()
    qtbot.waitUntil(lambda: purge.last_message is not None, timeout=20_000)
    assert "è stato rimosso da questo computer" in purge.last_message.text()
    qtbot.waitUntil(lambda: main.model.rowCount() == 0, timeout=10_000)
    assert "rimosso" in main.exchange.last_result.text()
    # Nothing of the call stays on screen or in the undo history either.
    assert main.detail.heading.text() == _("Select a proposal in the list.")
    assert main.desk.stacks == {} and main.desk.pane.sheet is None
    purge.last_message.close()
    save_screenshot(main, "member-after-purge")


def test_before_the_close_notice_the_removal_is_refused(
    qtbot, scenario: ClosedCall, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, scenario.member, db_worker)
    purge = main.purge  # type: ignore[attr-defined]
    purge.action.trigger()
    qtbot.waitUntil(lambda: purge.last_message is not None, timeout=10_000)
    assert "non ha comunicato la chiusura" in purge.last_message.text()
    assert purge.dialog is None
    assert main.model.rowCount() == 2


def test_the_secretariat_has_no_removal(qtbot, scenario: ClosedCall, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = make_window(scenario.office, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.unlocked, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    assert getattr(main, "purge", None) is None
