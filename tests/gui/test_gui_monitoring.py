"""Monitoring in the window: the completeness view with its counts, its
deadline and its hint when empty; the deadline in the call editor and on the
member's desk; the audit log with its chain; and the live refresh when the
command line changes the workspace behind the open window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication

from app.services.status import Tally
from app.ui.exchange.completeness_model import COMPLETED, FIXED
from app.ui.shell.main_window import MainWindow
from tests.support import damage
from tests.support.cli import run_vaglio
from tests.support.gui import make_window, on_worker, open_secretariat_window, save_screenshot
from tests.support.monitoring import CALL, member_with_deadline, monitored_call
from tests.support.workspaces import (
    CALL_ID,
    FIXTURES,
    PASSPHRASE,
    Template,
    copy_template,
    opened,
)

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)
SCREEN_AREA = QRect(0, 0, 1366, 728)  # the laptop's screen less its panel


def monitored_home(template: Template, target: Path, deadline: str | None) -> Path:
    home = copy_template(template, target)
    with opened(template, home) as ws:
        monitored_call(ws, deadline)
    return home


def open_completeness(qtbot: Any, main: MainWindow, call_id: str) -> Any:
    main.call_box.setCurrentIndex(main.call_box.findData(call_id))
    qtbot.waitUntil(lambda: main.call_id == call_id)
    exchange = main.exchange
    assert exchange is not None
    exchange.completeness_action.trigger()
    qtbot.waitUntil(
        lambda: (
            exchange.completeness is not None
            and exchange.completeness.isVisible()
            and exchange.completeness.status is not None
            and exchange.completeness.status.call_id == call_id
        ),
        timeout=10_000,
    )
    return exchange.completeness


def test_the_completeness_view_counts_and_flags_the_late_bundles(  # type: ignore[no-untyped-def]
    qtbot, empty_secretariat_template, tmp_path, db_worker, qtmodeltester
) -> None:
    home = monitored_home(empty_secretariat_template, tmp_path / "ws", "2026-03-10")
    main = open_secretariat_window(qtbot, home, db_worker, PASSPHRASE)
    main.resize(*SCREEN)
    dialog = open_completeness(qtbot, main, CALL)
    model = dialog.model
    qtmodeltester.check(model)
    assert model.headerData(COMPLETED, _horizontal()) == "Completate"
    assert model.rowCount() == 5  # four members and the totals
    names = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert names == ["Anna", "Bruno", "Carla", "Dario", "Totale: commissari per proposta"]
    assert [model.index(row, COMPLETED).data() for row in range(5)] == [
        "5/5", "4/4", "3/3", "0/5", "12/17",
    ]  # fmt: skip
    totals = model.totals_row
    p004 = FIXED + dialog.status.proposals.index("P004")
    assert model.index(totals, p004).data() == "3/4"
    assert model.index(totals, FIXED + dialog.status.proposals.index("P006")).data() == "—"
    assert (
        model.index(totals, p004).data(_tooltip()) == "P004: l'hanno completata 3 commissari su 4."
    )
    assert model.index(0, 1).data().endswith("· in ritardo")
    assert "dopo la scadenza" in model.index(0, 1).data(_tooltip())
    summary = dialog.summary.text()
    assert "Schede di valutazione complete: 12 su 17." in summary
    assert "Scadenza della valutazione: 10/03/2026 (scaduta da 1 giorno)." in summary
    assert "Arrivati dopo la scadenza (accettati, segnalati): Anna, Bruno, Carla." in summary
    assert not dialog.empty_hint.isVisible()
    assert dialog.status.totals == Tally(12, 17)
    assert SCREEN_AREA.contains(dialog.frameGeometry()) or dialog.width() <= 1280
    save_screenshot(dialog, "completeness-counts-deadline")


def _horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _tooltip() -> Any:
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole


def test_an_empty_completeness_view_says_what_to_do(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home, db_worker
) -> None:
    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    main.resize(*SCREEN)
    dialog = open_completeness(qtbot, main, CALL_ID)
    assert dialog.empty_hint.isVisible() and not dialog.table.isVisible()
    # With nobody enrolled no proposal is "short because of conflicts": nobody declared any.
    assert "conflitt" not in dialog.summary.text()
    assert dialog.empty_hint.text().startswith(
        "Nessun commissario iscritto: iscrivili dalle loro tessere"
    )
    save_screenshot(dialog, "completeness-empty-hint")


def test_no_sheet_received_yet_is_said_over_the_grid(  # type: ignore[no-untyped-def]
    qtbot, empty_secretariat_template, tmp_path, db_worker
) -> None:
    from tests.support.commission import Commission, lottery_call

    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    with opened(empty_secretariat_template, home) as ws:
        call_id = lottery_call(ws)
        board = Commission(ws, call_id)
        board.enrol("Anna")
        board.publish()
    main = open_secretariat_window(qtbot, home, db_worker, PASSPHRASE)
    dialog = open_completeness(qtbot, main, call_id)
    assert dialog.empty_hint.isVisible() and dialog.table.isVisible()
    assert dialog.empty_hint.text().startswith("Nessuna scheda di valutazione ricevuta:")
    assert dialog.model.index(0, COMPLETED).data() == "0/5"


def test_the_call_editor_sets_and_clears_the_evaluation_deadline(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home, db_worker
) -> None:
    from PySide6.QtCore import QDate, Qt

    from app.services.call_setup import definition_text
    from app.ui.setup.call_editor import CallEditorDialog

    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    main.resize(*SCREEN)
    setup = main.call_setup  # type: ignore[attr-defined]
    setup.edit_action.trigger()
    qtbot.waitUntil(
        lambda: isinstance(setup.dialog, CallEditorDialog) and setup.dialog.isVisible(),
        timeout=10_000,
    )
    editor = setup.dialog
    # The fixture call sets none: the box is unticked and the day cannot be typed.
    assert not editor.evaluation_deadline_set.isChecked()
    assert not editor.evaluation_deadline.isEnabled()
    assert editor.form().evaluation_deadline is None
    editor.evaluation_deadline_set.setChecked(True)
    assert editor.evaluation_deadline.isEnabled()
    editor.evaluation_deadline.setDate(QDate(2020, 12, 20))
    assert editor.form().evaluation_deadline == dt.date(2020, 12, 20)
    assert "evaluation_deadline = 2020-12-20\n" in editor.toml_text()
    save_screenshot(editor, "call-editor-evaluation-deadline")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    text = on_worker(qtbot, main, lambda ws: definition_text(ws, CALL_ID))
    assert "evaluation_deadline = 2020-12-20" in text
    # A day before the submission deadline is refused, naming the field.
    qtbot.waitUntil(setup.edit_action.isEnabled, timeout=10_000)  # the call reloaded
    setup.edit_action.trigger()
    qtbot.waitUntil(lambda: setup.dialog is not editor and setup.dialog.isVisible(), timeout=10_000)
    editor = setup.dialog
    assert editor.evaluation_deadline_set.isChecked()
    assert editor.form().evaluation_deadline == dt.date(2020, 12, 20)
    editor.evaluation_deadline.setDate(QDate(2020, 7, 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(editor.problem_keys), timeout=10_000)
    assert editor.problem_keys == ["call.evaluation_deadline"]
    # Unticked, the key goes away and the call has no deadline again.
    editor.evaluation_deadline_set.setChecked(False)
    assert "evaluation_deadline" not in editor.toml_text()


def test_the_deadline_travels_in_the_package_to_the_members_desk(  # type: ignore[no-untyped-def]
    qtbot, tmp_path, db_worker
) -> None:
    from app.services.member_desk import desk

    # The suite's day in Rome is 11 March 2026.
    template = member_with_deadline(tmp_path / "tpl", "2026-03-26")
    home = copy_template(template, tmp_path / "member")
    with opened(template, home) as ws:
        view = desk(ws, CALL_ID)
    assert view.deadline == dt.date(2026, 3, 26)
    main = make_window(home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    main.resize(*SCREEN)
    label = main.deadline_label  # type: ignore[attr-defined]
    qtbot.waitUntil(label.isVisible)
    assert label.text() == "Scadenza della valutazione: 26/03/2026 (mancano 15 giorni)"
    save_screenshot(main, "member-desk-deadline")


def test_the_audit_log_lists_filters_and_shows_a_broken_chain(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home, db_worker
) -> None:
    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    main.resize(*SCREEN)
    assert main.audit_log_action.shortcut().toString() == "Ctrl+Shift+H"
    main.audit_log_action.trigger()
    dialog = main.audit_log_dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    total = dialog.model.rowCount()
    assert total == len(dialog.view.entries) >= 3
    assert dialog.chain.text() == f"✔ Catena verificata: {total} voci integre."
    newest = dialog.model.row_at(0)
    assert newest.seq == total  # newest first
    actions = [dialog.model.row_at(row).action for row in range(total)]
    assert actions[-1] == "workspace.created" and "proposals.imported" in actions
    assert dialog.model.index(total - 1, 2).data() == "Segreteria"
    # 23:30 UTC on 10 March is half past midnight on the 11th in Rome.
    assert dialog.model.index(total - 1, 1).data() == "11/03/2026 00:30"
    save_screenshot(dialog, "audit-log")
    # By kind of operation, then by words.
    dialog.set_filter(action="proposals.imported")
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 3).data() == "Proposte importate"
    assert dialog.model.index(0, 4).data() == f"{CALL_ID} · proposals.csv"
    dialog.set_filter(text="nessuna-parola-così")
    assert dialog.model.rowCount() == 0
    assert dialog.count.text() == f"0 di {total} voci"
    dialog.set_filter(text=CALL_ID)
    assert 0 < dialog.model.rowCount() < total
    dialog.set_filter()
    # An entry rewritten behind the triggers breaks the chain: shown in red.
    raw_key = on_worker(qtbot, main, lambda ws: ws.store.raw_key)
    damage.tamper_audit_entry(secretariat_home / "vaglio.db", raw_key, 2, '{"forged":true}')
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load()
    assert dialog.view.broken == (2,)
    assert dialog.chain.text().startswith("✘ Catena interrotta alla voce 2:")
    assert "#8a1c1c" in dialog.chain.styleSheet()
    broken = dialog.model.row_of("2")
    assert dialog.model.index(broken, 5).data() == "forged: True"
    assert dialog.model.index(broken, 0).data(_foreground()).color().name() == "#8a1c1c"
    save_screenshot(dialog, "audit-log-broken")


def _foreground() -> Any:
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ForegroundRole


OTHER_CALL = "MI-CC-2021"


def other_call_file(folder: Path, call_id: str) -> Path:
    path = folder / f"{call_id}.toml"
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('id = "MI-CC-2020"', f'id = "{call_id}"', 1), encoding="utf-8")
    return path


def test_a_change_from_the_command_line_shows_without_locking(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home, db_worker, tmp_path
) -> None:
    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    live = main.live_refresh
    qtbot.waitUntil(lambda: live.marker is not None and bool(live.watcher.files()))
    assert main.call_box.count() == 1
    env = {"VAGLIO_PASSPHRASE": PASSPHRASE}
    # The command line creates a call: the watcher sees the file change.
    done = run_vaglio(
        "--home", str(secretariat_home), "call", "create",
        str(other_call_file(tmp_path, OTHER_CALL)), env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: main.call_box.findData(OTHER_CALL) >= 0, timeout=15_000)
    # Without the watcher, coming back to the window is enough.
    live.stop()
    live.marker = None
    live.start()
    qtbot.waitUntil(lambda: live.marker is not None)
    live.watcher.removePaths(live.watcher.files())
    done = run_vaglio(
        "--home", str(secretariat_home), "call", "create",
        str(other_call_file(tmp_path, "MI-CC-2022")), env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert main.call_box.findData("MI-CC-2022") < 0
    with qtbot.waitSignal(live.outside_change, timeout=10_000):
        QApplication.sendEvent(main, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: main.call_box.findData("MI-CC-2022") >= 0, timeout=10_000)


def test_the_windows_own_changes_are_not_taken_for_someone_elses(  # type: ignore[no-untyped-def]
    qtbot, secretariat_home, db_worker
) -> None:
    from app.services.settings import IDLE_LOCK_MINUTES, set_setting

    main = open_secretariat_window(qtbot, secretariat_home, db_worker, PASSPHRASE)
    live = main.live_refresh
    qtbot.waitUntil(lambda: live.marker is not None)
    outside: list[bool] = []
    live.outside_change.connect(lambda: outside.append(True))
    main.ops.run(None, lambda ws: set_setting(ws, IDLE_LOCK_MINUTES, 7))
    before = live.marker
    qtbot.waitUntil(lambda: live.marker != before, timeout=10_000)
    with qtbot.waitSignal(live.checked, timeout=10_000):
        QApplication.sendEvent(main, QEvent(QEvent.Type.WindowActivate))
    assert outside == []


def open_member_window(qtbot: Any, home: Path, worker: Any) -> MainWindow:
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    main.resize(*SCREEN)
    return main


def test_a_member_reads_their_own_audit_log(qtbot, member_home, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_member_window(qtbot, member_home, db_worker)
    assert main.audit_log_action.isEnabled()
    assert main.audit_log_action.statusTip().startswith("Ogni operazione registrata")
    main.audit_log_action.trigger()
    dialog = main.audit_log_dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    assert dialog.chain.text().startswith("✔ Catena verificata:")
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert kinds[0] == "Tutte le operazioni"
    assert "Pacchetto dell'avviso ricevuto" in kinds
    dialog.set_filter(action="call.package_installed")
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "Sara Esposito"
    # Locked, the action is off and says nothing can be read.
    main.lock()
    qtbot.waitUntil(lambda: not main.audit_log_action.isEnabled(), timeout=10_000)
    assert main.audit_log_action.toolTip() == (
        "Sblocca l'area di lavoro per leggere il suo registro delle operazioni."
    )


def test_the_members_desk_shows_a_declaration_made_on_the_command_line(  # type: ignore[no-untyped-def]
    qtbot, member_home, db_worker
) -> None:
    main = open_member_window(qtbot, member_home, db_worker)
    assert main.desk is not None
    qtbot.waitUntil(lambda: main.desk.desk is not None)  # type: ignore[union-attr]
    assert main.banner.isVisible()  # the general declaration is still to make
    live = main.live_refresh
    qtbot.waitUntil(lambda: live.marker is not None and bool(live.watcher.files()))
    done = run_vaglio(
        "--home", str(member_home), "declare", CALL_ID, "--general",
        env={"VAGLIO_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: not main.banner.isVisible(), timeout=15_000)
    assert main.desk.desk.general_declared  # type: ignore[union-attr]
