"""Joining a call with the secretariat's invitation (member).

The dialog reads the invitation on the worker and shows who signed it, with
the office's fingerprint in groups, large, and says to compare it aloud with
the secretariat before confirming: anyone can write an invitation with any
name, and the fingerprint is what binds it to the office. One confirmation
then pins the office's tessera, records the exchange and synchronises the
call. A refused invitation is explained here and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import WARNING_STYLE, error_label, heading_label, text_label
from app.ui.welcome.recovery_pages import big_mono

if TYPE_CHECKING:
    from app.services.invitations import InvitationView, Joined
    from app.services.unlocking import OpenWorkspace


def read_invitation(path: Path) -> InvitationView:
    from app.services.invitations import read_invitation_file

    return read_invitation_file(path)


def join(ws: OpenWorkspace, raw: bytes, destination: str | None) -> Joined:
    from app.services.invitations import join_call

    return join_call(ws, raw, destination)


class JoinDialog(QDialog):
    """Read an invitation, compare the fingerprint, join in one step."""

    joined = Signal(object)  # Joined

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view: InvitationView | None = None
        self.result_of_join: Joined | None = None
        self.setWindowTitle(_("Join a call with an invitation"))
        fit_to_screen(self, 760, 600)
        self.heading = heading_label(_("Invitation"))
        self.heading.setText(_("Invitation from the secretariat"))
        self.office = text_label(name=_("Office"))
        self.fingerprint = big_mono(_("Fingerprint of the office"), 1.5)
        self.warning = text_label(
            _(
                "Before confirming, call the secretariat (for example by phone) and read this "
                "fingerprint aloud together, group by group: it must be identical. If a single "
                "character differs, do not confirm: the invitation is not theirs."
            ),
            _("Warning"),
        )
        self.warning.setStyleSheet(WARNING_STYLE)
        self.call = text_label(name=_("Call"))
        self.destination = QLineEdit()
        self.destination.setAccessibleName(_("Exchange folder or address"))
        self.browse = QPushButton(_("&Choose…"))
        self.browse.clicked.connect(self._browse)
        self.destination_note = text_label(
            _(
                "If the shared folder is reached under another path on this computer, "
                "choose it here."
            )
        )
        self.compared = QCheckBox(
            _("I &compared the fingerprint aloud with the secretariat: it is identical")
        )
        self.compared.toggled.connect(self._update)
        self.outcome = text_label(name=_("Outcome"))
        self.error = error_label()

        self.details = QWidget()
        who = QFormLayout()
        who.addRow(_("Sent by:"), self.office)
        who.addRow(_("Fingerprint:"), self.fingerprint)
        where = QFormLayout()
        where.addRow(_("Call:"), self.call)
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(self.browse)
        label = QLabel(_("&Exchange:"))
        label.setBuddy(self.destination)
        where.addRow(label, row)
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addLayout(who)
        details.addWidget(self.warning)
        details.addSpacing(8)
        details.addLayout(where)
        details.addWidget(self.destination_note)
        details.addSpacing(8)
        details.addWidget(self.compared)
        self.details.setVisible(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.heading)
        inner_layout.addWidget(self.details)
        inner_layout.addWidget(self.outcome)
        inner_layout.addWidget(self.error)
        inner_layout.addStretch(1)
        scroll.setWidget(inner)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.join_button = QPushButton(_("&Join the call"))
        self.join_button.setEnabled(False)
        self.join_button.setToolTip(
            _("First compare the fingerprint aloud with the secretariat and tick the box.")
        )
        self.buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.rejected.connect(self.reject)
        self.join_button.clicked.connect(self.join)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

    # -- reading ---------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Read and verify the invitation in ``path`` (on the worker)."""
        self.view = None
        self.details.setVisible(False)
        self.error.setVisible(False)
        self.outcome.clear()
        self._update()
        self.ops.run_free(self, lambda: read_invitation(path), self._show, self._refused)

    def _show(self, view: InvitationView) -> None:
        self.view = view
        office = view.office_name + (f" <{view.office_email}>" if view.office_email else "")
        self.office.setText(office)
        self.fingerprint.setText(view.office_fingerprint)
        self.call.setText(f"{view.call_id} — {view.call_title}")
        self.destination.setText(view.exchange)
        folder = view.exchange_kind == "folder"
        self.browse.setVisible(folder)
        self.destination_note.setVisible(folder)
        self.destination.setReadOnly(not folder)
        self.compared.setChecked(False)
        self.details.setVisible(True)
        self._update()

    def _browse(self) -> None:
        start = self.destination.text()
        folder = QFileDialog.getExistingDirectory(self, _("Exchange folder"), start)
        if folder:
            self.destination.setText(folder)

    def _update(self) -> None:
        ready = self.view is not None and self.compared.isChecked() and self.result_of_join is None
        self.join_button.setEnabled(ready)
        self.join_button.setToolTip(
            ""
            if ready
            else _("First compare the fingerprint aloud with the secretariat and tick the box.")
        )

    # -- joining ---------------------------------------------------------------

    def join(self) -> None:
        view = self.view
        if view is None or not self.compared.isChecked():
            return
        destination = self.destination.text().strip()
        chosen = destination if destination != view.exchange else None
        self.join_button.setEnabled(False)
        self.error.setVisible(False)
        self.outcome.setText(_("Joining and synchronising…"))
        self.ops.run(self, lambda ws: join(ws, view.raw, chosen), self._joined, self._refused)

    def _joined(self, joined: Joined) -> None:
        self.result_of_join = joined
        lines = [
            _(
                "Done: {office} is your city office for {call_id}, exchanged through {where}."
            ).format(office=joined.office_name, call_id=joined.call_id, where=joined.destination)
        ]
        if joined.failures:
            lines.append(
                _(
                    "The first synchronisation did not succeed: {reason} Try again later with "
                    "Exchange → Synchronise."
                ).format(reason=" ".join(joined.failures))
            )
        else:
            lines += list(joined.report_lines)
        self.outcome.setText("\n".join(lines))
        self.compared.setEnabled(False)
        self.destination.setEnabled(False)
        self.browse.setEnabled(False)
        self._update()
        self.joined.emit(joined)

    def _refused(self, error: BaseException) -> None:
        from app.ui.common.widgets import explain

        self.outcome.clear()
        explain(self.error, error)
        self.error.setText(self.error.text() + "\n" + _("Nothing was changed in your workspace."))
        self._update()


def choose_and_join(ops: Ops, parent: Any, path: Path | None = None) -> JoinDialog | None:
    """Ask for an invitation file (unless ``path`` is given) and open the dialog on it."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent,
            _("The secretariat's invitation"),
            "",
            _("Invitations (*.vaglio-invito);;All files (*)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
    dialog = JoinDialog(ops, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.load(path)
    dialog.open()
    return dialog


def install(window: Any) -> QAction:
    """Add File → Join a call with an invitation… to a member's window."""
    action = QAction(_("&Join a call with an invitation…"), window)
    action.setShortcut(QKeySequence("Ctrl+Shift+J"))
    action.setStatusTip(
        _("Open the invitation the secretariat sent you: the call arrives in one step")
    )

    def run() -> None:
        window.join_dialog = choose_and_join(window.ops, window)

    action.triggered.connect(run)
    window.file_menu.insertAction(window.settings_action, action)
    window.join_action = action
    return action
