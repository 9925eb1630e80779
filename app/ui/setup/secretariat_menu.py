"""The secretariat's menu: setting up a call before publication.

Create or edit a call and its criteria grid, import proposals with a preview,
change a proposal's admissibility with a reason, enrol members from their
cards, publish. Every use case runs on the database worker through the op
runner; each dialog opens with ``open()`` (never a nested event loop) and
shows refusals inside itself. What a use case changed reloads the window.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.errors import VaglioError
from app.i18n import _, n_
from app.ui.common.disabled import enable
from app.ui.common.failure import show_refusal
from app.ui.setup.call_form import from_document

if TYPE_CHECKING:
    from app.services.cards import CardView
    from app.services.proposal_import import ImportResult
    from app.services.publication import Published
    from app.services.unlocking import OpenWorkspace
    from app.services.views import CallView, ProposalDetail
    from app.ui.setup.enrollment_dialog import CardFile
    from app.ui.setup.publish_dialog import PublishInfo

MESSAGE_MS = 10_000


def call_view(ws: OpenWorkspace, call_id: str) -> CallView:
    from app.services.calls import call_view

    return call_view(ws, call_id)


def definition_form(ws: OpenWorkspace, call_id: str) -> Any:
    from app.services.call_setup import definition_text

    return from_document(tomllib.loads(definition_text(ws, call_id)))


def proposal_detail(ws: OpenWorkspace, call_id: str, proposal_id: str) -> ProposalDetail:
    from app.services.proposals import proposal_detail

    return proposal_detail(ws, call_id, proposal_id)


def install(window: Any) -> None:
    """Add the secretariat's menus to ``window`` (a MainWindow, already unlocked)."""
    from app.ui.ranking import ranking_menu

    window.call_setup = CallSetup(window)
    ranking_menu.install(window, window.call_setup)


class CallSetup(QObject):
    """The actions of the secretariat's menu and the dialogs they open."""

    state_changed = Signal()  # the current call's status is known (again)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.status: str | None = None  # of the current call; None while unknown
        self.last_message = ""
        self.dialog: QDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None

        menu = window.add_menu(_("&Secretariat"))
        window.secretariat_menu = menu
        self.new_action = self._action(menu, _("&New call…"), self.new_call, "Ctrl+Shift+N")
        self.edit_action = self._action(
            menu, _("&Edit call and criteria grid…"), self.edit_call, "Ctrl+Shift+E"
        )
        menu.addSeparator()
        self.import_action = self._action(
            menu, _("&Import proposals…"), self.import_proposals, "Ctrl+Shift+I"
        )
        self.admissibility_action = self._action(
            menu, _("Change &admissibility…"), self.change_admissibility, "Ctrl+Shift+A"
        )
        menu.addSeparator()
        self.enrol_action = self._action(
            menu, _("En&rol members from cards…"), self.enrol_members, "Ctrl+Shift+M"
        )
        self.invite_action = self._action(
            menu, _("In&vitations for the members…"), self.invite, "Ctrl+Shift+W"
        )
        self.invite_action.setStatusTip(
            _("A signed file with which a member joins the call in one step")
        )
        self.publish_action = self._action(
            menu, _("&Publish the call…"), self.publish, "Ctrl+Shift+P"
        )
        self.guide_action = self._action(
            menu, _("&Guide to a new call…"), self.open_guide, "Ctrl+Shift+U"
        )
        window.proposals_loaded.connect(self.refresh)
        self._update_actions()

    def _action(self, menu: Any, text: str, slot: Any, shortcut: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- the current call's state --------------------------------------------

    def refresh(self, *_args: Any) -> None:
        """Find out whether the current call is still a draft (on the worker)."""
        call_id = self.window.call_id
        self.status = None
        self._update_actions()
        if call_id is None or not self.window.ops.unlocked:
            self.state_changed.emit()
            return
        self.window.ops.run(
            self,
            lambda ws: call_view(ws, call_id),
            lambda view: self._call_known(call_id, view),
            self._ignore,
        )

    def _call_known(self, call_id: str, view: CallView) -> None:
        if call_id == self.window.call_id:
            self.status = view.status
            self._update_actions()
            self.state_changed.emit()

    def _update_actions(self) -> None:
        has_call = self.window.call_id is not None and self.status is not None
        draft = has_call and self.status == "draft"
        no_call = _("No call yet: create one with Secretariat → New call (Ctrl+Shift+N).")
        for action, reason in (
            (self.edit_action, _("Only a draft call can be edited: this one is published.")),
            (self.import_action, _("Proposals can only be imported before publication.")),
            (self.admissibility_action, _("Admissibility can only change before publication.")),
        ):
            enable(action, draft, reason if has_call else no_call)
        enable(self.enrol_action, has_call, no_call)
        enable(self.publish_action, has_call, no_call)
        enable(self.invite_action, has_call, no_call)

    # -- feedback --------------------------------------------------------------

    def _tell(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, MESSAGE_MS)

    def _ignore(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):  # LockedError is one too
            raise error

    def _warn(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.message_box = show_refusal(self.window, error)

    def _show(self, dialog: QDialog) -> None:
        previous = self.dialog
        if previous is not None and not previous.isVisible() and not self.window.worker.pending:
            previous.deleteLater()
        self.dialog = dialog
        dialog.open()

    def _changed(self, text: str, call_id: str | None = None) -> None:
        """Say what was done (the use case's changes reload the window)."""
        self._tell(text)
        if call_id is not None:
            self.window.call_id = call_id

    # -- the call and its grid -----------------------------------------------

    def new_call(self) -> None:
        from app.ui.setup.call_editor import CallEditorDialog, new_call_form

        dialog = CallEditorDialog(self.window.ops, new_call_form(), parent=self.window)
        dialog.saved.connect(
            lambda call_id: self._changed(
                _("Call {call_id} created.").format(call_id=call_id), call_id
            )
        )
        self._show(dialog)

    def edit_call(self) -> None:
        call_id = self.window.call_id
        if call_id is None or self.status != "draft":
            return
        self.window.ops.run(
            self,
            lambda ws: definition_form(ws, call_id),
            lambda form: self._edit(call_id, form),
            self._warn,
        )

    def _edit(self, call_id: str, form: Any) -> None:
        from app.ui.setup.call_editor import CallEditorDialog

        dialog = CallEditorDialog(self.window.ops, form, call_id=call_id, parent=self.window)
        dialog.saved.connect(
            lambda saved: self._changed(_("Call {call_id} saved.").format(call_id=saved), saved)
        )
        self._show(dialog)

    # -- proposals -------------------------------------------------------------

    def import_proposals(self) -> None:
        from app.ui.setup.import_preview import ImportDialog

        call_id = self.window.call_id
        if call_id is None or self.status != "draft":
            return
        dialog = ImportDialog(self.window.ops, call_id, self.window)
        dialog.imported.connect(self._imported)
        self._show(dialog)
        dialog.browse_file()

    def _imported(self, result: ImportResult) -> None:
        self._changed(
            n_(
                "Imported {count} proposal ({inadmissible} not admissible, {attachments} "
                "attachments).",
                "Imported {count} proposals ({inadmissible} not admissible, {attachments} "
                "attachments).",
                result.imported,
            ).format(
                count=result.imported,
                inadmissible=result.inadmissible,
                attachments=result.attachments,
            )
        )

    def change_admissibility(self) -> None:
        call_id, proposal_id = self.window.call_id, self.window.current_proposal
        if call_id is None or self.status != "draft":
            return
        if proposal_id is None:
            self._tell(_("Select a proposal in the list first."))
            return
        self.window.ops.run(
            self,
            lambda ws: proposal_detail(ws, call_id, proposal_id),
            lambda detail: self._admissibility(call_id, detail),
            self._warn,
        )

    def _admissibility(self, call_id: str, detail: ProposalDetail) -> None:
        from app.ui.setup.admissibility_dialog import AdmissibilityDialog

        dialog = AdmissibilityDialog(self.window.ops, call_id, detail, self.window)

        def changed(proposal_id: str, admissible: bool) -> None:
            text = (
                _("Admissibility of {proposal} recorded: admissible.")
                if admissible
                else _("Admissibility of {proposal} recorded: not admissible.")
            )
            self._changed(text.format(proposal=proposal_id))

        dialog.changed.connect(changed)
        self._show(dialog)

    # -- the commission --------------------------------------------------------

    def enrol_members(self) -> None:
        call_id = self.window.call_id
        if call_id is None:
            return
        dialog = QFileDialog(self.window, _("Choose the members' cards"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([_("Enrollment cards (*.vaglio-card)"), _("All files (*)")])
        dialog.filesSelected.connect(lambda paths: self.cards_chosen(call_id, paths))
        self.file_dialog = dialog
        dialog.open()

    def cards_chosen(self, call_id: str, paths: list[str]) -> None:
        """Read and verify the chosen cards on the worker, then ask for confirmation."""
        from app.ui.setup.enrollment_dialog import read_card_files

        if not paths:
            return
        chosen = [Path(p) for p in paths]
        self.window.ops.run(
            self,
            lambda ws: read_card_files(ws, call_id, chosen),
            lambda cards: self._confirm_cards(call_id, cards),
            self._warn,
        )

    def _confirm_cards(self, call_id: str, cards: list[CardFile]) -> None:
        from app.ui.setup.enrollment_dialog import EnrollmentDialog

        dialog = EnrollmentDialog(self.window.ops, call_id, cards, self.window)

        def enrolled(views: list[CardView]) -> None:
            self._changed(
                n_(
                    "Enrolled {count} member in {call_id}: {names}.",
                    "Enrolled {count} members in {call_id}: {names}.",
                    len(views),
                ).format(count=len(views), call_id=call_id, names=", ".join(v.name for v in views))
            )

        dialog.enrolled.connect(enrolled)
        self._show(dialog)

    def publish(self) -> None:
        from app.ui.setup.publish_dialog import publish_info

        call_id = self.window.call_id
        if call_id is None:
            return
        self.window.ops.run(
            self, lambda ws: publish_info(ws, call_id), self._confirm_publication, self._warn
        )

    def _confirm_publication(self, info: PublishInfo) -> None:
        from app.ui.setup.publish_dialog import PublishDialog

        dialog = PublishDialog(self.window.ops, info, self.window)
        dialog.published.connect(self._published)
        self._show(dialog)

    def _published(self, result: Published) -> None:
        self._changed(
            n_(
                "Call {call_id} published to {count} member (package {sequence}); a copy is "
                "in {path}.",
                "Call {call_id} published to {count} members (package {sequence}); a copy is "
                "in {path}.",
                result.recipients,
            ).format(
                call_id=result.call_id,
                count=result.recipients,
                sequence=result.sequence,
                path=result.copy,
            )
        )

    # -- invitations and the guide ----------------------------------------------

    def invite(self) -> None:
        from app.ui.setup.invitation_dialog import InvitationDialog

        call_id = self.window.call_id
        if call_id is None:
            return
        self._show(InvitationDialog(self.window.ops, call_id, self.window))

    def open_guide(self) -> None:
        from app.ui.welcome.new_call_guide import NewCallGuide

        guide = NewCallGuide(self.window)
        self.guide = guide
        guide.show()
