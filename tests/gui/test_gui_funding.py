"""The secretariat's matchfunding page in the GUI (pytest-qt, offscreen):
campaign results imported (and refused whole), commitments and payments
recorded and removed, the four totals and their chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from app import clock
from app.services.demo import DEMO_PASSPHRASE
from app.ui.funding.funding_dialog import TAB_PROGRESS, TAB_PROJECTS, FundingDialog
from app.ui.shell.main_window import MainWindow
from tests.support.gui import open_secretariat_window as open_window
from tests.support.gui import save_screenshot, texts, unnamed_controls
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import CALL_ID as CALL

pytestmark = pytest.mark.gui
STATUS = 7


@pytest.fixture
def approved_demo(demo_copy: Path) -> Path:
    """The demo's secretariat with the ranking approved (no campaigns yet)."""
    from app.services.ranking import approve_ranking
    from app.services.workspace import unlock

    home = demo_copy / "segreteria"
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        approve_ranking(ws, CALL, DEMO_REASON)
    finally:
        ws.close()
    return home


def show_funding(qtbot, main: MainWindow) -> FundingDialog:  # type: ignore[no-untyped-def]
    actions = main.ranking  # type: ignore[attr-defined]
    assert actions.funding_action.isEnabled()
    actions.funding_action.trigger()
    dialog = actions.funding_dialog
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    return dialog  # type: ignore[no-any-return]


def statuses(dialog: FundingDialog) -> dict[str, str]:
    model = dialog.project_model
    return dict(zip(texts(model, 1), texts(model, STATUS), strict=True))


def import_file(qtbot, dialog: FundingDialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Choose ``path`` in the page's file dialog and wait for the outcome."""
    before = dialog.message.text(), dialog.problems.texts()
    dialog.import_button.click()
    chooser = dialog.file_dialog
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible, timeout=10_000)
    chooser.fileSelected.emit(str(path))
    chooser.close()
    qtbot.waitUntil(
        lambda: (
            dialog.import_button.isEnabled()
            and (dialog.message.text(), dialog.problems.texts()) != before
        ),
        timeout=10_000,
    )


def record(qtbot, dialog: FundingDialog, proposal: str, stage: str, amount: str, act: str) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(TAB_PROGRESS)
    dialog.project_box.setCurrentIndex(dialog.project_box.findData(proposal))
    dialog.stage_box.setCurrentIndex(dialog.stage_box.findData(stage))
    dialog.amount.setText(amount)
    today = rome_today()
    dialog.date.setDate(QDate(today.year, today.month, today.day))
    dialog.document.setText(act)
    count, message = dialog.record_model.rowCount(), dialog.message.text()
    dialog.record_button.click()
    qtbot.waitUntil(
        lambda: (
            dialog.record_model.rowCount() != count
            or dialog.record_error.isVisible()
            or dialog.message.text() != message
        ),
        timeout=10_000,
    )


def bad_campaigns(today: dt.date) -> str:
    """An impossible date, a proposal not in the ranking, backers not a number."""
    return (
        "proposal,raised,backers,closed_on\n"
        f"P038,19385.60,352,{today.year}-02-30\n"
        f"P999,1000.00,10,{today.isoformat()}\n"
        f"P034,8240.40,molti,{today.isoformat()}\n"
    )


def rome_today() -> dt.date:
    return clock.today_in_rome()


def test_campaigns_commitments_and_payments(  # type: ignore[no-untyped-def]
    qtbot, approved_demo: Path, db_worker, qtmodeltester, tmp_path: Path
) -> None:
    main = open_window(qtbot, approved_demo, db_worker)
    dialog = show_funding(qtbot, main)
    qtmodeltester.check(dialog.project_model)
    qtmodeltester.check(dialog.record_model)
    assert dialog.project_model.rowCount() == 13
    before = statuses(dialog)
    assert before["P038"] == "in campagna"
    assert before["P030"] == "in attesa: in coda"
    assert "finanziato" not in before.values()
    assert "Fondo 240.000,00 €; quota della raccolta 40%" in dialog.parameters.text()
    assert "Finestra delle campagne" in dialog.parameters.text()
    assert dialog.totals["programmato"].text() == "550.000,00 €"
    assert dialog.totals["ammesso"].text() == "0,00 €"
    assert not dialog.record_button.isEnabled()  # nothing funded yet

    # A file with problems: every row and column named, nothing imported.
    bad = tmp_path / "campagne-errate.csv"
    bad.write_text(bad_campaigns(rome_today()), encoding="utf-8")
    import_file(qtbot, dialog, bad)
    problems = dialog.problems.texts()
    assert dialog.problems.isVisible()
    assert "(3 problemi), non è stato importato nulla" in dialog.problems.heading.text()
    assert any(p.startswith("riga 2, colonna closed_on") for p in problems), problems
    assert any(p.startswith("riga 3, colonna proposal") and "P999" in p for p in problems)
    assert any(p.startswith("riga 4, colonna backers") for p in problems), problems
    assert statuses(dialog) == before
    save_screenshot(dialog, "funding-refused-campaigns")

    # The demo's campaign results: a failure, scorrimento, the fund runs out (scorrimento).
    import_file(qtbot, dialog, approved_demo.parent / "materiale" / "campagne.csv")
    assert not dialog.problems.isVisible()
    assert "Importati 12 esiti di campagna" in dialog.message.text()
    qtbot.waitUntil(lambda: statuses(dialog)["P038"] == "finanziato", timeout=10_000)
    found = statuses(dialog)
    assert found["P010"] == "campagna non riuscita"
    assert found["P017"] == "finanziato"
    # Each waiting project says why (issue 15, finding 9).
    assert (found["P036"], found["P031"], found["P030"]) == ("in attesa: fondo esaurito",) * 3
    model = dialog.project_model
    p038 = texts(model, 1).index("P038")
    assert [model.index(p038, c).data() for c in (3, 5, 6, 8)] == [
        "46.600,00 €", "19.385,60 €", "352", "27.214,40 €",
    ]  # fmt: skip
    assert dialog.totals["ammesso"].text() == "217.695,01 €"
    assert dialog.remaining.text() == "22.304,99 €"
    assert dialog.project_box.count() == 9
    chart = dict(dialog.chart.amounts())
    assert chart["Ammesso a finanziamento"] == Decimal("217695.01")
    assert chart["Giuridicamente vincolante"] == Decimal(0)

    # A commitment, then a payment: totals and chart follow.
    record(qtbot, dialog, "P038", "giuridicamente_vincolante", "20.000,00", "Determina n. 12")
    assert dialog.record_model.rowCount() == 1
    assert dialog.totals["giuridicamente_vincolante"].text() == "20.000,00 €"
    record(qtbot, dialog, "P038", "erogato", "8000", "Mandato di pagamento n. 3")
    assert dialog.record_model.rowCount() == 2
    assert dialog.totals["erogato"].text() == "8.000,00 €"
    chart = dict(dialog.chart.amounts())
    assert chart["Giuridicamente vincolante"] == Decimal("20000.00")
    assert chart["Erogato"] == Decimal("8000.00")
    assert "Erogato: 8.000,00 €" in dialog.chart.accessibleDescription()
    committed = model.index(texts(model, 1).index("P038"), 9).data()
    assert committed == "20.000,00 €"
    assert "impegnato 20.000,00 €; erogato 8.000,00 €" in dialog.project_note.text()

    # Refusals stay in the form: a payment above the commitment, a bad amount.
    record(qtbot, dialog, "P038", "erogato", "15.000,00", "Mandato n. 4")
    assert dialog.record_error.isVisible() and "impegnati" in dialog.record_error.text()
    assert dialog.record_model.rowCount() == 2
    dialog.amount.setText("dodicimila")
    dialog.record_button.click()
    assert dialog.record_error.text() == (
        "«dodicimila» non è un importo in euro: scrivi per esempio 12500,00 oppure 12.500,00."
    )
    assert dialog.record_model.rowCount() == 2
    dialog.amount.clear()
    dialog.record_button.click()  # an empty amount says what to write, not «»
    assert dialog.record_error.text() == "Serve l'importo: scrivi per esempio 12.500,00."
    assert dialog.record_model.rowCount() == 2
    dialog.record_error.setVisible(False)
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "funding-progress")
    dialog.tabs.setCurrentIndex(TAB_PROJECTS)
    save_screenshot(dialog, "funding-page")

    # Removing the payment, after confirming.
    dialog.tabs.setCurrentIndex(TAB_PROGRESS)
    row = texts(dialog.record_model, 2).index("erogato")
    dialog.records.selectRow(row)
    dialog.remove_button.click()
    box = dialog.confirmation
    assert box is not None and "Mandato di pagamento n. 3" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: dialog.record_model.rowCount() == 1, timeout=10_000)
    assert dialog.totals["erogato"].text() == "0,00 €"
    assert dict(dialog.chart.amounts())["Erogato"] == Decimal(0)
    assert "rimossa" in dialog.message.text()
    assert "rimossa" in main.ranking.last_message  # type: ignore[attr-defined]
