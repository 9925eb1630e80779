"""Synchronisation with the city office in the main window: the sync button
with its progress and its last result, what an intake brought that must be
read at once (conflicts, refused files), the member's submission and
receipts, the secretariat's completeness view, the remote and the cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
)

from app import clock
from app.errors import VaglioError
from app.i18n import _
from app.labels import receipt_state_label
from app.services.changes import Changes
from app.ui.common.disabled import enable
from app.ui.common.failure import show_refusal
from app.ui.common.long_step import LongStepDialog, ProgressRelay
from app.ui.desk.declarations_dialog import DeclarationsDialog
from app.ui.exchange.completeness_dialog import CompletenessDialog
from app.ui.exchange.intake_notice import IntakeNotice, notice_lines

if TYPE_CHECKING:
    from app.services.cards import CardView
    from app.services.exchange import Cancel, SyncReport
    from app.services.intake import IntakeResult
    from app.services.status import CallStatus
    from app.services.steps import Progress
    from app.services.unlocking import OpenWorkspace


# The use cases of the exchange (imported when they run, on the worker).


def synchronise(ws: OpenWorkspace, cancel: Cancel, progress: Any) -> SyncReport:
    from app.services.exchange import sync

    return sync(ws, cancel=cancel, progress=progress)


def call_status(ws: OpenWorkspace, call_id: str) -> CallStatus:
    from app.services.status import call_status

    return call_status(ws, call_id)


@dataclass(frozen=True)
class ImportOutcome:
    """The files a manual import took in, and those it refused with why."""

    results: tuple[IntakeResult, ...]
    refused: tuple[tuple[str, str], ...] = ()
    changes: Changes = field(default_factory=Changes)

    def describe(self) -> str:
        """The last file's outcome, for the status bar."""
        return self.results[-1].describe() if self.results else ""


def import_files(
    ws: OpenWorkspace, paths: list[str], progress: Progress, cancel: Cancel
) -> ImportOutcome:
    """Take in each file on its own, as a sync does: one refused file does not
    stop the others (each intake is its own transaction); a folder stands for
    the files under it. A stop keeps what was taken in (IntakeStoppedError)."""
    from app.services.hand_import import take_in

    done = take_in(ws, paths, progress=progress, cancel=cancel)
    results = [result for _found, result in done.taken] + list(done.completed)
    # Chosen by the person (or found in the folder they chose): the name is enough.
    refused = [(Path(found.path).name, reason) for found, reason in done.refused]
    changes = Changes()
    for result in results:
        changes = changes | result.changes
    return ImportOutcome(tuple(results), tuple(refused), changes)


def short(text: str, limit: int = 120) -> str:
    """``text`` cut for the status bar (which must not widen the window)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# What an intake stopped midway may have changed: the bundles taken in before the stop.
STOPPED_INTAKE_CHANGES = Changes(bundles=True, scores=True, declarations=True)


def save_card(ws: OpenWorkspace, path: Path) -> CardView:
    from app.services.cards import save_card

    return save_card(ws, path)


def trust_office(ws: OpenWorkspace, path: Path) -> tuple[CardView, Changes]:
    from app.services.cards import trust_office
    from app.services.files import read_input

    return trust_office(ws, read_input(path))


class ExchangeController(QObject):
    """Adds the exchange actions to the window once its role is known."""

    synced = Signal(object)  # SyncReport

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.role = ""
        self.cancel_token: Any = None
        self.relay = ProgressRelay(self)
        self.relay.text.connect(self._progress_text)
        self.completeness: CompletenessDialog | None = None
        self.notice: IntakeNotice | None = None
        self.folder_dialog: QFileDialog | None = None
        self.step: LongStepDialog | None = None
        self.declarations: DeclarationsDialog | None = None

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(_("Synchronisation in progress"))
        self.cancel_button = QPushButton(_("Stop"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.last_result = QLabel()
        self.last_result.setAccessibleName(_("Last synchronisation"))
        bar = window.statusBar()
        bar.addPermanentWidget(self.last_result)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

        menu = window.add_menu(_("E&xchange"))
        self.menu = menu
        self.sync_action = self._action(menu, _("&Synchronise with the city office"), self.sync,
                                        "Ctrl+Shift+S")  # fmt: skip
        window.toolbar.addSeparator()
        window.toolbar.addAction(self.sync_action)
        self.remote_action = self._action(menu, _("Exchange &folder or address…"), self.set_remote)
        self.import_action = self._action(menu, _("&Import files…"), self.import_files, "Ctrl+I")
        self.import_folder_action = self._action(
            menu, _("Import a f&older…"), self.import_folder, "Ctrl+Alt+I"
        )
        self.import_folder_action.setStatusTip(
            _("Every Vaglio file in a folder and its subfolders, e.g. one copied to a USB stick.")
        )
        self.export_card_action = self._action(menu, _("&Export my card…"), self.export_card)
        menu.addSeparator()
        self.declarations_action = self._action(
            menu, _("My &declarations…"), self.show_declarations, "Ctrl+Shift+R"
        )
        self.submit_action = self._action(menu, _("S&ubmit my scores…"), self.submit, "Ctrl+Return")
        self.trust_action = self._action(menu, _("&Trust the city office's card…"), self.trust)
        self.receipts_action = self._action(
            menu, _("&Sent bundles and receipts…"), self.show_receipts
        )
        self.completeness_action = self._action(
            menu, _("&Completeness of the evaluation…"), self.show_completeness, "Ctrl+Shift+C"
        )

    def _action(self, menu: Any, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def configure(self, role: str) -> None:
        """Show the actions that belong to ``role``."""
        self.role = role
        member = role == "member"
        for action in (self.declarations_action, self.submit_action, self.trust_action,
                       self.receipts_action):  # fmt: skip
            action.setVisible(member)
        self.completeness_action.setVisible(not member)

    # -- synchronisation ----------------------------------------------------------

    def sync(self) -> None:
        if self.cancel_token is not None or not self.window.ops.unlocked:
            return
        from app.services.exchange import Cancel

        self.cancel_token = Cancel()
        token, relay = self.cancel_token, self.relay
        self._busy(True)
        self.window.ops.run(
            self,
            lambda ws: synchronise(ws, token, relay.text.emit),
            self._synced,
            self._sync_failed,
        )

    def cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.set()
            self.cancel_button.setEnabled(False)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        enable(self.sync_action, not busy, _("Synchronising now: wait for it to end, or stop it."))
        if busy:
            self.last_result.setText(_("Synchronising…"))

    def _progress_text(self, text: str) -> None:
        self.last_result.setText(short(text))

    def _synced(self, report: SyncReport) -> None:
        self.cancel_token = None
        self._busy(False)
        now = clock.now().astimezone().strftime("%H:%M")
        received = sum(1 for r in report.taken_in if r.outcome == "accepted")
        if not report.calls:
            text = _("No exchange folder or address set.")
        elif report.failures:
            text = _("Synchronisation at {time} incomplete: {reason}").format(
                time=now, reason=report.failures[0][1]
            )
        else:
            text = _("Synchronised at {time}: {sent} sent, {received} received.").format(
                time=now, sent=report.uploaded, received=received
            )
        if report.refused:
            text += " " + _("{count} files refused.").format(count=len(report.refused))
        self.last_result.setText(text)
        self.last_result.setToolTip("\n".join(report.lines()))
        self._notify(report.taken_in, report.refused)
        self.synced.emit(report)

    def _sync_failed(self, error: BaseException) -> None:
        from app.services.exchange_errors import IntakeStoppedError

        self.cancel_token = None
        self._busy(False)
        if not isinstance(error, VaglioError):
            raise error
        self.last_result.setText(short(str(error)))
        self.last_result.setToolTip(str(error))
        if isinstance(error, IntakeStoppedError):
            # The office stopped it: say in full what was kept and what was not.
            self.last_message = show_refusal(self.window, error)
            if error.taken:
                self.window.ops.changed.emit(STOPPED_INTAKE_CHANGES)

    # -- remote, cards, files ----------------------------------------------------

    def _call_id(self) -> str | None:
        return self.window.call_id  # type: ignore[no-any-return]

    def set_remote(self) -> None:
        call_id = self._call_id() or ""
        if not call_id:
            call_id, accepted = QInputDialog.getText(
                self.window, _("Exchange folder or address"), _("Call id:")
            )
            if not accepted or not call_id.strip():
                return
        destination, accepted = QInputDialog.getText(
            self.window,
            _("Exchange folder or address"),
            _("Folder (network drive, USB stick) or WebDAV address for {call_id}:").format(
                call_id=call_id
            ),
        )
        if not accepted or not destination.strip():
            return

        def set_remote(ws: OpenWorkspace) -> tuple[object, Changes]:
            from app.services.remotes import set_remote

            return set_remote(ws, call_id.strip(), destination.strip())

        self.window.ops.run(
            self,
            set_remote,
            lambda _result: self.last_result.setText(
                _("Exchange set: {destination}").format(destination=destination.strip())
            ),
            self._error,
        )

    def import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, _("Import Vaglio files"), "", _("Vaglio files (*.vaglio *.vaglio-receipt)")
        )
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        """Choose a folder (a USB stick's copy of the inbox or of a package):
        every file under it is taken in, as ``vaglio bundles import FOLDER``."""
        dialog = QFileDialog(self.window, _("Import a folder of Vaglio files"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.import_paths([path]))
        self.folder_dialog = dialog
        dialog.open()

    def import_paths(self, paths: list[str]) -> None:
        """Take in ``paths`` on the worker, in a dialog that says which file it
        is at and can stop between two; conflicts and refusals are shown at once."""
        self.step = LongStepDialog(
            self.window, _("Import Vaglio files"), _("Reading the files chosen…")
        )
        self.step.start(
            self.window.ops,
            lambda ws, progress, cancel: import_files(ws, paths, progress, cancel),
            self._imported,
            self._import_stopped,
        )

    def _import_stopped(self, error: BaseException) -> None:
        """Stopped (the files taken in before stay: the window shows them) or refused."""
        from app.services.exchange_errors import IntakeStoppedError

        if isinstance(error, IntakeStoppedError):
            self.last_result.setText(short(str(error)))
            self.last_result.setToolTip(str(error))
            if error.taken:
                self.window.ops.changed.emit(STOPPED_INTAKE_CHANGES)
        self._error(error)

    def _imported(self, outcome: ImportOutcome) -> None:
        text = outcome.describe()
        if outcome.refused:
            text = (text + " " if text else "") + _("{count} files refused.").format(
                count=len(outcome.refused)
            )
        self.last_result.setText(text)
        self.last_result.setToolTip(
            "\n".join(line for r in outcome.results for line in [r.describe(), *r.notes()])
        )
        self._notify(outcome.results, outcome.refused)

    def _notify(self, results: Any, refused: Any) -> None:
        """Show the conflicts and refused files of an intake in a window of their own."""
        lines = notice_lines(results, refused)
        if not lines:
            return
        if self.notice is not None:
            self.notice.close()
        notice = IntakeNotice(lines, office=self.role != "member", parent=self.window)
        notice.completeness_requested.connect(self.show_completeness)
        self.notice = notice
        notice.open()

    def export_card(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window, _("Export my card"), "scheda.vaglio-card", _("Cards (*.vaglio-card)")
        )
        if not path:
            return
        self.window.ops.run(
            self,
            lambda ws: save_card(ws, Path(path)),
            lambda card: self._tell(
                _("Card written to {path}.\nFingerprint: {fingerprint}").format(
                    path=path, fingerprint=card.fingerprint
                )
            ),
            self._error,
        )

    def trust(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, _("The city office's card"), "", _("Cards (*.vaglio-card)")
        )
        if not path:
            return
        self.window.ops.run(
            self,
            lambda ws: trust_office(ws, Path(path)),
            lambda result: self._tell(
                _(
                    "Trusted city office: {name}\nFingerprint: {fingerprint}\n\n"
                    "Compare this fingerprint aloud with the secretariat."
                ).format(name=result[0].name, fingerprint=result[0].fingerprint)
            ),
            self._error,
        )

    # -- member: submission and receipts ---------------------------------------

    def submit(self) -> None:
        """Check readiness first; only a member who is ready is asked to confirm."""
        call_id = self._call_id()
        self.confirmation: QMessageBox | None = None
        if call_id is None:
            return

        def sending_state(ws: OpenWorkspace) -> Any:
            from app.services.sending import sending_state

            return sending_state(ws, call_id)

        self.window.ops.run(self, sending_state, self._confirm_submit, self._error)

    def _confirm_submit(self, state: Any) -> None:
        call_id = state.call_id
        problems = state.readiness.problems()
        if problems:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                _("Submit my scores"),
                _("Not ready to submit yet:") + "\n\n" + "\n".join(f"• {p}" for p in problems),
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.confirmation = box
            box.open()
            return
        question = _(
            "Your declarations and scores for {call_id} will be signed and sealed for the "
            "city office. You can still correct them later with a new submission. Go on?"
        ).format(call_id=call_id)
        if not state.something_to_send:
            question = (
                _("Nothing changed since bundle no. {sequence}.").format(sequence=state.sequence)
                + "\n\n"
                + question
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Submit my scores"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def submit(ws: OpenWorkspace) -> Any:
            from app.services.submission import submit

            return submit(ws, call_id)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.window.ops.run(self, submit, self._submitted, self._error)

        box.finished.connect(answered)
        self.confirmation = box
        box.open()

    def _submitted(self, submitted: Any) -> None:
        self.last_result.setText(
            _("Bundle {sequence} ready: synchronising with the city office…").format(
                sequence=submitted.sequence
            )
        )
        self.sync()

    def show_declarations(self) -> None:
        """Every proposal with this member's declaration, to review before submitting."""
        call_id = self._call_id()
        if call_id is None:
            return
        if self.declarations is None:
            dialog = DeclarationsDialog(self.window.ops, self.window)
            dialog.open_requested.connect(self._open_proposal)
            dialog.submit_requested.connect(self.submit)
            dialog.imported.connect(self._declarations_imported)
            self.declarations = dialog
        dialog = self.declarations
        dialog.load(call_id)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _declarations_imported(self) -> None:
        """The desk's statuses, and the sheet on show, after a file of declarations."""
        self.window.reload()
        desk, current = self.window.desk, self.window.current_proposal
        if desk is not None and current:
            desk.show_proposal(current)

    def _open_proposal(self, proposal_id: str) -> None:
        """Select ``proposal_id`` on the desk, where its declaration form is."""
        row = self.window.model.row_of(proposal_id)
        if row >= 0:
            self.window.table.selectRow(row)
        self.window.raise_()
        self.window.activateWindow()

    def show_receipts(self) -> None:
        call_id = self._call_id()
        if call_id is None:
            return
        self.window.ops.run(self, lambda ws: call_status(ws, call_id), self._receipts, self._error)

    def _receipts(self, status: Any) -> None:
        if not status.bundles:
            self._tell(_("No bundle submitted yet for {call_id}.").format(call_id=status.call_id))
            return
        lines = []
        for bundle in status.bundles:
            state = receipt_state_label(bundle.state, bundle.receipt_at)
            lines.append(
                _("Bundle {sequence}: {state}").format(sequence=bundle.sequence, state=state)
            )
        self._tell("\n".join(lines))

    # -- secretariat: completeness -------------------------------------------

    def show_completeness(self) -> None:
        call_id = self._call_id()
        if call_id is None:
            return
        if self.completeness is None:
            self.completeness = CompletenessDialog(self.window.ops, self.window)
        self.completeness.load(call_id, reveal=True)

    # -- feedback ----------------------------------------------------------------

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Vaglio", text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    def _error(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.last_message = show_refusal(self.window, error)
