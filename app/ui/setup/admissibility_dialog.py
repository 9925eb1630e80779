"""Changing a proposal's admissibility by hand, with a reason (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from app.i18n import _
from app.services.views import ProposalDetail
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import keep_geometry
from app.ui.common.widgets import error_label, explain, note_label

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.unlocking import OpenWorkspace


class AdmissibilityDialog(QDialog):
    """Admissible or not, and why; the reason is mandatory and goes in the audit log."""

    changed = Signal(str, bool)  # proposal id, admissible now

    def __init__(
        self,
        ops: Ops,
        call_id: str,
        detail: ProposalDetail,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        row = detail.row
        self.proposal_id = row.id
        self.setWindowTitle(_("Admissibility of {proposal}").format(proposal=row.id))
        keep_geometry(self)
        self.setMinimumWidth(560)

        heading = QLabel(f"<b>{row.id} — {_escape(row.title)}</b>")
        heading.setWordWrap(True)
        applicant = QLabel(_("Applicant: {name}").format(name=row.applicant))
        applicant.setWordWrap(True)
        if row.admissible:
            now = _("Now: admissible.")
        else:
            now = _("Now: not admissible ({reasons}).").format(
                reasons="; ".join(row.inadmissible_reasons)
            )
        self.current = QLabel(now)
        self.current.setWordWrap(True)
        self.current.setAccessibleName(_("Current admissibility"))

        self.admissible = QRadioButton(_("&Admissible"))
        self.not_admissible = QRadioButton(_("&Not admissible"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.admissible)
        self.choice.addButton(self.not_admissible)
        (self.not_admissible if row.admissible else self.admissible).setChecked(True)

        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(_("Reason"))
        self.reason.setPlaceholderText(
            _("Why, as it will read in the minutes and the audit log (required).")
        )
        self.reason.setMaximumHeight(110)
        reason_label = QLabel(_("&Reason (required):"))
        reason_label.setBuddy(self.reason)
        note = note_label(
            _(
                "Reasons that follow from the call's rules (total cost, requested contribution) "
                "stay whatever you choose here: they change only with the call's matchfunding "
                "rule."
            )
        )
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Record"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self._update()

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(applicant)
        layout.addWidget(self.current)
        layout.addSpacing(6)
        layout.addWidget(self.admissible)
        layout.addWidget(self.not_admissible)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def record(self) -> None:
        """Store the decision on the worker; the dialog closes when it is recorded."""
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error.setText(_("Write the reason: it is required."))
            self.error.setVisible(True)
            return
        admissible = self.admissible.isChecked()
        call_id, proposal_id = self.call_id, self.proposal_id
        self.ok.setEnabled(False)

        def record(ws: OpenWorkspace) -> Changes:
            from app.services.call_setup import set_admissibility

            return set_admissibility(ws, call_id, proposal_id, admissible=admissible, reason=reason)

        self.ops.run(
            self,
            record,
            lambda _result: self._recorded(admissible),
            self._refused,
        )

    def _recorded(self, admissible: bool) -> None:
        self.changed.emit(self.proposal_id, admissible)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._update()
        explain(self.error, error)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
