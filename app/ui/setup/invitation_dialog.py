"""The secretariat's invitations: one file per call, for one enrolled member
or for anyone on the roster, carrying the office's tessera and the exchange.

The exchange (a shared folder or a WebDAV address) can be set here too, the
same use case as Exchange → Exchange folder or address. The dialog ends by
saying what to tell the member: compare the office's fingerprint aloud.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import _
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import error_label, heading_label, note_label, text_label

if TYPE_CHECKING:
    from app.services.invitations import InvitationView
    from app.services.roster import MemberView
    from app.services.unlocking import OpenWorkspace


def invitation_facts(ws: OpenWorkspace, call_id: str) -> tuple[list[MemberView], str]:
    """The roster, and the call's exchange ("" if none is set yet)."""
    from app.services.exchange_errors import NoRemoteError
    from app.services.remotes import get_remote
    from app.services.roster import roster

    try:
        destination = get_remote(ws, call_id).destination
    except NoRemoteError:
        destination = ""
    return roster(ws, call_id), destination


def write_invitation(
    ws: OpenWorkspace, call_id: str, destination: str, member: str | None, path: Path
) -> InvitationView:
    """Record the exchange if it changed, then write the invitation."""
    from app.services.invitations import save_invitation
    from app.services.remotes import get_remote, remotes, set_remote

    current = {r.call_id: r.destination for r in remotes(ws)}.get(call_id)
    if destination and destination != current:
        set_remote(ws, call_id, destination)
    get_remote(ws, call_id)  # a refusal that says how to set it
    return save_invitation(ws, call_id, path, member)


class InvitationDialog(QDialog):
    """Write invitations to one call."""

    written = Signal(object)  # InvitationView

    def __init__(self, ops: Ops, call_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.setWindowTitle(_("Invitations to {call_id}").format(call_id=call_id))
        fit_to_screen(self, 760, 480)
        self.destination = QLineEdit()
        self.destination.setAccessibleName(_("Exchange folder or address"))
        self.destination.setPlaceholderText(_("A shared folder, or https://name@server/path"))
        self.browse = QPushButton(_("&Choose a folder…"))
        self.browse.clicked.connect(self._browse)
        self.member = QComboBox()
        self.member.setAccessibleName(_("Invitation for"))
        self.member.addItem(_("Anyone on the roster"), None)
        self.outcome = text_label(name=_("Outcome"))
        self.error = error_label()
        destination_label = QLabel(_("&Exchange:"))
        destination_label.setBuddy(self.destination)
        member_label = QLabel(_("&For:"))
        member_label.setBuddy(self.member)
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(destination_label, row)
        form.addRow(member_label, self.member)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.save_button = QPushButton(_("&Save the invitation…"))
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(_("Reading the roster…"))
        self.save_button.clicked.connect(self._choose_path)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        heading = heading_label(_("Invitations"))
        heading.setText(_("Invite the commission to {call_id}").format(call_id=call_id))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(
            note_label(
                _(
                    "An invitation carries the office's tessera, the call and where it is "
                    "exchanged, signed by the office. The member opens it in Vaglio and joins "
                    "the call in one step, after comparing the office's fingerprint aloud with "
                    "you. Enrol the member and publish the call so that the call package is "
                    "waiting for them."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.ops.run(self, lambda ws: invitation_facts(ws, call_id), self._facts, self._refused)

    def _facts(self, facts: tuple[list[MemberView], str]) -> None:
        members, destination = facts
        for member in members:
            self.member.addItem(f"{member.name} — {member.fingerprint}", member.key_id)
        self.destination.setText(destination)
        self.save_button.setEnabled(True)
        self.save_button.setToolTip("")

    def _browse(self) -> None:
        start = self.destination.text()
        folder = QFileDialog.getExistingDirectory(self, _("Exchange folder"), start)
        if folder:
            self.destination.setText(folder)

    def _choose_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the invitation"),
            f"invito-{self.call_id}.vaglio-invito",
            _("Invitations (*.vaglio-invito)"),
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the invitation for the chosen member to ``path`` (on the worker)."""
        call_id, destination = self.call_id, self.destination.text().strip()
        member = self.member.currentData()
        self.error.setVisible(False)
        self.ops.run(
            self,
            lambda ws: write_invitation(ws, call_id, destination, member, path),
            lambda view: self._written(view, path),
            self._refused,
        )

    def _written(self, view: InvitationView, path: Path) -> None:
        who = self.member.currentText() if view.member_key_id else _("anyone on the roster")
        self.outcome.setText(
            _(
                "Invitation for {who} written to {path}. Send it to the member; when they call "
                "you, read together the office's fingerprint: {fingerprint}"
            ).format(who=who, path=path, fingerprint=view.office_fingerprint)
        )
        self.written.emit(view)

    def _refused(self, error: BaseException) -> None:
        from app.ui.common.widgets import explain

        explain(self.error, error)
