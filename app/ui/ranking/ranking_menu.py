"""The secretariat's menu after the evaluation: the ranking, the lottery,
the approval, the exports and the matchfunding page.

Installed next to the set-up menu in a secretariat's workspace. The actions
follow the current call's status (``CallSetup.state_changed``): the lottery
and the approval last until the approval closes the call, which opens the
matchfunding page; the services refuse what does not apply yet. Everything
runs on the database worker; dialogs open with ``open()`` or ``show()``,
never a nested event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.errors import VaglioError
from app.i18n import _
from app.services.ranking_views import RankingView
from app.ui.common.disabled import enable, no_call_reason
from app.ui.common.failure import show_refusal
from app.ui.funding.funding_dialog import FundingDialog
from app.ui.ranking.ranking_dialog import RankingDialog, funding_locked_reason, ranking_step
from app.ui.ranking.statistics_dialog import StatisticsDialog

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.unlocking import OpenWorkspace

MESSAGE_MS = 10_000
EXPORT_KINDS = ("csv", "xlsx", "json")


def export_filters() -> dict[str, str]:
    """The file dialog's filters, by the kind of file they stand for."""
    return {
        "csv": _("CSV, comma-separated (*.csv)"),
        "xlsx": _("Excel workbook (*.xlsx)"),
        "json": _("JSON (*.json)"),
    }


def export_kind(path: str, chosen_filter: str) -> tuple[str, Path]:
    """The kind of export and its file, from the name typed or the filter chosen."""
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix in EXPORT_KINDS:
        return suffix, target
    kind = next((k for k, f in export_filters().items() if f == chosen_filter), "csv")
    return kind, target.with_name(f"{target.name}.{kind}")


def install(window: Any, setup: Any) -> RankingActions:
    """Add the ranking menu to ``window``, following ``setup``'s call status."""
    actions = RankingActions(window, setup)
    window.ranking = actions
    return actions


class RankingActions(QObject):
    """The ranking menu's actions and the windows they open."""

    def __init__(self, window: Any, setup: Any) -> None:
        super().__init__(window)
        self.window = window
        self.setup = setup
        self.ranking_dialog: RankingDialog | None = None
        self.funding_dialog: FundingDialog | None = None
        self.statistics_dialog: StatisticsDialog | None = None
        self.dialog: QDialog | None = None  # the lottery or approval dialog last opened
        self.step: QDialog | None = None  # the ranking computed before one opens
        self.file_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None
        self.last_message = ""
        window.ops.changed.connect(self._refresh)

        menu = window.add_menu(_("&Ranking and funding"))
        menu.setToolTipsVisible(True)
        self.menu = menu
        self.show_action = self._action(menu, _("&Ranking…"), self.show_ranking, "Ctrl+Shift+G")
        self.statistics_action = self._action(
            menu, _("&Statistics of the members…"), self.show_statistics, "Ctrl+Shift+T"
        )
        self.lottery_action = self._action(
            menu, _("Record the drawn &number…"), self.record_lottery, "Ctrl+Shift+L"
        )
        self.collegial_action = self._action(
            menu, _("Co&llegial scores…"), self.show_collegial, "Ctrl+Shift+K"
        )
        self.discussion_action = self._action(
            menu, _("D&iscussions of the flags…"), self.show_discussions
        )
        self.approve_action = self._action(menu, _("&Approve the ranking…"), self.approve)
        self.export_action = self._action(
            menu, _("&Export the ranking…"), self.export_ranking, "Ctrl+Shift+X"
        )
        menu.addSeparator()
        self.funding_action = self._action(
            menu, _("&Matchfunding…"), self.show_funding, "Ctrl+Shift+F"
        )
        setup.state_changed.connect(self._update_actions)
        self._update_actions()

    def _action(self, menu: Any, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _update_actions(self) -> None:
        status = self.setup.status
        has_call = self.window.call_id is not None and status is not None
        closed = has_call and status == "closed"
        no_call = no_call_reason()
        for action in (self.show_action, self.statistics_action, self.export_action,
                       self.discussion_action):  # fmt: skip
            enable(action, has_call, no_call)
        for action in (self.lottery_action, self.collegial_action, self.approve_action):
            approved = _("The ranking is approved: it can no longer change.")
            enable(action, has_call and not closed, approved if closed else no_call)
        self.funding_action.setEnabled(closed)
        self.funding_action.setToolTip("" if closed else funding_locked_reason())
        self.funding_action.setStatusTip("" if closed else funding_locked_reason())

    # -- feedback --------------------------------------------------------------

    def _tell(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, MESSAGE_MS)
        if self.ranking_dialog is not None and self.ranking_dialog.isVisible():
            self.ranking_dialog.tell(text)

    def _warn(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.last_message = str(error)
        self.message_box = show_refusal(self._parent(), error)

    def _parent(self) -> Any:
        dialog = self.ranking_dialog
        return dialog if dialog is not None and dialog.isVisible() else self.window

    def _show(self, dialog: QDialog) -> None:
        previous = self.dialog
        if previous is not None and not previous.isVisible() and not self.window.worker.pending:
            previous.deleteLater()
        self.dialog = dialog
        dialog.open()

    # -- the ranking -----------------------------------------------------------

    def export_publication(self) -> None:
        """Ask where to write the approved ranking for publication (PDF or CSV)."""
        from app.ui.ranking.publication_export import publication_saver

        if self.window.call_id is None:
            return
        if getattr(self, "publication", None) is None:
            self.publication = publication_saver(self.window)
        self.publication.ask(f"graduatoria-{self.window.call_id}.pdf")

    def show_ranking(self) -> None:
        call_id = self.window.call_id
        if call_id is None:
            return
        if self.ranking_dialog is None:
            dialog = RankingDialog(self.window.ops, self.window)
            dialog.lottery_requested.connect(self.record_lottery)
            dialog.collegial_requested.connect(self.show_collegial)
            dialog.discussion_requested.connect(self.show_discussions)
            dialog.approval_requested.connect(self.approve)
            dialog.export_requested.connect(self.export_ranking)
            dialog.publication_requested.connect(self.export_publication)
            dialog.funding_requested.connect(self.show_funding)
            for action in (self.show_action, self.lottery_action, self.collegial_action,
                           self.approve_action, self.export_action,
                           self.funding_action):  # fmt: skip
                dialog.addAction(action)  # their shortcuts work in the dialog too
            self.ranking_dialog = dialog
        dialog = self.ranking_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.load(call_id)  # over the window: its progress and Stop

    def _refresh(self, changes: Changes) -> None:
        """Bundles came in (a sync, a USB intake): the open ranking shows them."""
        dialog = self.ranking_dialog
        if changes.bundles and dialog is not None and dialog.isVisible() and dialog.call_id:
            dialog.load(dialog.call_id)

    def _with_view(self, then: Any) -> None:
        """Compute the current call's ranking on the worker (its progress and a
        Stop shown), then call ``then(view)``."""
        call_id = self.window.call_id
        if call_id is None:
            return
        self.step = ranking_step(self._parent(), self.window.ops, call_id, then, self._stopped)

    def _stopped(self, error: BaseException) -> None:
        """A ranking stopped on request is said in the status bar; a refusal is shown."""
        from app.services.steps import StepStoppedError

        if isinstance(error, StepStoppedError):
            self._tell(str(error))
        else:
            self._warn(error)

    def _changed(self, view: RankingView, text: str) -> None:
        """After the lottery or the approval: every screen that depends on it."""
        dialog = self.ranking_dialog
        if dialog is not None and dialog.call_id == view.call_id:
            dialog.show_view(view)
        funding = self.funding_dialog
        if funding is not None and funding.isVisible() and funding.call_id == view.call_id:
            funding.load(view.call_id)
        self._tell(text)
        self.window.reload()  # the call's status, hence these actions

    # -- the members' statistics ----------------------------------------------

    def show_statistics(self) -> None:
        """How each member scored: for the sitting's discussion, never applied."""
        call_id = self.window.call_id
        if call_id is None:
            return
        if self.statistics_dialog is None:
            self.statistics_dialog = StatisticsDialog(self.window.ops, self.window)
        dialog = self.statistics_dialog
        dialog.load(call_id)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # -- the lottery -----------------------------------------------------------

    def record_lottery(self) -> None:
        self._with_view(self._open_lottery)

    def _open_lottery(self, view: RankingView) -> None:
        from app.services.ranking_errors import NoLotteryNeededError, RankingApprovedError
        from app.ui.ranking.lottery_dialog import LotteryDialog

        if view.approved:
            self._warn(RankingApprovedError(view.call_id))
            return
        if not view.pending_lottery:
            self._warn(NoLotteryNeededError(view.call_id))
            return
        dialog = LotteryDialog(self.window.ops, view, self._parent())
        dialog.recorded.connect(self._lottery_recorded)
        self._show(dialog)

    def _lottery_recorded(self, view: RankingView) -> None:
        self._changed(
            view,
            _("Lottery number {number} recorded; the ties are settled.").format(
                number=view.lottery_number
            ),
        )

    # -- collegial scores ------------------------------------------------------

    def show_collegial(self) -> None:
        self._with_view(self._open_collegial)

    def _open_collegial(self, view: RankingView) -> None:
        from app.services.collegial_errors import CollegialClosedError, NotCollegialError
        from app.ui.ranking.collegial_dialog import CollegialDialog

        if not view.grid.scoring.collegial:
            self._warn(NotCollegialError(view.call_id))
            return
        if view.approved:
            self._warn(CollegialClosedError(view.call_id))
            return
        dialog = CollegialDialog(self.window.ops, view.call_id, self._parent())
        dialog.recorded.connect(lambda _done: self._collegial_recorded(view.call_id))
        self._show(dialog)
        dialog.load()

    def _collegial_recorded(self, call_id: str) -> None:
        dialog = self.ranking_dialog
        if dialog is not None and dialog.isVisible() and dialog.call_id == call_id:
            dialog.load(call_id)

    # -- discussions of the flags ---------------------------------------------

    def show_discussions(self) -> None:
        from app.ui.ranking.discussion_dialog import DiscussionDialog

        call_id = self.window.call_id
        if call_id is None:
            return
        dialog = DiscussionDialog(self.window.ops, call_id, self._parent())
        self._show(dialog)
        dialog.load()

    # -- the approval ----------------------------------------------------------

    def approve(self) -> None:
        self._with_view(self._open_approval)

    def _open_approval(self, view: RankingView) -> None:
        from app.ui.ranking.approval_dialog import ApprovalDialog

        dialog = ApprovalDialog(self.window.ops, view, self._parent())
        dialog.approved.connect(self._approved)
        self._show(dialog)

    def _approved(self, view: RankingView) -> None:
        self._changed(
            view,
            _("Ranking approved and frozen; SHA-256 {digest}. No more bundles are accepted.")
            .format(digest=view.document_sha256),
        )  # fmt: skip

    # -- exports ---------------------------------------------------------------

    def export_ranking(self) -> None:
        call_id = self.window.call_id
        if call_id is None:
            return
        filters = export_filters()
        start = str(Path.home() / f"graduatoria-{call_id}.csv")
        dialog = QFileDialog(self._parent(), _("Export the ranking"), start)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters(list(filters.values()))
        dialog.filterSelected.connect(lambda chosen: self._filter_chosen(dialog, chosen))
        dialog.fileSelected.connect(
            lambda path: self.write_export(call_id, *export_kind(path, dialog.selectedNameFilter()))
        )
        self.file_dialog = dialog
        dialog.open()

    @staticmethod
    def _filter_chosen(dialog: QFileDialog, chosen: str) -> None:
        """Keep the file name's extension in step with the chosen format."""
        kind = next((k for k, f in export_filters().items() if f == chosen), None)
        names = dialog.selectedFiles()
        if kind is None or not names:
            return
        dialog.selectFile(Path(names[0]).with_suffix(f".{kind}").name)

    def write_export(self, call_id: str, kind: str, path: Path) -> None:
        """Write the export on the worker (atomically), then say where it went."""

        def export(ws: OpenWorkspace) -> Path:
            from app.services.ranking_files import export_ranking

            return export_ranking(ws, call_id, kind, path)

        self.window.ops.run(
            self,
            export,
            lambda _result: self._tell(
                _("Ranking of {call_id} exported as {kind} to {path}.").format(
                    call_id=call_id, kind=kind.upper(), path=path
                )
            ),
            self._warn,
        )

    # -- matchfunding ----------------------------------------------------------

    def show_funding(self) -> None:
        call_id = self.window.call_id
        if call_id is None:
            return
        if self.funding_dialog is None:
            dialog = FundingDialog(self.window.ops, self.window)
            dialog.changed.connect(self._funding_changed)
            for action in (self.show_action, self.funding_action):
                dialog.addAction(action)
            self.funding_dialog = dialog
        dialog = self.funding_dialog
        dialog.load(call_id)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _funding_changed(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, MESSAGE_MS)
