"""Approving the ranking: what approval does, what is missing, then the act.

Approval freezes the ranking (its document is stored with its SHA-256 and
read back ever after), closes the call to score bundles, and is audited. The
service refuses it while a tie waits for the lottery, once it is done, or
without any bundle; the refusal is shown here and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from app.i18n import _, n_
from app.services.ranking_views import RankingView
from app.ui.common.ops import Ops
from app.ui.common.widgets import ERROR_STYLE, WARNING_STYLE, error_label, explain, text_label

if TYPE_CHECKING:
    from app.services.ranking import RankingDecided
    from app.services.unlocking import OpenWorkspace


def consequences_text() -> str:
    return _(
        "Approving freezes the ranking: its complete document is stored with its SHA-256 "
        "fingerprint, and from then on the screens, the exports and the minutes read it back "
        "instead of computing it again. The call closes: no more score bundles are accepted "
        "from the members. The approval is recorded in the audit log and cannot be undone."
    )


class ApprovalDialog(QDialog):
    """The confirmation before the ranking is frozen."""

    approved = Signal(object)  # RankingView, as approved

    def __init__(self, ops: Ops, view: RankingView, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view = view
        self.setWindowTitle(_("Approve the ranking — {call_id}").format(call_id=view.call_id))
        self.setMinimumWidth(640)

        heading = text_label(
            _("Approve the ranking of {call_id}?").format(call_id=view.call_id)
            + "\n"
            + view.call_title
        )
        heading.setStyleSheet("font-weight: bold;")
        self.summary = text_label(
            n_(
                "{ranked} proposal ranked",
                "{ranked} proposals ranked",
                len(view.rows),
            ).format(ranked=len(view.rows))
            + ", "
            + n_("{excluded} not ranked", "{excluded} not ranked", len(view.excluded)).format(
                excluded=len(view.excluded)
            )
            + "; "
            + n_(
                "{count} score bundle received.",
                "{count} score bundles received.",
                len(view.bundles),
            ).format(count=len(view.bundles))
        )
        self.summary.setAccessibleName(_("Summary of the ranking"))
        self.consequences = text_label(consequences_text())
        self.consequences.setAccessibleName(_("What approval does"))
        self.missing = text_label("")
        self.missing.setAccessibleName(_("Members without a bundle"))
        self.missing.setStyleSheet(WARNING_STYLE)
        missing = view.members_without_bundle
        if missing:
            self.missing.setText(
                n_(
                    "No bundle has arrived from {names}: that member's scores will not be in "
                    "the ranking.",
                    "No bundle has arrived from {names}: those members' scores will not be in "
                    "the ranking.",
                    len(missing),
                ).format(names=", ".join(missing))
            )
        self.missing.setVisible(bool(view.members_without_bundle))
        self.pending = text_label("")
        self.pending.setStyleSheet(ERROR_STYLE)
        self.pending.setAccessibleName(_("Ties waiting for the lottery"))
        if view.pending_lottery:
            self.pending.setText(
                _("Still tied, waiting for the lottery: {tied}.").format(
                    tied="; ".join(", ".join(group) for group in view.pending_lottery)
                )
            )
        self.pending.setVisible(bool(view.pending_lottery))
        self.error = error_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Approve and freeze"))
        self.ok.setAccessibleName(_("Approve and freeze the ranking"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.approve)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.consequences)
        layout.addWidget(self.missing)
        layout.addWidget(self.pending)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()

    def approve(self) -> None:
        call_id = self.view.call_id
        self.ok.setEnabled(False)
        self.error.setVisible(False)

        def approve(ws: OpenWorkspace) -> RankingDecided:
            from app.services.ranking import approve_ranking

            return approve_ranking(ws, call_id)

        self.ops.run(self, approve, self._approved, self._refused)

    def _approved(self, decided: RankingDecided) -> None:
        self.approved.emit(decided.view)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        explain(self.error, error)
