"""The secretariat's statistics per member in the GUI (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.ui.ranking.statistics_dialog import StatisticsDialog
from app.ui.shell.main_window import MainWindow
from tests.support.commission import CONFLICT, deliver, uniform
from tests.support.gui import open_secretariat_window, save_screenshot, texts, unnamed_controls
from tests.support.workspaces import CALL_ID, PASSPHRASE, copy_template, opened

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)


def open_statistics(qtbot, main: MainWindow) -> StatisticsDialog:  # type: ignore[no-untyped-def]
    actions = main.ranking  # type: ignore[attr-defined]
    assert actions.statistics_action.isEnabled()
    with qtbot.waitSignal(_loaded(actions), timeout=10_000):
        actions.statistics_action.trigger()
    dialog = actions.statistics_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog  # type: ignore[no-any-return]


def _loaded(actions):  # type: ignore[no-untyped-def]
    """The dialog's ``loaded`` signal (the dialog is made on first use)."""
    if actions.statistics_dialog is None:
        actions.statistics_dialog = StatisticsDialog(actions.window.ops, actions.window)
    return actions.statistics_dialog.loaded


def test_the_statistics_of_the_members_after_intake(  # type: ignore[no-untyped-def]
    qtbot, secretariat_template, tmp_path: Path, db_worker, qtmodeltester
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        deliver(
            ws,
            CALL_ID,
            {
                "Anna Riva": {"P001": uniform("1"), "P002": uniform("0.6")},
                "Bruno Sala": {"P001": uniform("0.8"), "P002": uniform("0.8")},
                "Carla Neri": {"P001": CONFLICT, "P002": uniform("0.4")},
            },
        )
    main = open_secretariat_window(qtbot, home, db_worker, PASSPHRASE)
    actions = main.ranking  # type: ignore[attr-defined]
    assert actions.statistics_action.text() == "&Statistiche dei commissari…"
    assert actions.statistics_action.shortcut().toString() == "Ctrl+Shift+T"
    dialog = open_statistics(qtbot, main)
    qtmodeltester.check(dialog.model)
    assert dialog.windowTitle() == f"Statistiche dei commissari — {CALL_ID}"
    assert "non sono mai applicate ad alcun punteggio" in dialog.note.text()
    assert "3 pacchetti di punteggi accettati" in dialog.summary.text()
    model = dialog.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Commissario", "Proposte", "Valori", "Media", "Deviazione standard",
                       "Al minimo", "Al massimo", "Concordanza con gli altri"]  # fmt: skip
    assert texts(model, 0) == ["Anna Riva", "Bruno Sala", "Carla Neri"]
    assert texts(model, 3) == ["0,80", "0,80", "0,40"]
    assert texts(model, 4) == ["0,20", "0,00", "0,00"]
    assert texts(model, 6) == ["50 %", "0 %", "0 %"]
    # Bruno's and Carla's values do not vary: their agreement is not defined.
    assert texts(model, 7) == ["1,00", "n/d", "n/d"]
    assert "10 coppie" in model.index(0, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert "n/d: non definita" in dialog.legend.text()
    assert unnamed_controls(dialog) == []
    dialog.resize(*SCREEN)
    save_screenshot(dialog, "member-statistics")
    dialog.reject()


def test_before_any_bundle_the_dialog_says_why_it_is_empty(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home: Path, db_worker
) -> None:
    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    dialog = open_statistics(qtbot, main)
    assert dialog.error.isVisible() and not dialog.table.isVisible()
    assert "non è ancora arrivato alcun pacchetto" in dialog.error.text()
    dialog.reject()
