"""*Strumenti → Verifica integrità* on a healthy workspace and on a damaged one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.store.database import backup_into
from tests.support import damage
from tests.support.gui import make_window, save_screenshot, unnamed_controls
from tests.support.workspaces import PASSPHRASE, Template, opened

pytestmark = pytest.mark.gui


def _window(qtbot: Any, home: Path, worker: Any) -> Any:
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    return main


def _open_dialog(qtbot: Any, main: Any) -> Any:
    titles = [action.text() for action in main.menuBar().actions() if action.isVisible()]
    assert titles[-2:] == ["S&trumenti", "&Aiuto"]  # after the role's menus
    keys = [title[title.index("&") + 1].lower() for title in titles]
    assert len(keys) == len(set(keys)), titles
    assert main.tools_menu.title() == "S&trumenti"
    assert main.integrity_action.text() == "Verifica &integrità…"
    assert main.integrity_action.isEnabled()
    main.integrity_action.trigger()
    dialog = main.integrity_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)
    dialog.resize(900, 560)
    return dialog


def _lines(dialog: Any) -> list[str]:
    return dialog.texts()


def test_a_healthy_workspace(qtbot, secretariat_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = _window(qtbot, secretariat_home, db_worker)
    dialog = _open_dialog(qtbot, main)
    lines = _lines(dialog)
    assert len(lines) == 8 and all(line.startswith("✔") for line in lines)
    assert "Codice di autenticazione di ogni pagina (SQLCipher)" in lines[1]
    assert "Nessun problema" in dialog.summary.text()
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "integrity-healthy")
    # Checking again gives the same verdict.
    dialog.again.click()
    qtbot.waitUntil(dialog.again.isEnabled, timeout=15_000)
    assert _lines(dialog) == lines


def test_a_damaged_workspace(
    qtbot, secretariat_home: Path, secretariat_template: Template, db_worker
) -> None:  # type: ignore[no-untyped-def]
    # A page the window never reads: it opens, and the check finds the page;
    # and a backup cut short.
    db = secretariat_home / "vaglio.db"
    page = damage.root_page(db, secretariat_template.raw_key, "commission_sittings")
    backup = secretariat_home / "backups" / "vaglio-0006-before-0007-20260301T000000Z.db"
    backup.parent.mkdir(mode=0o700)
    with opened(secretariat_template, secretariat_home) as ws:
        backup_into(ws.store.engine, backup)
    damage.truncate(backup, backup.stat().st_size - 100)
    damage.flip_byte(db, page)
    main = _window(qtbot, secretariat_home, db_worker)
    dialog = _open_dialog(qtbot, main)
    lines = _lines(dialog)
    assert lines[0].startswith("✔")
    assert lines[1] == "✘  Codice di autenticazione di ogni pagina (SQLCipher)"
    assert lines[2] == (
        f"    La pagina {page} di vaglio.db è danneggiata: "
        "il suo codice di autenticazione non corrisponde."
    )
    assert lines[-2] == "✘  Backup"
    assert lines[-1].startswith(f"    Il backup {backup.name} è troncato: ")
    assert "problemi trovati" in dialog.summary.text()
    save_screenshot(dialog, "integrity-damaged")
