"""Joining a call with the secretariat's invitation, in the GUI only: from
the first-run wizard to a score bundle received by the office, and the
refusals of a bad invitation (each explained, nothing written)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from app.bundles.invitation import MAX_INVITATION
from app.services.unlocking import OpenWorkspace
from tests.support.gui import make_window, on_worker, save_screenshot
from tests.support.invitations import envelope_parts, publish_to_folder, resigned, with_payload
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE, make_template

pytestmark = pytest.mark.gui
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
WHY = "Proposta solida, con una rete di quartiere ben descritta."


@pytest.fixture
def office(tmp_path: Path) -> Iterator[OpenWorkspace]:
    """The city office with the fixture call and two of its proposals."""
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals

    rows = (FIXTURES / "proposals.csv").read_text(encoding="utf-8").splitlines()
    proposals = tmp_path / "proposte.csv"
    proposals.write_text("\n".join([rows[0], rows[1], rows[3]]) + "\n", encoding="utf-8")
    ws, _code = make_template(tmp_path / "office", "secretariat", "Segreteria tecnica")
    with ws:
        create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
        import_proposals(ws, CALL_ID, proposals, FIXTURES / "attachments")
        yield ws


def focused():  # type: ignore[no-untyped-def]
    return QApplication.focusWidget()


def press(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(), key)


def score_proposal(qtbot, main, proposal: str) -> None:  # type: ignore[no-untyped-def]
    """Declare no conflict and score every criterion, as a member does."""
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    main.table.selectRow(main.model.row_of(proposal))
    pane = main.desk.pane
    qtbot.waitUntil(lambda: pane.sheet is not None and pane.sheet.proposal_id == proposal)
    main.tabs.setCurrentIndex(1)
    form = pane.conflict_form
    qtbot.waitUntil(lambda: pane.currentWidget() is form, timeout=10_000)
    form.no_conflict.click()
    form.submit.click()
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    score_form = pane.score_form
    pane.focus_current()
    qtbot.waitUntil(lambda: focused() in score_form.editors[KEYS[0]].buttons)
    for key in KEYS:
        assert focused() in score_form.editors[key].buttons, key
        press(qtbot, Qt.Key.Key_3)
        press(qtbot, Qt.Key.Key_Tab)
        qtbot.keyClicks(focused(), WHY)
        press(qtbot, Qt.Key.Key_Tab)
    row = main.model.row_of(proposal)
    qtbot.waitUntil(lambda: main.model.row_at(row).status == "complete", timeout=10_000)


def test_a_new_member_joins_with_an_invitation_scores_submits_and_sees_the_receipt(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, db_worker, office: OpenWorkspace
) -> None:
    from app.services.exchange import sync
    from app.services.invitations import save_invitation
    from app.ui.welcome.first_run_wizard import PAGE_NEXT, FirstRunWizard

    # The member's first run: the wizard, then the tessera for the office.
    home = tmp_path / "commissario"
    wizard = FirstRunWizard(db_worker, home)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.button(QWizard.WizardButton.NextButton).click()  # a member, the default
    wizard.identity_page.name.setText("Sara Esposito")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.passphrase_page.first.setText(PASSPHRASE)
    wizard.passphrase_page.second.setText(PASSPHRASE)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.recovery_page.code != "", timeout=20_000)
    recovery = wizard.recovery_page
    recovery.confirm.setText(recovery.code.split("-")[2])
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentId() == PAGE_NEXT
    card = tmp_path / "tessera.vaglio-card"
    wizard.next_page.export_card_requested.emit(card)
    qtbot.waitUntil(card.exists, timeout=10_000)

    # The office (through its services): enrols the tessera, publishes to a
    # shared folder, writes an invitation for this member.
    exchange = tmp_path / "cartella-condivisa"
    publish_to_folder(office, card.read_bytes(), exchange)
    invitation = tmp_path / "invito.vaglio-invito"
    view = save_invitation(office, CALL_ID, invitation, recovery.fingerprint.text())

    # The member opens it from the wizard's last page.
    wizard.next_page.join_requested.emit(invitation)
    dialog = wizard.join_dialog
    qtbot.waitUntil(dialog.details.isVisible, timeout=10_000)
    assert dialog.fingerprint.text() == view.office_fingerprint
    assert dialog.fingerprint.text().count(" ") == 9  # in groups, to read aloud
    assert "ad alta voce" in dialog.warning.text()
    assert dialog.call.text().startswith(f"{CALL_ID} — Crowdfunding civico")
    assert dialog.destination.text() == str(exchange.resolve())
    assert not dialog.join_button.isEnabled()
    assert dialog.join_button.toolTip().startswith("Prima confronta l'impronta")
    dialog.resize(1366, 728)
    save_screenshot(dialog, "member-join-dialog")
    dialog.compared.click()
    assert dialog.join_button.isEnabled()
    dialog.join_button.click()
    qtbot.waitUntil(lambda: dialog.result_of_join is not None, timeout=20_000)
    assert dialog.outcome.text().startswith("Fatto: Segreteria tecnica è la tua segreteria")
    assert not dialog.error.isVisible()
    save_screenshot(dialog, "member-join-dialog-joined")
    dialog.close()
    assert wizard.next_page.member_status.text() == (
        f"Ti sei unito a {CALL_ID}: si apre dopo Fine."
    )
    wizard.button(QWizard.WizardButton.FinishButton).click()
    outcome = wizard.outcome
    assert outcome is not None

    # The main window: the call is there, ready to score.
    main = make_window(outcome.home, db_worker)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(outcome.secret)
    assert main.call_id == CALL_ID and main.model.rowCount() == 2
    assert main.join_action.isVisible()
    main.desk.make_general_declaration()
    qtbot.waitUntil(lambda: getattr(main.desk, "general_dialog", None) is not None)
    general = main.desk.general_dialog
    general.confirm.setChecked(True)
    general.accept()
    qtbot.waitUntil(lambda: not main.banner.isVisibleTo(main), timeout=10_000)
    for proposal in ("P001", "P003"):
        score_proposal(qtbot, main, proposal)
    qtbot.waitUntil(lambda: "pronto per l'invio" in main.sending.label.text(), timeout=10_000)

    exchange_menu = main.exchange
    exchange_menu.submit_action.trigger()
    # The readiness check runs first, on the worker; then the question.
    qtbot.waitUntil(lambda: exchange_menu.confirmation is not None, timeout=10_000)
    with qtbot.waitSignal(exchange_menu.synced, timeout=20_000):
        exchange_menu.confirmation.button(QMessageBox.StandardButton.Yes).click()
    assert "1 inviati" in exchange_menu.last_result.text()

    # The office takes the bundle in; the member's next sync brings the receipt.
    taken = sync(office)
    assert [r.member for r in taken.taken_in] == ["Sara Esposito"]
    with qtbot.waitSignal(exchange_menu.synced, timeout=20_000):
        exchange_menu.sync_action.trigger()
    assert "1 ricevuti" in exchange_menu.last_result.text()
    exchange_menu.receipts_action.trigger()
    qtbot.waitUntil(lambda: getattr(exchange_menu, "last_message", None) is not None)
    assert "ricevuto dalla segreteria il" in exchange_menu.last_message.text()
    save_screenshot(main, "member-after-joining-and-receipt")
    main.close()


@pytest.fixture
def member_window(qtbot, member_home: Path, db_worker):  # type: ignore[no-untyped-def]
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    return main


def workspace_facts(qtbot, main) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    from app.services.remotes import remotes
    from app.services.workspace import verify_audit

    return on_worker(
        qtbot, main, lambda ws: (verify_audit(ws).entries, [r.call_id for r in remotes(ws)])
    )


def refused_in_dialog(qtbot, main, data: bytes, path: Path) -> str:  # type: ignore[no-untyped-def]
    from app.ui.welcome.join_dialog import choose_and_join

    before = workspace_facts(qtbot, main)
    path.write_bytes(data)
    dialog = choose_and_join(main.ops, main, path)
    main.join_dialog = dialog
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert not dialog.details.isVisible() and not dialog.join_button.isEnabled()
    text = dialog.error.text()
    assert text.endswith("\nNella tua area di lavoro non è stato cambiato nulla.")
    assert workspace_facts(qtbot, main) == before
    return text


@pytest.fixture
def good_invitation(secretariat: OpenWorkspace, tmp_path: Path) -> tuple[bytes, object]:
    from app.services.invitations import create_invitation
    from app.services.remotes import set_remote
    from app.services.workspace import own_identity

    (tmp_path / "scambio").mkdir()
    set_remote(secretariat, CALL_ID, str(tmp_path / "scambio"))
    from app.crypto.keys import KeyPair

    with secretariat.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
    return create_invitation(secretariat, CALL_ID).raw, keys


def test_a_tampered_invitation_is_refused_in_the_window(  # type: ignore[no-untyped-def]
    qtbot, member_window, good_invitation, tmp_path: Path
) -> None:
    raw, _keys = good_invitation
    _envelope, payload = envelope_parts(raw)
    payload["exchange"] = str(tmp_path)
    text = refused_in_dialog(qtbot, member_window, with_payload(raw, payload), tmp_path / "a")
    assert text.startswith("La firma non corrisponde al contenuto")
    save_screenshot(member_window.join_dialog, "member-join-refused")


def test_an_oversize_invitation_is_refused_in_the_window(  # type: ignore[no-untyped-def]
    qtbot, member_window, good_invitation, tmp_path: Path
) -> None:
    raw, _keys = good_invitation
    text = refused_in_dialog(qtbot, member_window, raw + b" " * MAX_INVITATION, tmp_path / "b")
    assert text.startswith("Questo invito è troppo grande")


def test_an_invitation_with_fields_of_the_wrong_type_is_refused_in_the_window(  # type: ignore[no-untyped-def]
    qtbot, member_window, good_invitation, tmp_path: Path
) -> None:
    raw, keys = good_invitation
    _envelope, payload = envelope_parts(raw)
    payload["call_title"] = 42
    text = refused_in_dialog(qtbot, member_window, resigned(payload, keys), tmp_path / "c")
    assert text.startswith("Il contenuto di un invito non è valido (call_title")
    _envelope, payload = envelope_parts(raw)
    payload["exchange_kind"], payload["exchange"] = "webdav", "ftp://server/avviso"
    text = refused_in_dialog(qtbot, member_window, resigned(payload, keys), tmp_path / "d")
    assert "non è né una cartella né un indirizzo WebDAV" in text
