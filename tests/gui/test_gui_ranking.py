"""The secretariat's ranking in the GUI (pytest-qt, offscreen): the
Graduatoria window on the demo, the drill-down, the lottery dialog, the
approval with its refusals, and the exports read back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services import ranking
from app.services.changes import Changes
from app.ui.ranking.approval_dialog import ApprovalDialog
from app.ui.ranking.lottery_dialog import PAGE_CONFIRM, PAGE_NUMBER, PAGE_RESULT, LotteryDialog
from app.ui.ranking.ranking_dialog import TAB_EXCLUDED, TAB_RANKED, RankingDialog
from app.ui.shell.main_window import MainWindow
from tests.support.commission import deliver, lottery_call, uniform
from tests.support.gui import (
    make_window,
    on_worker,
    open_secretariat_window,
    save_screenshot,
    texts,
    unnamed_controls,
)
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import PASSPHRASE, copy_template, opened

pytestmark = pytest.mark.gui
CALL = "MI-CC-2020"
LOTTERY_CALL = "MI-CC-SORTEGGIO"


def show_ranking(qtbot, main: MainWindow) -> RankingDialog:  # type: ignore[no-untyped-def]
    actions = main.ranking  # type: ignore[attr-defined]
    actions.show_action.trigger()
    dialog = actions.ranking_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(
        lambda: dialog.view is not None and dialog.view.call_id == main.call_id, timeout=10_000
    )
    return dialog  # type: ignore[no-any-return]


def opened_dialog(qtbot, main: MainWindow, kind: type) -> Any:  # type: ignore[no-untyped-def]
    actions = main.ranking  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: isinstance(actions.dialog, kind) and actions.dialog.isVisible(), timeout=10_000
    )
    return actions.dialog


def test_the_ranking_of_the_demo_and_its_drill_down(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, qtmodeltester
) -> None:
    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    actions = main.ranking  # type: ignore[attr-defined]
    assert actions.menu.title() == "G&raduatoria e cofinanziamento"
    assert actions.show_action.isEnabled()
    assert not actions.funding_action.isEnabled()
    assert "approvata" in actions.funding_action.toolTip()
    dialog = show_ranking(qtbot, main)
    # Bundles taken in elsewhere (a sync, a USB intake) reload the open ranking.
    shown = dialog.view
    main.ops.changed.emit(Changes(bundles=True))
    qtbot.waitUntil(lambda: dialog.view is not shown, timeout=10_000)
    ranked, excluded = dialog.ranked_model, dialog.excluded_model
    qtmodeltester.check(ranked)
    qtmodeltester.check(excluded)

    assert ranked.rowCount() == 13
    assert texts(ranked, 1)[:3] == ["P038", "P034", "P010"]
    assert texts(ranked, 0)[:3] == ["1", "2", "3"]
    assert texts(ranked, 3)[:3] == ["97,00", "97,00", "96,67"]
    header = ranked.headerData(4, Qt.Orientation.Horizontal)
    assert header.startswith("Carattere") and header.endswith("max 25,00")
    tooltip = ranked.headerData(4, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "«innovation»" in tooltip
    columns = ranked.columnCount()
    assert columns == 4 + 5 + 3
    tie = texts(ranked, columns - 1)
    assert (
        tie[:2] == ["punteggio più alto su «Impatto sociale sul territorio e sui destinatari»"] * 2
    )
    assert tie[2] == ""
    p002 = ranked.row_of("P002")
    flags = ranked.index(p002, columns - 2)
    assert flags.data() == "⚠ dispersione (1)"
    assert "Sostenibilità economica" in flags.data(Qt.ItemDataRole.ToolTipRole)
    assert flags.data(Qt.ItemDataRole.BackgroundRole) is not None
    sustainability = ranked.index(p002, ranked.criterion_column("sustainability"))
    assert sustainability.data() == "⚠ 13,33"
    assert sustainability.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert ranked.index(p002, ranked.criterion_column("impact")).data() == "24,00"

    assert excluded.rowCount() == 27
    reasons = dict(zip(texts(excluded, 0), texts(excluded, 2), strict=True))
    assert reasons["P014"] == "quorum dei valutatori non raggiunto"
    assert [p for p, r in reasons.items() if r == "non ammissibile"] == ["P012", "P027", "P033"]
    assert reasons["P005"] == "totale sotto la soglia"
    assert excluded.index(excluded.row_of("P012"), 3).data() == "—"
    assert dialog.tabs.tabText(TAB_RANKED) == "In graduatoria (13)"
    assert dialog.tabs.tabText(TAB_EXCLUDED) == "Non in graduatoria (27)"
    assert dialog.approval.text().startswith("Non ancora approvata")
    assert not dialog.warnings.isVisibleTo(dialog)  # every member sent a bundle
    assert not dialog.lottery_button.isEnabled()
    assert dialog.approve_button.isEnabled()
    assert not dialog.funding_button.isEnabled()
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "ranking-demo")

    # Enter on a line opens its drill-down.
    dialog.select("P002")
    dialog.ranked.setFocus()
    qtbot.keyClick(dialog.ranked, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.drill_down is not None and dialog.drill_down.isVisible(), timeout=10_000
    )
    detail = dialog.drill_down
    assert detail.detail.proposal == "P002"
    qtmodeltester.check(detail.spread_model)
    qtmodeltester.check(detail.evaluation_model)
    assert "Posizione 8, totale 76,67" in detail.place.text()
    assert "Sostenibilità economica e fattibilità" in detail.place.text()
    spreads = detail.spread_model
    row = texts(spreads, 0).index("Sostenibilità economica e fattibilità")
    assert [spreads.index(row, c).data() for c in range(1, 7)] == [
        "13,33", "0,2", "1", "0,8", "3", "⚠ segnalata: da discutere",
    ]  # fmt: skip
    assert spreads.index(0, 6).data() == "nessuna segnalazione"
    lines = detail.evaluation_model
    assert lines.rowCount() == 3 * 5
    assert set(texts(lines, 0)) == {"Elena Colombo", "Marco Ferrari", "Sara Esposito"}
    first = [lines.index(0, c).data() for c in range(3)]
    assert first == ["Elena Colombo", "Carattere innovativo della proposta", "0,6"]
    assert lines.index(0, 3).data().startswith("Il progetto adatta")
    assert unnamed_controls(detail) == []
    save_screenshot(detail, "ranking-drill-down")
    detail.close()

    # An excluded proposal with a member in conflict of interest.
    dialog.select("P014")
    assert dialog.tabs.currentIndex() == TAB_EXCLUDED
    dialog.open_detail()
    qtbot.waitUntil(
        lambda: (
            dialog.drill_down is not None
            and dialog.drill_down.detail.proposal == "P014"
            and dialog.drill_down.isVisible()
        ),
        timeout=10_000,
    )
    detail = dialog.drill_down
    assert "Non in graduatoria: quorum dei valutatori non raggiunto" in detail.place.text()
    assert "1 in conflitto di interessi" in detail.place.text()
    lines = detail.evaluation_model
    conflict = [lines.index(0, c).data() for c in range(4)]
    assert conflict[:3] == ["Elena Colombo", "—", "in conflitto"]
    assert conflict[3].startswith("Conflitto di interessi dichiarato (rapporto professionale)")
    assert "Ho collaborato con il soggetto proponente" in conflict[3]
    assert lines.rowCount() == 1 + 2 * 5
    assert detail.spread_model.index(0, 1).data() == "—"  # no published points without quorum
    save_screenshot(detail, "ranking-drill-down-conflict")
    detail.close()


def test_approve_export_then_refuse_a_second_approval(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker, tmp_path: Path
) -> None:
    import openpyxl

    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    actions = main.ranking  # type: ignore[attr-defined]
    dialog = show_ranking(qtbot, main)

    # Before the approval the funding page explains why it is closed.
    actions.show_funding()
    funding = actions.funding_dialog
    qtbot.waitUntil(funding.locked.isVisible, timeout=10_000)
    assert "non è ancora approvata" in funding.locked.text()
    assert not funding.body.isEnabled()
    funding.close()

    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    approval = opened_dialog(qtbot, main, ApprovalDialog)
    assert "congela la graduatoria" in approval.consequences.text()
    assert "non si accettano più pacchetti" in approval.consequences.text()
    assert "registro di controllo" in approval.consequences.text()
    assert "13 proposte in graduatoria, 27 non in graduatoria" in approval.summary.text()
    assert not approval.missing.isVisibleTo(approval)
    assert not approval.pending.isVisibleTo(approval)
    # The demo's college is complete and P014 has no substitute: a reason is required.
    assert approval.reason.isVisibleTo(approval) and not approval.ok.isEnabled()
    approval.reason.setPlainText(DEMO_REASON)
    assert approval.ok.isEnabled()
    assert unnamed_controls(approval) == []
    save_screenshot(approval, "ranking-approval")
    # Flags left undiscussed: named, and approved only once confirmed.
    approval.ok.click()
    qtbot.waitUntil(lambda: approval.flags.confirm.isVisibleTo(approval), timeout=10_000)
    assert approval.isVisible() and approval.ok.isEnabled()
    assert "non sono state discusse" in approval.flags.label.text()
    assert "P019 Carattere innovativo della proposta" in approval.flags.label.text()
    assert "P002" not in approval.flags.label.text()  # the demo recorded its discussion
    assert approval.flags.confirm.hasFocus() or not approval.isActiveWindow()
    assert unnamed_controls(approval) == []
    save_screenshot(approval, "ranking-approval-undiscussed-flags")
    approval.flags.confirm.setChecked(True)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        approval.ok.click()
    assert not approval.isVisible()
    assert dialog.approval.text().startswith("✔ Approvata il")
    assert dialog.view is not None and dialog.view.document_sha256 in dialog.approval.text()
    qtbot.waitUntil(actions.funding_action.isEnabled, timeout=10_000)
    assert not actions.approve_action.isEnabled()
    assert dialog.funding_button.isEnabled() and not dialog.approve_button.isEnabled()
    assert "approvata e congelata" in actions.last_message
    save_screenshot(dialog, "ranking-approved")

    # A second approval is refused inside the dialog.
    actions.approve()
    again = opened_dialog(qtbot, main, ApprovalDialog)
    assert again is not approval
    again.ok.click()
    qtbot.waitUntil(again.error.isVisible, timeout=10_000)
    assert "è già approvata" in again.error.text()
    assert again.isVisible()
    again.reject()

    # The exports, written through the worker and read back.
    for kind in ("csv", "xlsx", "json"):
        path = tmp_path / f"graduatoria.{kind}"
        actions.write_export(CALL, kind, path)
        qtbot.waitUntil(lambda p=path: str(p) in actions.last_message, timeout=10_000)
        assert kind.upper() in actions.last_message
    lines = list(csv.reader(io.StringIO((tmp_path / "graduatoria.csv").read_text("utf-8"))))
    assert lines[0][:6] == ["posizione", "proposta", "titolo", "proponente", "totale", "innovation"]
    assert lines[1][:2] == ["1", "P038"] and lines[1][4] == "97.00"
    assert len(lines) == 1 + 13 + 27
    workbook = openpyxl.load_workbook(tmp_path / "graduatoria.xlsx")
    sheet = workbook["graduatoria"]
    assert [c.value for c in sheet[1]][:2] == ["posizione", "proposta"]
    assert sheet.max_row == 1 + 13 + 27
    document = json.loads((tmp_path / "graduatoria.json").read_text("utf-8"))
    assert {"ranking", "excluded"} <= set(document)
    assert document["ranking"][0]["proposal"] == "P038"
    assert dialog.message.isVisible() and "graduatoria.json" in dialog.message.text()

    # The file dialog chooses the kind from the name.
    actions.export_action.trigger()
    chooser = actions.file_dialog
    qtbot.waitUntil(chooser.isVisible, timeout=10_000)
    target = tmp_path / "per-la-piattaforma.xlsx"
    chooser.fileSelected.emit(str(target))
    chooser.close()
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert openpyxl.load_workbook(target)["graduatoria"].max_row == 41


@pytest.fixture
def lottery_home(secretariat_template, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The fixture workspace plus a call where P001 and P003 tie into the lottery
    (and a fourth member who sent nothing)."""
    from app.crypto.keys import KeyPair
    from app.services.roster import enroll_member

    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        lottery_call(ws, LOTTERY_CALL)
        tied = {"P001": uniform("0.8"), "P003": uniform("0.8"), "P002": uniform("1")}
        deliver(ws, LOTTERY_CALL, {"Anna": tied, "Bruno": tied, "Carla": tied})
        enroll_member(
            ws, LOTTERY_CALL, name="Dario", email="", public_keys=KeyPair.generate().public
        )
    return home


def test_the_lottery_dialog_settles_the_tie(  # type: ignore[no-untyped-def]
    qtbot, lottery_home: Path, db_worker
) -> None:
    main = open_secretariat_window(qtbot, lottery_home, db_worker, PASSPHRASE)
    main.call_box.setCurrentIndex(main.call_box.findData(LOTTERY_CALL))
    qtbot.waitUntil(lambda: main.call_id == LOTTERY_CALL)
    actions = main.ranking  # type: ignore[attr-defined]
    dialog = show_ranking(qtbot, main)
    assert dialog.view is not None and dialog.view.call_id == LOTTERY_CALL
    ranked = dialog.ranked_model
    assert texts(ranked, 1) == ["P002", "P001", "P003"]
    assert (
        texts(ranked, ranked.columnCount() - 1)[1:] == ["pari merito in attesa del sorteggio"] * 2
    )
    assert dialog.warnings.isVisible()
    assert "P001, P003" in dialog.warnings.text()
    assert "Ancora nessun pacchetto da: Dario." in dialog.warnings.text()
    assert dialog.lottery_button.isEnabled()

    def untouched() -> None:
        view = on_worker(qtbot, main, lambda ws: ranking.ranking_view(ws, LOTTERY_CALL))
        assert view.lottery_number is None and not view.approved

    # Approving now is refused, in the approval dialog, and nothing is written.
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    approval = opened_dialog(qtbot, main, ApprovalDialog)
    assert approval.pending.isVisibleTo(approval) and "P001, P003" in approval.pending.text()
    assert approval.missing.isVisibleTo(approval) and "Dario" in approval.missing.text()
    approval.ok.click()
    qtbot.waitUntil(approval.error.isVisible, timeout=10_000)
    assert "sorteggio" in approval.error.text()
    save_screenshot(approval, "ranking-approval-refused")
    approval.reject()
    untouched()

    qtbot.mouseClick(dialog.lottery_button, Qt.MouseButton.LeftButton)
    lottery = opened_dialog(qtbot, main, LotteryDialog)
    assert "P001, P003" in lottery.groups.text()
    # Words to read aloud: how anyone can check, no digest or algorithm names.
    rule = lottery.rule.text()
    assert "SHA" not in rule and "Fisher" not in rule and "Yates" not in rule, rule
    assert "chiunque" in rule.casefold() and "verbale" in rule
    assert unnamed_controls(lottery) == []
    save_screenshot(lottery, "ranking-lottery")

    # A number that is not one: refused before the confirmation.
    qtbot.keyClicks(lottery.number, "12a")
    qtbot.keyClick(lottery.number, Qt.Key.Key_Return)
    assert lottery.error.isVisible() and "non è un numero estratto" in lottery.error.text()
    assert lottery.pages.currentIndex() == PAGE_NUMBER
    untouched()

    # Enter in the number goes one step: to the confirmation, never past it
    # (it used to record the number at once). A second Enter goes back.
    lottery.number.clear()
    qtbot.keyClicks(lottery.number, "12-45-78")
    qtbot.keyClick(lottery.number, Qt.Key.Key_Return)
    assert lottery.pages.currentIndex() == PAGE_CONFIRM
    untouched()
    qtbot.keyClick(lottery.focusWidget(), Qt.Key.Key_Return)
    assert lottery.pages.currentIndex() == PAGE_NUMBER
    untouched()

    lottery.number.setText("12-45-78")
    lottery.next_button.click()
    assert lottery.pages.currentIndex() == PAGE_CONFIRM
    assert not lottery.error.isVisible()
    assert "12-45-78" in lottery.confirmation.text()
    assert "non potrà più essere modificato" in lottery.confirmation.text()
    save_screenshot(lottery, "ranking-lottery-confirm")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        lottery.record_button.click()
    assert lottery.pages.currentIndex() == PAGE_RESULT
    seed = hashlib.sha256(f"{LOTTERY_CALL}\n12-45-78\nP001,P003".encode()).hexdigest()
    assert seed in lottery.outcome.text()
    view = dialog.view
    assert view is not None and view.lottery_number == "12-45-78"
    (drawn,) = view.lotteries
    assert drawn.seed == seed
    assert lottery.outcome.text().index(drawn.order[0]) < lottery.outcome.text().rindex(
        drawn.order[1]
    )
    save_screenshot(lottery, "ranking-lottery-result")
    lottery.close_button.click()

    assert texts(ranked, 1)[1:] == list(drawn.order)
    assert texts(ranked, ranked.columnCount() - 1)[1:] == ["sorteggio"] * 2
    assert dialog.lotteries.isVisible() and seed in dialog.lotteries.text()
    assert dialog.warnings.text() == "Ancora nessun pacchetto da: Dario."
    assert not dialog.lottery_button.isEnabled()
    assert "12-45-78" in actions.last_message

    # The number cannot be recorded twice.
    actions.record_lottery()
    qtbot.waitUntil(lambda: actions.message_box is not None, timeout=10_000)
    assert "già approvata" not in actions.last_message
    assert "Nessun pari merito" in actions.last_message


def test_a_member_has_no_ranking_menu(qtbot, member_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    assert getattr(main, "ranking", None) is None
    titles = [action.text() for action in main.menuBar().actions()]
    assert "G&raduatoria e cofinanziamento" not in titles
