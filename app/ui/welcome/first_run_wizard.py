"""The first run, without a terminal: the wizard that creates the workspace.

When Vaglio starts and finds no workspace, this wizard opens instead of a
message: role, name and e-mail, the passphrase twice with its strength, then
the workspace is created through the same use case as ``vaglio init``
(keyring slot included when the system keyring is a safe one). It shows the
fingerprint and the recovery code, which can be printed or saved as a PDF and
must be confirmed by typing its third group back. The last page says what
comes next: a member exports their tessera and joins a call with the
secretariat's invitation; the secretariat starts its first call. The first
page also opens an existing workspace folder or builds the demo.

Creating runs on the database worker; the wizard's own op runner then holds
the new workspace open (the tessera and the invitation need it) until the
main window takes over with the passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QWizard

from app.errors import VaglioError
from app.i18n import _
from app.ui.common.ops import Ops, WorkspaceState
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import explain
from app.ui.welcome.identity_pages import IdentityPage, PassphrasePage, RolePage, WelcomePage
from app.ui.welcome.recovery_pages import NextStepsPage, RecoveryPage

if TYPE_CHECKING:
    from app.services.demo import Demo
    from app.services.workspace import NewWorkspace
    from app.ui.common.worker import DbWorker

PAGE_WELCOME, PAGE_ROLE, PAGE_IDENTITY, PAGE_PASSPHRASE, PAGE_RECOVERY, PAGE_NEXT = range(6)


@dataclass(frozen=True)
class FirstRunOutcome:
    """What the main window opens, and what it does first."""

    home: Path
    secret: str | None
    new_call: tuple[str, Path | None] | None = None  # the secretariat's first call


def create(home: Path, role: str, name: str, email: str, passphrase: str) -> NewWorkspace:
    from app.services.workspace import create_workspace

    return create_workspace(home, role=role, name=name, email=email, passphrase=passphrase)


def keyring_note() -> str:
    from app.services.workspace import keyring_refusal

    refusal = keyring_refusal()
    if refusal is None:
        return _(
            "This computer's keyring will also keep the workspace's key: it opens without "
            "the passphrase while you are logged in."
        )
    return _("{detail} You will type the passphrase each time you open the workspace.").format(
        detail=refusal
    )


class FirstRunWizard(QWizard):
    """Creates the first workspace (or opens another, or the demo)."""

    def __init__(self, worker: DbWorker, home: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.home = home
        self.ops = Ops(worker, WorkspaceState(home), self)
        self.created: NewWorkspace | None = None
        self.outcome: FirstRunOutcome | None = None
        self._creating = False
        self.setWindowTitle(_("Vaglio — first run"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        fit_to_screen(self, 860, 620)
        self.welcome = WelcomePage(str(home))
        self.role_page = RolePage()
        self.identity_page = IdentityPage()
        self.passphrase_page = PassphrasePage(keyring_note())
        self.recovery_page = RecoveryPage()
        self.next_page = NextStepsPage()
        for number, page in enumerate(
            (
                self.welcome,
                self.role_page,
                self.identity_page,
                self.passphrase_page,
                self.recovery_page,
                self.next_page,
            )
        ):
            self.setPage(number, page)  # fmt: skip
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.welcome.open_existing.connect(self.choose_existing)
        self.welcome.try_demo.connect(self.try_demo)
        self.recovery_page.save_requested.connect(self.save_recovery_sheet)
        self.recovery_page.print_requested.connect(self.print_recovery_sheet)
        self.next_page.export_card_requested.connect(self.export_card)
        self.next_page.join_requested.connect(self.join_with)
        self.currentIdChanged.connect(self._entered)
        self.join_dialog: Any = None
        self.chooser: Any = None

    # -- creating --------------------------------------------------------------

    def validateCurrentPage(self) -> bool:
        if self.currentId() != PAGE_PASSPHRASE or self.created is not None:
            return super().validateCurrentPage()
        if not self.passphrase_page.isComplete() or self._creating:
            return False
        self._creating = True
        self.button(QWizard.WizardButton.CommitButton).setEnabled(False)
        self.passphrase_page.error.setVisible(False)
        self.passphrase_page.strength.setText(_("Creating the workspace…"))
        home, role = self.home, self.role_page.role()
        name = self.identity_page.name.text().strip()
        email = self.identity_page.email.text().strip()
        passphrase = self.passphrase_page.passphrase()
        state = self.ops.state

        def job() -> NewWorkspace:
            created = create(home, role, name, email, passphrase)
            state.adopt(created.workspace)
            return created

        self.ops.run_free(self, job, self._created, self._not_created)
        return False

    def _created(self, created: NewWorkspace) -> None:
        self._creating = False
        self.created = created
        self.recovery_page.show_created(
            created.identity, created.recovery_code, created.keyring_error
        )
        self.next()

    def _not_created(self, error: BaseException) -> None:
        self._creating = False
        self.passphrase_page.strength.clear()
        explain(self.passphrase_page.error, error)
        self.passphrase_page.completeChanged.emit()

    def _entered(self, page: int) -> None:
        if page >= PAGE_RECOVERY:
            # The workspace exists: no way back to the pages that made it.
            self.setOption(QWizard.WizardOption.NoCancelButton, True)
        if page == PAGE_NEXT and self.created is not None:
            self.next_page.show_role(self.created.identity.role)

    def accept(self) -> None:
        if self.created is not None:
            self.outcome = FirstRunOutcome(
                self.home, self.passphrase_page.passphrase(), self.next_page.new_call()
            )
        super().accept()

    def reject(self) -> None:
        if self.created is not None and self.outcome is None:
            # Closed after creating: the workspace exists, and opens all the same.
            self.outcome = FirstRunOutcome(self.home, self.passphrase_page.passphrase())
        super().reject()

    def done(self, result: int) -> None:
        self.ops.lock()  # the main window opens the workspace again with the passphrase
        super().done(result)

    # -- the recovery sheet ---------------------------------------------------

    def save_recovery_sheet(self, path: Path) -> None:
        created = self.created
        if created is None:
            return
        page = self.recovery_page

        def job() -> Path:
            from app.services.recovery_sheet import save_recovery_sheet

            return save_recovery_sheet(path, created.identity, created.recovery_code)

        self.ops.run_free(
            self,
            job,
            lambda saved: page.saved.setText(
                _("Saved in {path}. Keep that file away from this computer.").format(path=saved)
            ),
            lambda error: explain(page.wrong, error),
        )

    def print_recovery_sheet(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(self.recovery_page.sheet_html())
        document.print_(printer)
        self.recovery_page.saved.setText(_("Sent to the printer."))

    # -- the next steps ----------------------------------------------------------

    def export_card(self, path: Path) -> None:
        page = self.next_page

        def job(ws: Any) -> Any:
            from app.services.cards import save_card

            return save_card(ws, path)

        def done(card: Any) -> None:
            page.member_error.setVisible(False)
            page.member_status.setText(
                _("Tessera written to {path}. Send it to the secretariat.").format(path=path)
            )

        self.ops.run(self, job, done, lambda error: explain(page.member_error, error))

    def join_with(self, path: Path) -> None:
        from app.ui.welcome.join_dialog import JoinDialog

        dialog = JoinDialog(self.ops, self)
        dialog.joined.connect(
            lambda joined: self.next_page.member_status.setText(
                _("You joined {call_id}: it opens after Finish.").format(call_id=joined.call_id)
            )
        )
        self.join_dialog = dialog
        dialog.load(path)
        dialog.open()

    # -- another workspace, or the demo ----------------------------------------

    def choose_existing(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Workspace folder"))
        if folder:
            self.open_existing(Path(folder))

    def open_existing(self, folder: Path) -> None:
        from app.services.preferences import workspace_exists

        if not workspace_exists(folder):
            self.welcome.error.setText(
                _(
                    "There is no Vaglio workspace in {folder}: choose the folder that holds "
                    "vaglio.db."
                ).format(folder=folder)
            )
            self.welcome.error.setVisible(True)
            return
        self.outcome = FirstRunOutcome(folder, None)
        super().accept()

    def try_demo(self) -> None:
        from app.services.demo import build_demo, default_demo_dir

        folder = default_demo_dir()
        self.welcome.error.setVisible(False)
        self.welcome.status.setText(
            _("Preparing the demo in {folder}: it takes a few seconds…").format(folder=folder)
        )
        self.welcome.demo_button.setEnabled(False)
        self.ops.run_free(self, lambda: build_demo(folder), self._demo_built, self._demo_failed)

    def _demo_failed(self, error: BaseException) -> None:
        self.welcome.demo_button.setEnabled(True)
        self.welcome.status.clear()
        if not isinstance(error, VaglioError):
            raise error
        explain(self.welcome.error, error)

    def _demo_built(self, demo: Demo) -> None:
        from app.services.demo import DEMO_PASSPHRASE
        from app.services.preferences import KnownWorkspace
        from app.ui.shell.workspace_chooser import WorkspaceChooser

        self.welcome.demo_button.setEnabled(True)
        self.welcome.status.setText(
            _("The demo is ready. The passphrase of every demo workspace is {passphrase}.").format(
                passphrase=DEMO_PASSPHRASE
            )
        )
        known = [
            KnownWorkspace(str(home), label, "secretariat" if index == 0 else "member")
            for index, (label, home) in enumerate(demo.workspaces)
        ]
        chooser = WorkspaceChooser(known, str(demo.main_workspace), self)
        chooser.setWindowTitle(_("Which demo workspace do you want to open?"))
        self.chooser = chooser

        def chosen() -> None:
            if chooser.chosen is not None:
                self.outcome = FirstRunOutcome(chooser.chosen, DEMO_PASSPHRASE)
                QWizard.accept(self)

        chooser.accepted.connect(chosen)
        chooser.open()
