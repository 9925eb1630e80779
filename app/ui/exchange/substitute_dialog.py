"""Assigning a substitute (*supplente*) to a proposal a conflict left short.

The secretariat picks one of the roster's substitutes and, when several full
members are in conflict on the proposal with nobody in their place, whose
seat they take. The use case records it and publishes the call package
again (so the substitute receives the proposal); the dialog then says who
sits where and which package went out. A refusal is shown as every refusal
is, and the dialog stays open with nothing written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _
from app.ui.common.failure import report, show_refusal
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import keep_geometry
from app.ui.common.widgets import ERROR_STYLE, WARNING_STYLE, heading_label, note_label, text_label

if TYPE_CHECKING:
    from app.services.substitutes import SubstituteAssigned, SubstituteChoices
    from app.services.unlocking import OpenWorkspace


def load_choices(ws: OpenWorkspace, call_id: str, proposal: str) -> SubstituteChoices:
    from app.services.substitutes import substitute_choices

    return substitute_choices(ws, call_id, proposal)


def person(choice: Any) -> str:
    """``Marco Bianchi — 1a2b 3c4d …`` (the first groups of the fingerprint)."""
    groups = str(choice.fingerprint).split()
    return f"{choice.name} — {' '.join(groups[:3])} …"


class SubstituteDialog(QDialog):
    """Choose the substitute and the seat; assign and publish on the worker."""

    assigned = Signal(object)  # SubstituteAssigned

    def __init__(self, ops: Ops, choices: SubstituteChoices, why: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.choices = choices
        self.result_value: SubstituteAssigned | None = None
        self.refusal: Any = None
        self.setWindowTitle(_("Assign a substitute — {proposal}").format(proposal=choices.proposal))
        keep_geometry(self)
        self.setMinimumWidth(620)

        heading = heading_label(_("Proposal"))
        heading.setText(f"{choices.proposal} — {choices.title}")
        self.why = text_label(why, _("Why the proposal is short"))
        self.why.setStyleSheet(ERROR_STYLE)

        self.substitute = QComboBox()
        self.substitute.setAccessibleName(_("Substitute"))
        items = QStandardItemModel(self.substitute)
        self.substitute.setModel(items)
        for choice in choices.substitutes:
            text = person(choice)
            if choice.unavailable:
                text += f" ({choice.unavailable})"
            self.substitute.addItem(text, choice.key_id)
            if choice.unavailable:
                item = items.item(self.substitute.count() - 1)
                item.setEnabled(False)
                item.setToolTip(choice.unavailable)
        available = choices.available
        if available:
            self.substitute.setCurrentIndex(self.substitute.findData(available[0].key_id))
        substitute_label = QLabel(_("&Substitute:"))
        substitute_label.setBuddy(self.substitute)

        self.seat = QComboBox()
        self.seat.setAccessibleName(_("Seat of the member in conflict"))
        for member in choices.vacant:
            self.seat.addItem(person(member), member.key_id)
        seat_label = QLabel(_("In place &of:"))
        seat_label.setBuddy(self.seat)
        self.seat.setEnabled(len(choices.vacant) > 1)

        form = QFormLayout()
        form.addRow(substitute_label, self.substitute)
        form.addRow(seat_label, self.seat)

        self.note = note_label(
            _(
                "The call package is signed and sealed again for the whole roster, so that the "
                "substitute receives this proposal; it goes to the exchange folder at the next "
                "synchronisation."
            )
        )
        self.problem = text_label(name=_("Why no substitute can be assigned"))
        self.problem.setStyleSheet(WARNING_STYLE)
        if not choices.substitutes:
            self.problem.setText(
                _(
                    "No substitute is on the roster of {call_id}: enrol one from their card "
                    "(Commission role: Substitute) first."
                ).format(call_id=choices.call_id)
            )
        elif not available:
            self.problem.setText(_("None of the substitutes can take a seat on this proposal."))
        elif not choices.vacant:
            self.problem.setText(
                _("Nobody is in conflict on {proposal} without a substitute.").format(
                    proposal=choices.proposal
                )
            )
        self.problem.setVisible(bool(self.problem.text()))
        self.outcome = text_label(name=_("Substitute assigned"))
        self.outcome.setStyleSheet("font-weight: bold;")
        self.outcome.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Assign and publish"))
        self.ok.setAccessibleName(_("Assign the substitute and publish the call package"))
        self.ok.setEnabled(bool(available and choices.vacant))
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(_("Cancel"))
        self.buttons.accepted.connect(self.assign)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.why)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.substitute.setFocus()

    def assign(self) -> None:
        if self.result_value is not None:
            self.accept()
            return
        call_id, proposal = self.choices.call_id, self.choices.proposal
        substitute = str(self.substitute.currentData())
        replaces = str(self.seat.currentData()) if self.seat.count() > 1 else None
        self.ok.setEnabled(False)

        def assign(ws: OpenWorkspace) -> SubstituteAssigned:
            from app.services.substitutes import assign_substitute

            return assign_substitute(ws, call_id, proposal, substitute, replaces_key=replaces)

        self.ops.run(self, assign, self._assigned, self._refused)

    def _assigned(self, done: SubstituteAssigned) -> None:
        self.result_value = done
        self.outcome.setText(
            _("{substitute} evaluates {proposal} in place of {replaces}.").format(
                substitute=done.substitute, proposal=done.proposal, replaces=done.replaces
            )
            + "\n"
            + _(
                "Call package {sequence} of {call_id} signed and sealed for {count} members."
            ).format(
                sequence=done.published.sequence,
                call_id=done.published.call_id,
                count=done.published.recipients,
            )
        )
        self.outcome.setVisible(True)
        self.why.setVisible(False)
        for widget in (self.substitute, self.seat):
            widget.setEnabled(False)
        self.ok.setText(_("&Close"))
        self.ok.setAccessibleName(_("Close"))
        self.ok.setEnabled(True)
        self.cancel.setVisible(False)
        self.ok.setFocus()
        self.assigned.emit(done)

    def _refused(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(error, VaglioError):
            self.refusal = report(self, error)
            return
        self.refusal = show_refusal(self, error)
