"""Publishing a call: what will go out, to whom, and where, before signing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import _, n_
from app.labels import commission_role_label
from app.services.views import CallView
from app.ui.common.long_step import ProgressRelay
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import keep_geometry
from app.ui.common.widgets import ERROR_STYLE, error_label, explain, note_label

if TYPE_CHECKING:
    from app.services.publication import Published
    from app.services.roster import MemberView
    from app.services.unlocking import OpenWorkspace


@dataclass(frozen=True)
class PublishInfo:
    call: CallView
    roster: list[MemberView]
    remote: str | None


def publish_info(ws: OpenWorkspace, call_id: str) -> PublishInfo:
    """Everything the confirmation shows (runs on the worker)."""
    from app.services.calls import call_view
    from app.services.exchange_errors import NoRemoteError
    from app.services.remotes import get_remote
    from app.services.roster import roster

    try:
        remote: str | None = get_remote(ws, call_id).destination
    except NoRemoteError:
        remote = None
    return PublishInfo(call_view(ws, call_id), roster(ws, call_id), remote)


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class PublishDialog(QDialog):
    """The confirmation before signing and sealing the call package."""

    published = Signal(object)  # Published

    def __init__(self, ops: Ops, info: PublishInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.info = info
        call = info.call
        self.setWindowTitle(_("Publish {call_id}").format(call_id=call.id))
        keep_geometry(self)
        self.setMinimumWidth(620)
        count = len(info.roster)

        heading = _wrapped(f"<b>{_html(call.id)} — {_html(call.title)}</b>")
        form = QFormLayout()
        self.proposals_label = _wrapped(
            n_("{count} proposal", "{count} proposals", call.proposals).format(count=call.proposals)
        )
        form.addRow(_("Proposals:"), self.proposals_label)
        members = "\n".join(
            f"{m.name} ({commission_role_label(m.commission_role)})" for m in info.roster
        )
        self.roster_label = _wrapped(
            n_("{count} member", "{count} members", count).format(count=count)
            + (("\n" + members) if members else "")
        )
        self.roster_label.setAccessibleName(_("Commission"))
        form.addRow(_("Commission:"), self.roster_label)
        self.remote_label = _wrapped(info.remote or _("none set"))
        self.remote_label.setAccessibleName(_("Exchange folder or address"))
        form.addRow(_("Exchange folder or address:"), self.remote_label)

        explanation = _wrapped(
            n_(
                "Publishing signs the call package (definition, criteria grid, proposals with "
                "their attachments, roster) and seals it so that only the {count} enrolled "
                "member can open it. From then on the definition, the grid, the proposals and "
                "their admissibility can no longer change.",
                "Publishing signs the call package (definition, criteria grid, proposals with "
                "their attachments, roster) and seals it so that only the {count} enrolled "
                "members can open it. From then on the definition, the grid, the proposals and "
                "their admissibility can no longer change.",
                count,
            ).format(count=count)
        )
        notes: list[QLabel] = []
        if call.status != "draft":
            notes.append(
                note_label(
                    _(
                        "This call is already published: publishing again sends a new version "
                        "of the package (for example after enrolling another member)."
                    )
                )
            )
        if not info.remote:
            notes.append(
                note_label(
                    _(
                        "No exchange folder or address is set for this call: the package waits "
                        "in the outbox (a copy is in the workspace's outbox folder, for a USB "
                        "stick) until one is set in the Exchange menu."
                    )
                )
            )
        else:
            notes.append(
                note_label(
                    _("The package goes to the exchange folder at the next synchronisation.")
                )
            )
        if call.proposals == 0:
            notes.append(_warning(_("The call has no proposals yet.")))
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Publish"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.publish)
        self.buttons.rejected.connect(self.reject)
        if count == 0:
            notes.append(
                _warning(
                    _("No commission members yet: enrol them from their cards before publishing.")
                )
            )
            self.ok.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        if count:
            layout.addWidget(explanation)
        for note in notes:
            layout.addWidget(note)
        # While publishing: which attachment is being sealed, and a way to stop.
        self.relay = ProgressRelay(self)
        self.relay.text.connect(self._progress_text)
        self.cancel_token: Any = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(_("Publication in progress"))
        self.progress_text = QLabel()
        self.stop_button = QPushButton(_("&Stop"))
        self.stop_button.setToolTip(
            _("Stop publishing: nothing is published, the call stays as it was.")
        )
        self.stop_button.clicked.connect(self.stop)
        for widget in (self.progress, self.progress_text, self.stop_button):
            widget.setVisible(False)
        layout.addWidget(self.error)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.buttons)

    def publish(self) -> None:
        """Sign and seal on the worker, showing each attachment sealed, with
        *Interrompi*; the dialog closes when the package is in the outbox."""
        from app.services.exchange import Cancel

        call_id = self.info.call.id
        self.ok.setEnabled(False)
        self.cancel_token = token = Cancel()
        relay = self.relay
        self._busy(True)

        def publish(ws: OpenWorkspace) -> Published:
            from app.services.publication import publish_call

            return publish_call(ws, call_id, progress=relay.text.emit, cancel=token)

        self.ops.run(self, publish, self._published, self._refused)

    def stop(self) -> None:
        """Ask the worker to stop before the next attachment."""
        if self.cancel_token is not None:
            self.cancel_token.set()
            self.stop_button.setEnabled(False)
            self.progress_text.setText(_("Stopping…"))

    def _busy(self, busy: bool) -> None:
        for widget in (self.progress, self.progress_text, self.stop_button):
            widget.setVisible(busy)
        self.stop_button.setEnabled(busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        if busy:
            self.progress_text.setText(_("Signing and sealing the call package…"))
            # Room for the progress rows, without squeezing what is above them.
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _progress_text(self, text: str) -> None:
        self.progress_text.setText(text)

    def _published(self, result: Published) -> None:
        self.cancel_token = None
        self._busy(False)
        self.published.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.cancel_token = None
        self._busy(False)
        self.ok.setEnabled(bool(self.info.roster))
        explain(self.error, error)


def _warning(text: str) -> QLabel:
    label = _wrapped(text)
    label.setStyleSheet(ERROR_STYLE)
    return label


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
