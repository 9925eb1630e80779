"""*Scarica il modello…* in the three import dialogs (pytest-qt, offscreen):
the template is saved where the user says, with Italian headers, and a filled
template imports as it is (issue 15, Deliver 5)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.services import declarations
from app.services.demo import DEMO_PASSPHRASE
from app.ui.common.template_download import CSV_FILTER, TemplateDownload
from app.ui.desk.declarations_dialog import DeclarationsDialog
from app.ui.funding.funding_dialog import FundingDialog
from app.ui.setup.import_preview import ImportDialog
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, open_secretariat_window, save_screenshot, texts
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE, Template, copy_template, opened

pytestmark = pytest.mark.gui


def open_window(qtbot, home: Path, worker) -> MainWindow:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    return main


@pytest.fixture
def approved_demo(demo_copy: Path) -> Path:
    """The demo's secretariat with the ranking approved (no campaigns yet)."""
    from app.services.ranking import approve_ranking
    from app.services.workspace import unlock

    home = demo_copy / "segreteria"
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        approve_ranking(ws, "MI-CC-2020", DEMO_REASON)
    finally:
        ws.close()
    return home


def download(qtbot, template: TemplateDownload, path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Click the button, choose ``path`` in the save dialog, wait for the file."""
    template.button.click()
    chooser = template.dialog
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible, timeout=10_000)
    assert chooser.windowTitle() == "Salva il modello"
    chooser.fileSelected.emit(str(path))
    chooser.close()
    qtbot.waitUntil(lambda: template.saved is not None, timeout=10_000)
    assert template.saved is not None
    return template.saved


def test_the_proposals_template_from_the_import_dialog(  # type: ignore[no-untyped-def]
    qtbot, draft_call_template, tmp_path: Path, db_worker
) -> None:
    main = open_window(qtbot, copy_template(draft_call_template, tmp_path / "ws"), db_worker)
    setup = main.call_setup  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: setup.status is not None, timeout=10_000)
    setup.import_action.trigger()
    qtbot.waitUntil(lambda: isinstance(setup.dialog, ImportDialog), timeout=10_000)
    dialog = setup.dialog
    assert dialog.file_dialog is not None
    qtbot.waitUntil(dialog.file_dialog.isVisible)
    dialog.file_dialog.close()
    assert dialog.template.button.text() == "Scarica il &modello…"
    assert "codice, titolo, proponente" in " ".join(
        label.text() for label in dialog.findChildren(type(dialog.summary))
    )
    saved = download(qtbot, dialog.template, tmp_path / "modello-proposte.xlsx")
    assert saved == tmp_path / "modello-proposte.xlsx"
    assert "Modello salvato come" in dialog.summary.text()
    sheet = load_workbook(saved).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["codice", "titolo", "proponente", "codice_fiscale"]
    save_screenshot(dialog, "import-proposals-template")
    # The example row as it is: a proposal of this call, with its attachment.
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.set_source(saved, FIXTURES / "attachments")
    assert dialog.problems.texts() == []
    assert dialog.table.rowCount() == 1 and dialog.import_button.isEnabled()


def test_a_name_without_a_suffix_follows_the_chosen_kind(  # type: ignore[no-untyped-def]
    qtbot,
    approved_demo: Path,
    tmp_path: Path,
    db_worker,
) -> None:
    main = open_secretariat_window(qtbot, approved_demo, db_worker)
    actions = main.ranking
    actions.funding_action.trigger()
    dialog = actions.funding_dialog
    assert isinstance(dialog, FundingDialog)
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    template = dialog.template
    template.button.click()
    chooser = template.dialog
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible, timeout=10_000)
    chooser.selectNameFilter(CSV_FILTER)
    chooser.fileSelected.emit(str(tmp_path / "campagne"))
    chooser.close()
    qtbot.waitUntil(lambda: template.saved is not None, timeout=10_000)
    assert template.saved == tmp_path / "campagne.csv"
    lines = list(
        csv.reader(io.StringIO(template.saved.read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert lines[0] == ["proposta", "raccolto", "sostenitori", "chiuso_il"]
    assert "Modello salvato come" in dialog.message.text()
    save_screenshot(dialog, "funding-campaigns-template")


def test_the_declarations_template_from_the_member_s_dialog(  # type: ignore[no-untyped-def]
    qtbot, member_template: Template, member_home: Path, tmp_path: Path, db_worker
) -> None:
    with opened(member_template, member_home) as ws:
        declarations.declare_general(ws, CALL_ID)
    main = open_window(qtbot, member_home, db_worker)
    main.exchange.declarations_action.trigger()
    dialog = main.exchange.declarations
    assert isinstance(dialog, DeclarationsDialog)
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    saved = download(qtbot, dialog.template, tmp_path / "modello-dichiarazioni.csv")
    assert dialog.import_result.isVisible() and "Modello salvato" in dialog.import_result.text()
    lines = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert lines == [["proposta", "conflitto", "categoria", "motivo"], ["P001", "no", "", ""]]
    save_screenshot(dialog, "declarations-template")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.import_path(saved)
    assert not dialog.error.isVisible()
    assert texts(dialog.model, 2)[0] == "nessun conflitto"
