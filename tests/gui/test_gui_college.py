"""Conflicts and the college in the secretariat's window (pytest-qt, offscreen):
the notice after a sync or an import, the completeness view with the conflict
history and the college, the assignment of a substitute with its refusal, on
a real workspace fed with real signed and sealed bundles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.services.outbox import bundle_path
from app.ui.exchange.completeness_dialog import TAB_COLLEGE, TAB_CONFLICTS, CompletenessDialog
from app.ui.exchange.substitute_dialog import SubstituteDialog
from app.ui.shell.main_window import MainWindow
from tests.support.college import COLLEGE_CALL as CALL
from tests.support.college import (
    conflicted_commission,
    next_bundle,
    open_college_window,
    sheet,
    snapshot,
)
from tests.support.commission import Commission
from tests.support.gui import (
    on_worker,
    save_screenshot,
    texts,
    unnamed_controls,
)
from tests.support.workspaces import copy_template, opened

pytestmark = pytest.mark.gui
SCREEN = (1366, 768)


@pytest.fixture
def college_home(secretariat_template, tmp_path: Path) -> Iterator[tuple[Path, Commission]]:  # type: ignore[no-untyped-def]
    """The conflicted commission of tests/support/college.py, its workspace closed."""
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        board = conflicted_commission(ws)
    yield home, board


def open_completeness(qtbot, main: MainWindow) -> CompletenessDialog:  # type: ignore[no-untyped-def]
    exchange = main.exchange
    assert exchange is not None
    exchange.completeness_action.trigger()
    qtbot.waitUntil(
        lambda: exchange.completeness is not None and exchange.completeness.isVisible(),
        timeout=10_000,
    )
    dialog = exchange.completeness
    assert dialog is not None and dialog.status is not None
    return dialog


def test_the_completeness_view_lists_the_conflicts_and_the_short_college(  # type: ignore[no-untyped-def]
    qtbot, college_home, db_worker, qtmodeltester
) -> None:
    home, _board = college_home
    main = open_college_window(qtbot, home, db_worker)
    exchange = main.exchange
    assert exchange.completeness_action.shortcut().toString() == "Ctrl+Shift+C"
    dialog = open_completeness(qtbot, main)
    assert dialog.windowTitle() == "Completezza della valutazione — MI-CC-COLLEGIO"
    qtmodeltester.check(dialog.conflict_model)
    qtmodeltester.check(dialog.college_model)

    # At once, above the tabs: which proposals a conflict left short, and the withdrawal.
    summary = dialog.summary.text()
    assert summary.startswith("⚠ 2 proposte sono scoperte per conflitti: P003, P004.")
    assert "5 voci nella storia dei conflitti (⚠ 1 ritiro)." in summary

    # The conflict history: date, bundle, event, sentence; the withdrawal flagged.
    assert dialog.tabs.tabText(TAB_CONFLICTS) == "&Conflitti di interessi (5)"
    history = dialog.conflict_model
    assert [history.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Dichiarato il", "Pacchetto", "Evento", "Dichiarazione",
    ]  # fmt: skip
    assert texts(history, 1) == ["n. 1", "n. 2", "n. 1", "n. 2", "n. 1"]
    assert texts(history, 2) == [
        "dichiarato", "⚠ RITIRATO", "dichiarato", "dichiarato", "dichiarato",
    ]  # fmt: skip
    assert texts(history, 3) == [
        "Luca Ferri dichiara un conflitto su P002: rapporto professionale — Consulente del "
        "proponente.",
        "Luca Ferri RITIRA il conflitto dichiarato su P002: ora senza conflitto",
        "Elena Colombo dichiara un conflitto su P003: rapporto professionale — Ha lavorato per "
        "il proponente nel 2019.",
        "Luca Ferri dichiara un conflitto su P003: rapporto professionale — Consulente del "
        "proponente.",
        "Elena Colombo dichiara un conflitto su P004: rapporto professionale — Ha lavorato per "
        "il proponente nel 2019.",
    ]
    withdrawn = history.index(1, 3)
    assert withdrawn.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert isinstance(withdrawn.data(Qt.ItemDataRole.FontRole), QFont)
    assert history.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) is None
    assert texts(history, 0)[0].count("/") == 2  # an Italian date and time
    dialog.tabs.setCurrentIndex(TAB_CONFLICTS)
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "completeness-conflicts")

    # The college: the short proposals first, with why and what to do.
    assert dialog.tabs.tabText(TAB_COLLEGE) == "C&ollegio (2 scoperte)"
    college = dialog.college_model
    assert texts(college, 0) == ["P003", "P004", "P001", "P002", "P005"]
    assert texts(college, 2)[:2] == ["0 su 3", "1 su 3"]
    assert (
        texts(college, 3) == ["scoperta: serve un supplente"] * 2 + ["in attesa di pacchetti"] * 3
    )
    assert texts(college, 4)[1] == (
        "1 valutatore su 3: Elena Colombo in conflitto, senza supplente; Dario Neri non ha "
        "inviato nulla"
    )
    assert college.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert college.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.college_text.text().startswith("Collegio — perfetto: l'intera commissione")
    assert "Valutatori richiesti per ogni proposta: 3." in dialog.college_text.text()
    assert "Supplenti in commissione: Marco Bianchi, Sara Verdi." in dialog.college_text.text()
    assert dialog.silent.text() == "Non è ancora arrivato nulla da: Dario Neri."
    dialog.tabs.setCurrentIndex(TAB_COLLEGE)
    assert dialog.assign_button.isEnabled()  # P003, selected first
    assert "il posto di Elena Colombo, Luca Ferri è vacante" in dialog.assign_hint.text()
    dialog.college_table.selectRow(2)
    assert not dialog.assign_button.isEnabled()  # P001 waits for Dario, no conflict
    assert "nessun commissario è in conflitto senza supplente" in dialog.assign_hint.text()
    dialog.college_table.selectRow(1)
    assert dialog.assign_button.isEnabled()
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "completeness-college")


def test_a_substitute_is_assigned_from_the_completeness_view(  # type: ignore[no-untyped-def]
    qtbot, college_home, db_worker
) -> None:
    home, board = college_home
    main = open_college_window(qtbot, home, db_worker)
    dialog = open_completeness(qtbot, main)
    dialog.tabs.setCurrentIndex(TAB_COLLEGE)

    # P003: two seats empty, so the dialog asks whose. Enter on the line opens it.
    dialog.college_table.selectRow(dialog.college_model.row_of("P003"))
    dialog.college_table.setFocus()
    qtbot.keyClick(dialog.college_table, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            isinstance(dialog.substitute_dialog, SubstituteDialog)
            and dialog.substitute_dialog.isVisible()
        ),
        timeout=10_000,
    )
    assign = dialog.substitute_dialog
    assert assign.windowTitle() == "Assegna un supplente — P003"
    assert assign.why.text().startswith("0 valutatori su 3: Elena Colombo in conflitto")
    assert [assign.substitute.itemText(i).split(" — ")[0] for i in range(2)] == [
        "Marco Bianchi", "Sara Verdi",
    ]  # fmt: skip
    assert assign.seat.isEnabled() and assign.seat.count() == 2
    assert assign.seat.itemText(1).startswith("Luca Ferri — ")
    assign.seat.setCurrentIndex(1)
    assert not assign.problem.isVisibleTo(assign)
    assert assign.ok.text() == "&Assegna e pubblica"
    assert unnamed_controls(assign) == []
    save_screenshot(assign, "assign-substitute")
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        qtbot.mouseClick(assign.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(assign.outcome.isVisible, timeout=15_000)
    assert assign.outcome.text() == (
        "Marco Bianchi valuta P003 al posto di Luca Ferri.\n"
        "Pacchetto 2 dell'avviso MI-CC-COLLEGIO firmato e sigillato per 4 commissari."
    )
    assert not assign.cancel.isVisible() and assign.ok.text() == "Chi&udi"
    save_screenshot(assign, "assign-substitute-done")
    assign.ok.click()
    assert not assign.isVisible()
    # The view read the college again: P003 still short (Elena's seat), Luca's seat taken.
    why = {row.proposal: row.why() for row in dialog.college_model.rows}
    assert "Luca Ferri in conflitto, il supplente Marco Bianchi non ha inviato nulla" in why["P003"]
    assert main.call_id == CALL
    package = home / "outbox" / CALL / "package" / "package-000002.vaglio"
    assert package.is_file()

    # P003 again: Marco already sits there, so only Sara may be chosen; Elena's seat is left.
    dialog.college_table.selectRow(dialog.college_model.row_of("P003"))
    dialog.assign_substitute()
    qtbot.waitUntil(
        lambda: dialog.substitute_dialog is not assign and dialog.substitute_dialog.isVisible(),
        timeout=10_000,
    )
    again = dialog.substitute_dialog
    marco = again.substitute.model().item(0)
    assert not marco.isEnabled() and "(valuta già questa proposta)" in marco.text()
    assert again.substitute.currentText().startswith("Sara Verdi")
    assert again.seat.count() == 1 and not again.seat.isEnabled()
    assert again.seat.currentText().startswith("Elena Colombo")

    # Meanwhile someone else seats Sara there: the assignment is refused, nothing written.
    def seat_sara(ws: Any) -> object:
        from app.services.substitutes import assign_substitute

        sara = board.keys["Sara Verdi"].public.key_id
        return assign_substitute(ws, CALL, "P003", sara)

    on_worker(qtbot, main, seat_sara)
    before = snapshot(qtbot, main)
    again.ok.click()
    qtbot.waitUntil(lambda: again.refusal is not None and again.refusal.isVisible(), timeout=10_000)
    assert again.refusal.text() == "Sara Verdi valuta già P003 al posto di un altro commissario."
    assert again.isVisible() and again.ok.isEnabled() and not again.outcome.isVisible()
    assert snapshot(qtbot, main) == before
    again.refusal.close()
    again.reject()


def test_a_sync_and_an_import_show_their_conflicts_at_once(  # type: ignore[no-untyped-def]
    qtbot, college_home, db_worker, tmp_path: Path
) -> None:
    home, board = college_home
    main = open_college_window(qtbot, home, db_worker)
    exchange = main.exchange
    shared = tmp_path / "cartella-condivisa"
    shared.mkdir()

    def set_remote(ws: Any) -> object:
        from app.services.remotes import set_remote

        return set_remote(ws, CALL, str(shared))

    on_worker(qtbot, main, set_remote)
    # Dario's first bundle, with a conflict, and a file that is no bundle at all.
    sealed = next_bundle(qtbot, main, board, "Dario Neri", sheet(("P005",)))
    dario = board.keys["Dario Neri"].public.key_id
    inbox = shared / bundle_path(CALL, dario, 1, board.sent["Dario Neri"][1])
    inbox.parent.mkdir(parents=True)
    inbox.write_bytes(sealed)
    (inbox.parent / "000002-0000000000000000.vaglio").write_bytes(b"non sono un pacchetto")

    with qtbot.waitSignal(exchange.synced, timeout=20_000):
        exchange.sync_action.trigger()
    qtbot.waitUntil(lambda: exchange.notice is not None and exchange.notice.isVisible())
    notice = exchange.notice
    assert notice.heading.text() == (
        "1 conflitto di interessi dichiarato, modificato o ritirato; 1 file rifiutato."
    )
    lines = notice.texts()
    assert lines[0] == (
        "• Dario Neri dichiara un conflitto su P005: rapporto professionale — Consulente del "
        "proponente."
    )
    assert lines[1].startswith(f"✘ Rifiutato {CALL}/inbox/")
    assert "1 file rifiutati." in exchange.last_result.text()
    assert notice.open_button.isVisible() and notice.open_button.text().startswith("Apri la")
    assert unnamed_controls(notice) == []
    save_screenshot(notice, "intake-notice-sync")

    # From the notice to the completeness view.
    notice.open_button.click()
    qtbot.waitUntil(
        lambda: exchange.completeness is not None and exchange.completeness.isVisible(),
        timeout=10_000,
    )
    dialog = exchange.completeness
    assert not notice.isVisible()
    assert "P005" in dialog.summary.text()

    # A bundle brought by hand withdraws Elena's conflict on P004; a broken file
    # beside it is refused without stopping it. The open view reads it all again.
    withdrawal = tmp_path / "colombo-2.vaglio"
    withdrawal.write_bytes(next_bundle(qtbot, main, board, "Elena Colombo", sheet(("P003",))))
    broken = tmp_path / "rotto.vaglio"
    broken.write_bytes(b"{}")
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        exchange.import_paths([str(withdrawal), str(broken)])
        qtbot.waitUntil(lambda: exchange.notice is not notice, timeout=20_000)
    notice = exchange.notice
    assert notice.isVisible()
    assert notice.heading.text() == (
        "2 conflitti di interessi dichiarati, modificati o ritirati; ⚠ di cui 1 ritirato; "
        "1 file rifiutato."
    )
    changed, withdrawn, refused = (notice.list.item(row) for row in range(3))
    assert changed.text() == (
        "• Elena Colombo modifica il conflitto dichiarato su P003: rapporto professionale — "
        "Consulente del proponente."
    )
    assert not changed.font().bold()
    assert withdrawn.text() == (
        "⚠ Elena Colombo RITIRA il conflitto dichiarato su P004: ora senza conflitto"
    )
    assert withdrawn.font().bold() and withdrawn.background().color().name() == "#fff4d6"
    assert refused.text().startswith("✘ Rifiutato ") and "rotto.vaglio" in refused.text()
    assert "Accettato il pacchetto 2 di Elena Colombo" in exchange.last_result.text()
    assert "⚠ 2 ritiri" in dialog.summary.text()
    assert texts(dialog.conflict_model, 2).count("⚠ RITIRATO") == 2
    save_screenshot(notice, "intake-notice-import")
    notice.close()

    # A sync that brings nothing new tells nothing.
    with qtbot.waitSignal(exchange.synced, timeout=20_000):
        exchange.sync_action.trigger()
    assert exchange.notice is notice and not notice.isVisible()


def test_a_member_sees_refused_files_without_the_way_to_the_completeness_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.exchange.intake_notice import IntakeNotice, notice_lines

    lines = notice_lines([], [("MI-CC-2020/package/package-000003.vaglio", "firma non valida")])
    notice = IntakeNotice(lines, office=False)
    qtbot.addWidget(notice)
    notice.show()
    assert notice.heading.text() == "1 file rifiutato."
    assert notice.texts() == [
        "✘ Rifiutato MI-CC-2020/package/package-000003.vaglio: firma non valida"
    ]
    assert not notice.open_button.isVisible() and not notice.hint.isVisible()
