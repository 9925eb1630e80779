"""The secretariat's "Minutes" menu: the minutes window (preview, print,
save, sign), the commission's sittings, and checking any signed PDF.

The minutes come after the approval of the ranking: until then the action
is disabled and says why (the service's own refusal). The state is asked of
the worker each time the window loads a call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from app.errors import VaglioError
from app.i18n import _
from app.ui.common.disabled import enable, no_call_reason

if TYPE_CHECKING:
    from app.services.minutes import MinutesState
    from app.services.unlocking import OpenWorkspace


def install(window: Any) -> MinutesActions:
    """Add the minutes menu to ``window`` (a secretariat's MainWindow)."""
    actions = MinutesActions(window)
    window.minutes = actions
    return actions


class MinutesActions(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.approved: bool | None = None  # of the current call; None while unknown
        self.reason = ""
        self.minutes_window: Any = None
        self.dialog: Any = None

        menu = window.add_menu(_("M&inutes"))
        menu.setToolTipsVisible(True)
        self.menu = menu
        self.show_action = self._action(
            menu, _("&Minutes: preview, print and sign…"), self.show_minutes, "Ctrl+Shift+V"
        )
        self.sittings_action = self._action(menu, _("Commission &sittings…"), self.show_sittings)
        menu.addSeparator()
        self.verify_action = self._action(
            menu, _("&Check the signatures of a PDF…"), self.verify_pdf
        )
        window.proposals_loaded.connect(self.refresh)
        self._update_actions()

    def _action(self, menu: Any, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def refresh(self, *_args: Any) -> None:
        """Ask the worker whether the current call's ranking is approved."""
        call_id = self.window.call_id
        self.approved = None
        self._update_actions()
        if call_id is None or not self.window.ops.unlocked:
            return

        def state(ws: OpenWorkspace) -> MinutesState:
            from app.services.minutes import minutes_state

            return minutes_state(ws, call_id)

        self.window.ops.run(
            self,
            state,
            lambda state: self._known(call_id, state),
            self._ignore,
        )

    def _known(self, call_id: str, state: Any) -> None:
        if call_id == self.window.call_id:
            self.approved = state.approved
            self.reason = state.reason
            self._update_actions()

    def _ignore(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            raise error

    def _update_actions(self) -> None:
        has_call = self.window.call_id is not None
        self.show_action.setEnabled(bool(self.approved))
        why = ""
        if not has_call:
            why = _("Choose a call first.")
        elif self.approved is None:
            why = _("Finding out whether the ranking is approved…")
        elif not self.approved:
            why = self.reason
        self.show_action.setToolTip(why)
        self.show_action.setStatusTip(why)
        enable(self.sittings_action, has_call, no_call_reason())

    # -- the actions -------------------------------------------------------------

    def show_minutes(self) -> None:
        from app.ui.minutes.minutes_window import MinutesWindow

        call_id = self.window.call_id
        if call_id is None or not self.approved:
            return
        if self.minutes_window is not None:
            self.minutes_window.close()
            self.minutes_window.deleteLater()
        window = MinutesWindow(self.window.ops, call_id, self.window)
        self.minutes_window = window
        window.show()
        window.make()

    def show_sittings(self) -> None:
        from app.ui.minutes.sittings_dialog import SittingsDialog

        call_id = self.window.call_id
        if call_id is None:
            return
        dialog = SittingsDialog(self.window.ops, call_id, self.window)
        if self.minutes_window is not None:
            dialog.changed.connect(self.minutes_window.make)
        dialog.changed.connect(self.refresh)  # the minutes need a recorded sitting
        self.dialog = dialog
        dialog.open()
        dialog.load()

    def verify_pdf(self) -> None:
        from app.ui.minutes.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self.window.ops, self.window)
        self.dialog = dialog
        dialog.open()
        dialog.choose_pdf()
