"""Removing a closed call's material from the member's laptop, in the window.

*Exchange → Remove the call's material…* (member only) and, after a sync that
brought the city office's close notice, a question that offers the same. Both
open :class:`PurgeDialog`, which says what goes and what stays before
anything is removed; the removal runs on the database worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _, format_datetime
from app.ui.common.failure import show_refusal
from app.ui.common.screen_fit import keep_geometry

if TYPE_CHECKING:
    from app.services.exchange import SyncReport
    from app.services.purge import Purged, PurgePlan
    from app.services.unlocking import OpenWorkspace


# The use cases (imported when they run, on the worker).


def plan_of(ws: OpenWorkspace, call_id: str) -> PurgePlan:
    from app.services.purge import purge_plan

    return purge_plan(ws, call_id)


def purge(ws: OpenWorkspace, call_id: str) -> Purged:
    from app.services.purge import purge_call

    return purge_call(ws, call_id)


class PurgeDialog(QDialog):
    """What removing a closed call's material does; *Cancel* is the default."""

    def __init__(self, plan: PurgePlan, parent: Any = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Remove the material of {call_id}").format(call_id=plan.call_id))
        keep_geometry(self)
        self.setMinimumWidth(560)
        self.setMaximumWidth(720)
        heading = QLabel(
            _("The city office closed call {call_id} on {moment}.").format(
                call_id=plan.call_id, moment=format_datetime(plan.closed_at)
            )
        )
        heading.setStyleSheet("font-weight: bold;")
        self.removal = QLabel(
            _("These will be removed from this computer: {removal}.").format(removal=plan.removal())
        )
        self.kept = QLabel(plan.kept())
        self.warning = QLabel(
            _(
                "This cannot be undone. The city office keeps the record of the call; the "
                "database is then rewritten so that nothing removed can be read back."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        for label in (self.removal, self.kept, self.warning):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button: QPushButton = self.buttons.addButton(
            _("&Remove the material"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        cancel.setFocus()
        self.remove_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class PurgeController(QObject):
    """The member's way to remove a closed call's material from the window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: PurgeDialog | None = None
        self.prompt_box: QMessageBox | None = None
        self.last_message: QMessageBox | None = None
        self.prompt_remove: Any = None
        exchange = window.exchange
        self.action = QAction(_("&Remove the call's material…"), window)
        self.action.triggered.connect(lambda: self.ask(None))
        exchange.menu.addSeparator()
        exchange.menu.addAction(self.action)
        exchange.synced.connect(self._synced)

    def ask(self, call_id: str | None) -> None:
        """Show what removing ``call_id``'s material does (the current call by default)."""
        call_id = call_id or self.window.call_id
        if call_id is None:
            return
        self.window.ops.run(self, lambda ws: plan_of(ws, call_id), self._confirm, self._refused)

    def _confirm(self, plan: PurgePlan) -> None:
        dialog = PurgeDialog(plan, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._purge(plan.call_id))
        self.dialog = dialog
        dialog.open()

    def _purge(self, call_id: str) -> None:
        desk = self.window.desk
        if desk is not None:
            desk.flush()  # a motivation waiting for its pause is saved first, then removed
        self.window.ops.run(self, lambda ws: purge(ws, call_id), self._purged, self._refused)

    def _purged(self, purged: Purged) -> None:
        # What the window still shows of the call goes too: the proposal, the
        # sheet, and the undo steps that hold motivations.
        window = self.window
        window.current_proposal = None
        window.detail.show_detail(None)
        if window.desk is not None:
            window.desk.forget()
        plan = purged.plan
        text = _("The material of {call_id} was removed from this computer: {removal}.").format(
            call_id=plan.call_id, removal=plan.removal()
        )
        self.window.exchange.last_result.setText(
            _("Material of {call_id} removed.").format(call_id=plan.call_id)
        )
        box = QMessageBox(QMessageBox.Icon.Information, "Vaglio", text, parent=self.window)
        box.setInformativeText(plan.kept())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    def _synced(self, report: SyncReport) -> None:
        accepted = [
            r.call_id
            for r in report.taken_in
            if r.kind == "call-closed" and r.outcome == "accepted"
        ]
        if accepted:
            self.prompt(accepted[0])

    def prompt(self, call_id: str) -> None:
        """The office has just closed ``call_id``: offer to remove its material."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Call closed"),
            _(
                "The city office approved the ranking of {call_id} and closed the call. Its "
                "material (the proposals, their attachments, your declarations and scores) "
                "can now be removed from this computer; your signed score bundles and the "
                "office's receipts stay as evidence."
            ).format(call_id=call_id),
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        self.prompt_remove = box.addButton(
            _("&Remove the material…"), QMessageBox.ButtonRole.AcceptRole
        )
        later = box.addButton(_("&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(later)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is self.prompt_remove:
                self.ask(call_id)

        box.finished.connect(answered)
        self.prompt_box = box
        box.open()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error
        self.last_message = show_refusal(self.window, error)


def install(window: Any) -> PurgeController:
    """Add the removal to a member's window (after its exchange menu)."""
    return PurgeController(window)
