"""The minutes in the GUI (pytest-qt, offscreen): the menu waits for the
approval, the preview shows the pages, signing fills the signer's block,
the signatures table, saving, printing, checking any PDF, the sittings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services import ranking
from app.services.demo import DEMO_PASSPHRASE
from app.ui.shell.main_window import MainWindow
from tests.support.gui import make_window, on_worker, save_screenshot
from tests.support.minutes import DEMO_REASON, approved_demo
from tests.support.pki import P12_PASSPHRASE, Pki

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("gui-minutes") / "demo")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("gui-pki"))


def open_window(qtbot, home: Path, worker) -> MainWindow:  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=20_000):
        main.show()
        main.start(DEMO_PASSPHRASE)
    minutes = main.minutes  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: minutes.approved is not None, timeout=10_000)
    return main


def test_the_minutes_wait_for_the_approval(qtbot, demo_copy: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_window(qtbot, demo_copy / "segreteria", db_worker)
    minutes = main.minutes  # type: ignore[attr-defined]
    assert minutes.approved is False
    assert not minutes.show_action.isEnabled()
    assert "approva prima la graduatoria" in minutes.show_action.toolTip()
    assert minutes.sittings_action.isEnabled() and minutes.verify_action.isEnabled()
    minutes.menu.popup(main.mapToGlobal(main.rect().topLeft()))
    save_screenshot(minutes.menu, "minutes-menu-before-approval")
    minutes.menu.hide()

    on_worker(qtbot, main, lambda ws: ranking.approve_ranking(ws, "MI-CC-2020", DEMO_REASON))
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.reload()
    qtbot.waitUntil(lambda: minutes.approved is True, timeout=10_000)
    assert minutes.show_action.isEnabled() and "approva" not in minutes.show_action.toolTip()


def test_preview_sign_save_print_and_check(  # type: ignore[no-untyped-def]
    qtbot, approved_home: Path, tmp_path: Path, pki: Pki, db_worker
) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from app.ui.minutes.minutes_window import MinutesWindow
    from app.ui.minutes.sign_dialog import SignDialog
    from app.ui.minutes.verify_dialog import VerifyDialog

    home = Path(shutil.copytree(approved_home, tmp_path / "segreteria"))
    main = open_window(qtbot, home, db_worker)
    minutes = main.minutes  # type: ignore[attr-defined]
    assert minutes.show_action.isEnabled()
    minutes.show_action.trigger()
    window = minutes.minutes_window
    assert isinstance(window, MinutesWindow)
    qtbot.waitUntil(lambda: window.table.reports == [] and bool(window.fields), timeout=20_000)
    pages = window.document.pageCount()
    assert pages >= 10
    assert f"{pages} pagine; campi di firma compilati: 0 su 4." in window.info.text()
    assert window.signature_status.text() == "Questo PDF non contiene firme."
    window.resize(1000, 900)
    save_screenshot(window, "minutes-preview")

    # Sign through the dialog, as a person would.
    path, *_ = pki.pkcs12("Elena Colombo", "rsa")
    window.sign()
    dialog = window.dialog
    assert isinstance(dialog, SignDialog) and dialog.isVisible()
    assert dialog.field.count() == 5  # automatic + the four empty blocks
    dialog.p12_path.setText(str(path))
    dialog.p12_passphrase.setText(P12_PASSPHRASE)
    save_screenshot(dialog, "minutes-sign-dialog")
    with qtbot.waitSignal(window.checked, timeout=20_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert window.table.rowCount() == 1
    assert window.table.item(0, 0).text() == "Elena Colombo"
    assert window.table.item(0, 4).text() == "B-B"
    assert window.table.item(0, 5).text() == "sì" and window.table.item(0, 6).text() == "sì"
    assert "campi di firma compilati: 1 su 4" in window.info.text()
    assert "Firmato da Elena Colombo" in window.info.text()
    save_screenshot(window, "minutes-signed")

    # A wrong passphrase: a message, the document unchanged.
    before = window.content
    window.sign()
    dialog = window.dialog
    dialog.p12_path.setText(str(path))
    dialog.p12_passphrase.setText("sbagliata")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.message_box is not None and window.message_box.isVisible())
    assert "controlla la passphrase" in window.message_box.text()
    assert window.content is before
    window.message_box.close()

    # Save, then print to a PDF file through Qt's printer.
    target = tmp_path / "verbale-firmato.pdf"
    window.save_to(target)
    qtbot.waitUntil(lambda: window.saved_to == target, timeout=20_000)
    assert target.read_bytes() == window.content
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "stampato.pdf"
    printer.setOutputFileName(str(printed))
    printer.setResolution(100)
    assert window.print_to(printer) == pages
    assert len(PdfReader(str(printed)).pages) == pages
    window.print_document()
    assert window.dialog.isVisible()  # QPrintDialog, opened without a nested loop
    window.dialog.reject()

    # Check the saved file in the verify dialog, with the test CA trusted.
    minutes.verify_action.trigger()
    verify = minutes.dialog
    assert isinstance(verify, VerifyDialog)
    verify.file_dialog.reject()
    verify.trust_files.append(pki.ca_pem)
    verify.trust_list.addItem(str(pki.ca_pem))
    verify.check(target)
    qtbot.waitUntil(lambda: verify.table.rowCount() == 1, timeout=20_000)
    assert verify.table.item(0, 7).text() == "sì"
    assert verify.status.text() == "1 firma, integra e valida."
    assert verify.table.item(0, 1).text() == "integra, valida e attendibile"
    save_screenshot(verify, "minutes-verify")

    damaged = bytearray(target.read_bytes())
    damaged[len(damaged) // 3] ^= 0x01
    broken = tmp_path / "alterato.pdf"
    broken.write_bytes(bytes(damaged))
    verify.check(broken)
    qtbot.waitUntil(
        lambda: verify.status.text() not in ("Verifica in corso…", "1 firma, integra e valida."),
        timeout=20_000,
    )
    assert "non regge" in verify.status.text() or "danneggiato" in verify.status.text()
    verify.close()


def test_sittings_dialog(qtbot, approved_home: Path, tmp_path: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from PySide6.QtCore import QDate, QTime

    from app import clock
    from app.ui.minutes.sittings_dialog import SittingsDialog

    home = Path(shutil.copytree(approved_home, tmp_path / "segreteria"))
    main = open_window(qtbot, home, db_worker)
    minutes = main.minutes  # type: ignore[attr-defined]
    minutes.sittings_action.trigger()
    dialog = minutes.dialog
    assert isinstance(dialog, SittingsDialog)
    qtbot.waitUntil(lambda: len(dialog.members) == 4, timeout=10_000)  # and the substitute
    assert dialog.table.rowCount() == 2  # the demo's two sittings
    assert dialog.table.item(1, 3).text() == "telematica: Microsoft Teams del Comune di Milano"
    assert dialog.table.item(1, 5).text() == "Sara Esposito"
    assert dialog.table.item(1, 6).text() == "Dott.ssa Chiara Marelli"
    dialog.resize(1366, 768)

    # Nothing chosen for the members: refused, naming them, nothing recorded.
    dialog.place.setText("Palazzo Marino, Sala Alessi")
    dialog.secretary.setText("Giulia Marchi")
    dialog.add()
    qtbot.waitUntil(lambda: "Elena Colombo" in dialog.status.text(), timeout=10_000)
    assert "è presente o assente" in dialog.status.text()
    assert dialog.table.rowCount() == 2

    # By keyboard: the day, the times, telematic, each member, the secretary.
    dialog.day.setDate(QDate(*(clock.today_in_rome() - dt.timedelta(days=2))
                             .timetuple()[:3]))  # fmt: skip
    dialog.start.setTime(QTime(16, 0))
    dialog.end.setTime(QTime(15, 0))
    dialog.telematic.setFocus()
    qtbot.keyClick(dialog.telematic, Qt.Key.Key_Space)
    assert dialog.telematic.isChecked() and "segretezza" in dialog.mode_note.text()
    dialog.place.setText("Webex")
    for member in dialog.members:
        member.present.setFocus()
        qtbot.keyClick(member.present, Qt.Key.Key_Space)
    absent = dialog.members[2]
    absent.absent.setFocus()
    qtbot.keyClick(absent.absent, Qt.Key.Key_Space)
    assert absent.absent.isChecked() and not absent.present.isChecked()
    dialog.add_button.click()  # ends before it starts: refused
    qtbot.waitUntil(lambda: "prima di cominciare" in dialog.status.text(), timeout=10_000)
    assert dialog.table.rowCount() == 2
    dialog.end.setTime(QTime(17, 30))
    dialog.add_button.setFocus()
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    assert dialog.table.rowCount() == 3
    row = [dialog.table.item(0, c).text() for c in range(7)]  # the oldest first
    assert row[2:] == ["16:00–17:30", "telematica: Webex",
                       "Elena Colombo, Marco Ferrari, Luca Bianchi", "Sara Esposito",
                       "Giulia Marchi"]  # fmt: skip
    assert not any(m.present.isChecked() or m.absent.isChecked() for m in dialog.members)
    save_screenshot(dialog, "minutes-sittings")
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.remove_button.click()
    assert dialog.table.rowCount() == 2
    dialog.done(QDialog.DialogCode.Rejected)


def test_the_minutes_wait_for_a_sitting(
    qtbot, approved_home: Path, tmp_path: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.minutes import as_approved_before_freezing, drop_sittings

    # An approval made before it froze the sittings (now it needs one and
    # freezes it): the minutes wait for a sitting recorded in the tables.
    home = Path(shutil.copytree(approved_home, tmp_path / "segreteria"))
    as_approved_before_freezing(home)
    drop_sittings(home)
    main = open_window(qtbot, home, db_worker)
    minutes = main.minutes  # type: ignore[attr-defined]
    assert minutes.approved is False
    assert not minutes.show_action.isEnabled()
    assert "non ne è registrata nessuna" in minutes.show_action.toolTip()
    assert "Verbale, Sedute della commissione" in minutes.show_action.toolTip()
    assert minutes.sittings_action.isEnabled()
    # Recording one in the dialog enables the minutes.
    minutes.sittings_action.trigger()
    dialog = minutes.dialog
    qtbot.waitUntil(lambda: len(dialog.members) == 4, timeout=10_000)
    dialog.place.setText("Sala Alessi")
    dialog.secretary.setText("Giulia Marchi")
    for member in dialog.members:
        member.present.setChecked(True)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.add_button.click()
    qtbot.waitUntil(minutes.show_action.isEnabled, timeout=10_000)
    dialog.done(QDialog.DialogCode.Rejected)
