"""The member's sending state in the status bar (issue 15, item 4): *Mai
inviato*, *Inviato il … (n. 3)*, *Ricevuto dalla segreteria il …*, and
*Modifiche non ancora inviate* after any change since the last bundle. It
also keeps *Invia i miei punteggi* enabled only when the member is ready,
saying what is missing otherwise.

The state comes from ``app.services.sending`` on the worker, after every
save, declaration, submission and synchronisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from app.i18n import _
from app.services.sending import NEVER, RECEIVED
from app.ui.common.disabled import enable, no_call_reason, set_tip

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.sending import SendingState
    from app.services.unlocking import OpenWorkspace

REFRESH_ON = ("calls", "declarations", "scores", "bundles")
COLOURS = {NEVER: "#8a5a00", RECEIVED: "#1d5e20"}
CHANGED_COLOUR = "#8a1c1c"


def load_state(ws: OpenWorkspace, call_id: str) -> SendingState:
    from app.services.sending import sending_state

    return sending_state(ws, call_id)


def missing_text(state: SendingState) -> str:
    """Why the member cannot submit yet, one obstacle a line."""
    return "\n".join(state.readiness.problems())


class SendingIndicator(QObject):
    """The status-bar label and the submit action's state, for one window."""

    state_shown = Signal(object)  # SendingState, for tests

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.state: SendingState | None = None
        self.label = QLabel()
        self.label.setAccessibleName(_("Sending state"))
        window.statusBar().insertPermanentWidget(0, self.label)  # first: what matters most
        exchange = window.exchange
        set_tip(exchange.submit_action, _("Sign and seal your declarations and scores for the "
                                          "city office (Ctrl+Enter)."))  # fmt: skip
        enable(exchange.submit_action, False, no_call_reason())
        window.desk.desk_loaded.connect(lambda _desk: self.refresh())
        exchange.synced.connect(lambda _report: self.refresh())
        window.ops.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if any(getattr(changes, name) for name in REFRESH_ON):
            self.refresh()

    def refresh(self) -> None:
        call_id = self.window.call_id
        if call_id is None or not self.window.ops.unlocked:
            self.label.clear()
            enable(self.window.exchange.submit_action, False, no_call_reason())
            return
        self.window.ops.run(
            self, lambda ws: load_state(ws, call_id), self._show, lambda _error: None
        )

    def _show(self, state: SendingState) -> None:
        if state.call_id != self.window.call_id:
            return
        self.state = state
        self.label.setText(state.sentence())
        colour = CHANGED_COLOUR if state.unsent_changes else COLOURS.get(state.state, "")
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        problems = state.readiness.problems()
        self.label.setToolTip("\n".join([state.headline(), *state.notes(), *problems]))
        enable(
            self.window.exchange.submit_action,
            not problems,
            _("Not ready to submit:") + "\n" + "\n".join(problems) if problems else "",
        )
        self.state_shown.emit(state)


def install(window: Any) -> SendingIndicator:
    """Add the sending state to a member's ``window`` (its desk and exchange exist)."""
    indicator = SendingIndicator(window)
    window.sending = indicator
    return indicator
