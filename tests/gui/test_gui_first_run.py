"""The first run without a terminal: the wizard creates a member's or the
secretariat's workspace, refuses what it must (passphrases that differ or are
weak, a wrong confirmation of the recovery code), and leads on: the member's
tessera, the secretariat's first call through the existing dialogs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from app.bundles.card import EnrollmentCard
from app.services.cards import save_card
from app.services.preferences import workspace_exists
from app.ui.setup.enrollment_dialog import EnrollmentDialog
from app.ui.setup.import_preview import ImportDialog
from app.ui.setup.publish_dialog import PublishDialog
from app.ui.welcome.first_run_wizard import (
    PAGE_IDENTITY,
    PAGE_NEXT,
    PAGE_PASSPHRASE,
    PAGE_RECOVERY,
    PAGE_ROLE,
    FirstRunWizard,
)
from tests.support.gui import make_window, save_screenshot
from tests.support.workspaces import FIXTURES, PASSPHRASE, make_template, snapshot_tree

pytestmark = pytest.mark.gui
NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton
FINISH = QWizard.WizardButton.FinishButton


def wizard_on(qtbot, home: Path, worker) -> FirstRunWizard:  # type: ignore[no-untyped-def]
    wizard = FirstRunWizard(worker, home)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def to_passphrase(qtbot, wizard: FirstRunWizard, role: str, name: str, shots: str = "") -> None:  # type: ignore[no-untyped-def]
    if shots:
        save_screenshot(wizard, f"{shots}-1-welcome")
    wizard.button(NEXT).click()
    assert wizard.currentId() == PAGE_ROLE
    (wizard.role_page.secretariat if role == "secretariat" else wizard.role_page.member).click()
    if shots:
        save_screenshot(wizard, f"{shots}-2-role")
    wizard.button(NEXT).click()
    assert wizard.currentId() == PAGE_IDENTITY
    page = wizard.identity_page
    assert not wizard.button(NEXT).isEnabled()  # a name is needed
    qtbot.keyClicks(page.name, name)
    qtbot.keyClicks(page.email, "non-una-email")
    assert not wizard.button(NEXT).isEnabled()
    page.email.setText("persona@comune.example")
    assert wizard.button(NEXT).isEnabled()
    if shots:
        save_screenshot(wizard, f"{shots}-3-identity")
    wizard.button(NEXT).click()
    assert wizard.currentId() == PAGE_PASSPHRASE


def create(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    page = wizard.passphrase_page
    page.first.setText(PASSPHRASE)
    page.second.setText(PASSPHRASE)
    assert wizard.button(COMMIT).isEnabled()
    wizard.button(COMMIT).click()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECOVERY, timeout=20_000)


def confirm_code(wizard: FirstRunWizard) -> None:
    page = wizard.recovery_page
    page.confirm.setText(page.code.split("-")[2].lower())
    assert page.isComplete()
    wizard.button(NEXT).click()
    assert wizard.currentId() == PAGE_NEXT


def test_the_member_wizard_refuses_then_creates_the_workspace(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, db_worker
) -> None:
    home = tmp_path / "lavoro"
    wizard = wizard_on(qtbot, home, db_worker)
    assert "Benvenuto" in wizard.welcome.title()
    to_passphrase(qtbot, wizard, "member", "Sara Esposito", shots="first-run-member")
    page = wizard.passphrase_page

    # Too short, then weak, then two that differ: never a way on, nothing written.
    qtbot.keyClicks(page.first, "abc")
    assert page.strength.text().startswith("Troppo corta: Usa almeno 10 caratteri")
    assert not wizard.button(COMMIT).isEnabled()
    page.first.setText("password1234")
    page.second.setText("password1234")
    assert page.strength.text() == "Debole: Troppo facile da indovinare: scegli parole tue."
    assert not wizard.button(COMMIT).isEnabled()
    page.first.setText(PASSPHRASE)
    page.second.setText(PASSPHRASE + "!")
    assert page.strength.text().startswith("Robusta")
    assert page.mismatch.isVisible() and page.mismatch.text() == "Le due passphrase non coincidono."
    assert not wizard.button(COMMIT).isEnabled()
    save_screenshot(wizard, "first-run-member-4-passphrase-refused")
    wizard.button(COMMIT).click()  # disabled: nothing happens
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert snapshot_tree(home) == {} and not workspace_exists(home)

    page.second.setText(PASSPHRASE)
    assert not page.mismatch.isVisible()
    save_screenshot(wizard, "first-run-member-4-passphrase")
    create(qtbot, wizard)
    assert workspace_exists(home)

    # The recovery code: Next waits for its third group, typed back.
    recovery = wizard.recovery_page
    assert recovery.fingerprint.text().count(" ") == 9
    assert len(recovery.code) == 29 and recovery.recovery.text() == recovery.code
    assert not wizard.button(NEXT).isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    recovery.confirm.setText(recovery.code.split("-")[1])  # the second group
    assert recovery.wrong.isVisible()
    assert recovery.wrong.text() == (
        "Questo non è il terzo gruppo del codice: guardalo di nuovo, qui sopra."
    )
    assert not wizard.button(NEXT).isEnabled()
    save_screenshot(wizard, "first-run-member-5-recovery-wrong")

    sheet = tmp_path / "codice.pdf"
    recovery.save_requested.emit(sheet)
    qtbot.waitUntil(lambda: "Salvato in" in recovery.saved.text(), timeout=20_000)
    assert sheet.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600  # the code opens the workspace
    assert recovery.code in recovery.sheet_html()
    recovery.confirm.clear()
    save_screenshot(wizard, "first-run-member-5-recovery")
    confirm_code(wizard)

    # The member's next steps: the tessera for the office.
    steps = wizard.next_page
    assert steps.stack.currentIndex() == 0 and steps.subTitle() == "Cosa fa ora un commissario."
    card_path = tmp_path / "tessera.vaglio-card"
    steps.export_card_requested.emit(card_path)
    qtbot.waitUntil(lambda: "Tessera scritta" in steps.member_status.text(), timeout=10_000)
    card = EnrollmentCard.parse(card_path.read_bytes())
    assert (card.name, card.role, card.email) == (
        "Sara Esposito",
        "member",
        "persona@comune.example",
    )
    assert card.fingerprint == recovery.fingerprint.text()
    save_screenshot(wizard, "first-run-member-6-next-steps")
    assert wizard.button(FINISH).isEnabled()
    wizard.button(FINISH).click()
    assert wizard.outcome is not None
    assert (wizard.outcome.home, wizard.outcome.secret) == (home, PASSPHRASE)
    assert wizard.outcome.new_call is None


def test_the_secretariat_wizard_goes_on_to_a_new_call(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, db_worker
) -> None:
    from app.ui.welcome.new_call_guide import (
        STEP_CALL,
        STEP_CARDS,
        STEP_INVITATIONS,
        STEP_PROPOSALS,
        STEP_PUBLISH,
        open_when_unlocked,
    )

    home = tmp_path / "segreteria"
    wizard = wizard_on(qtbot, home, db_worker)
    to_passphrase(qtbot, wizard, "secretariat", "Segreteria tecnica", shots="first-run-office")
    create(qtbot, wizard)
    assert "segreteria" in wizard.recovery_page.who.text()
    confirm_code(wizard)
    steps = wizard.next_page
    assert steps.stack.currentIndex() == 1 and steps.from_template.isChecked()
    save_screenshot(wizard, "first-run-office-6-next-steps")
    wizard.button(FINISH).click()
    outcome = wizard.outcome
    assert outcome is not None and outcome.new_call == ("template", None)

    # The main window opens the guide, whose first step is the call editor
    # filled from the template; creating the call ticks it.
    main = make_window(outcome.home, db_worker)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    open_when_unlocked(main, outcome.new_call)
    main.show()
    main.start(outcome.secret)
    qtbot.waitUntil(lambda: getattr(main, "new_call_guide", None) is not None, timeout=15_000)
    guide = main.new_call_guide
    qtbot.waitUntil(lambda: guide.dialog is not None and guide.dialog.isVisible())
    editor = guide.dialog
    assert editor.windowTitle() == "Nuovo avviso"
    save_screenshot(guide, "first-run-office-7-guide")
    assert not guide.buttons[STEP_INVITATIONS][0].isEnabled()  # no call yet
    assert guide.buttons[STEP_INVITATIONS][0].toolTip() == "Prima crea l'avviso (passo 1)."
    editor.save()
    qtbot.waitUntil(lambda: STEP_CALL in guide.done_steps, timeout=15_000)
    assert guide.call_id == "MI-CC-2020" and guide.ticks[STEP_CALL].text() == "✔"

    # The proposals: the import preview, as the Secretariat menu opens it.
    guide.buttons[STEP_PROPOSALS][0].click()
    importer = guide.dialog
    assert isinstance(importer, ImportDialog)
    importer.file_dialog.close()
    with qtbot.waitSignal(importer.preview_ready, timeout=10_000):
        importer.set_source(FIXTURES / "proposals.csv", FIXTURES / "attachments")
    importer.import_button.click()
    qtbot.waitUntil(lambda: STEP_PROPOSALS in guide.done_steps, timeout=15_000)

    # The members' tessere: the enrolment dialog, fingerprints in view.
    member, _code = make_template(tmp_path / "membro", "member", "Elena Colombo")
    card = tmp_path / "colombo.vaglio-card"
    with member:
        save_card(member, card)
    guide.buttons[STEP_CARDS][0].click()
    chooser = main.call_setup.file_dialog
    chooser.filesSelected.emit([str(card)])
    chooser.close()
    setup = main.call_setup
    qtbot.waitUntil(lambda: isinstance(setup.dialog, EnrollmentDialog), timeout=10_000)
    enrolment = setup.dialog
    enrolment.confirm.setChecked(True)
    enrolment.ok.click()
    qtbot.waitUntil(lambda: STEP_CARDS in guide.done_steps, timeout=10_000)

    # The invitations: the exchange set here, one for the enrolled member.
    guide.buttons[STEP_INVITATIONS][0].click()
    dialog = guide.dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    assert dialog.member.count() == 2 and dialog.member.itemText(1).startswith("Elena Colombo — ")
    exchange = tmp_path / "scambio"
    exchange.mkdir()
    dialog.destination.setText(str(exchange))
    dialog.member.setCurrentIndex(1)
    save_screenshot(dialog, "secretariat-invitation-dialog")
    invitation = tmp_path / "invito.vaglio-invito"
    dialog.save_to(invitation)
    qtbot.waitUntil(lambda: STEP_INVITATIONS in guide.done_steps, timeout=10_000)
    assert dialog.outcome.text().startswith("Invito per Elena Colombo — ")
    save_screenshot(dialog, "secretariat-invitation-written")
    from app.services.invitations import read_invitation_file

    view = read_invitation_file(invitation)
    assert view.call_id == "MI-CC-2020" and view.exchange == str(exchange.resolve())
    assert view.member_key_id is not None
    assert view.office_fingerprint in dialog.outcome.text()

    # The publication, confirmed in its dialog, to the exchange just set.
    guide.buttons[STEP_PUBLISH][0].click()
    qtbot.waitUntil(lambda: isinstance(guide.dialog, PublishDialog), timeout=10_000)
    guide.dialog.ok.click()
    qtbot.waitUntil(lambda: STEP_PUBLISH in guide.done_steps, timeout=15_000)
    assert [t.text() for t in guide.ticks] == ["✔"] * 5
    save_screenshot(guide, "first-run-office-8-guide-done")
    main.close()


def test_a_refused_call_file_is_explained_in_the_guide(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, db_worker, empty_secretariat_template
) -> None:
    from tests.support.workspaces import copy_template

    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    main = make_window(home, db_worker)
    qtbot.addWidget(main)
    main.show()
    main.start(PASSPHRASE)
    qtbot.waitUntil(lambda: getattr(main, "call_setup", None) is not None, timeout=15_000)
    main.call_setup.guide_action.trigger()
    guide = main.call_setup.guide
    bad = tmp_path / "avviso.toml"
    bad.write_text("[call\nid = ", encoding="utf-8")
    guide.from_path(bad)
    qtbot.waitUntil(guide.error.isVisible, timeout=10_000)
    assert guide.error.text().startswith("Questo non è un file di avviso (TOML):")
    assert guide.dialog is None and guide.call_id is None
    main.close()


def test_an_existing_folder_without_a_workspace_is_refused(
    qtbot, tmp_path: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, tmp_path / "nuovo", db_worker)
    wizard.open_existing(tmp_path)
    assert wizard.welcome.error.isVisible()
    assert wizard.welcome.error.text() == (
        f"In {tmp_path} non c'è un'area di lavoro di Vaglio: scegli la cartella che contiene "
        "vaglio.db."
    )
    assert wizard.outcome is None and wizard.isVisible()


def test_the_first_page_opens_an_existing_workspace(
    qtbot, tmp_path: Path, db_worker, member_home: Path
) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, tmp_path / "nuovo", db_worker)
    wizard.open_existing(member_home)
    assert wizard.outcome is not None
    assert (wizard.outcome.home, wizard.outcome.secret) == (member_home, None)
    assert not wizard.isVisible() and not (tmp_path / "nuovo").exists()


def test_the_first_page_offers_the_demo_workspaces(
    qtbot, tmp_path: Path, db_worker, demo_template: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.services.demo import DEMO_PASSPHRASE, build_demo

    wizard = wizard_on(qtbot, tmp_path / "nuovo", db_worker)
    wizard._demo_built(build_demo(demo_template))  # the demo already built: reopened
    chooser = wizard.chooser
    qtbot.waitUntil(chooser.isVisible)
    assert chooser.windowTitle() == "Quale area di lavoro della demo vuoi aprire?"
    entries = [chooser.list.item(row).text() for row in range(chooser.list.count())]
    assert len(entries) == 5 and entries[0].startswith("Segreteria")
    assert entries[3].startswith("Sara Esposito — commissario")
    assert "vaglio-demo-2020" in wizard.welcome.status.text()
    save_screenshot(chooser, "first-run-demo-chooser")
    chooser.list.setCurrentRow(3)
    chooser.accept()
    assert wizard.outcome is not None
    assert wizard.outcome.home == demo_template / "commissario-3"
    assert wizard.outcome.secret == DEMO_PASSPHRASE
