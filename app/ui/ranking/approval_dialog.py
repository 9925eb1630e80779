"""Approving the ranking: what approval does, what is missing, then the act.

Approval freezes the ranking (its document is stored with its SHA-256 and
read back ever after), closes the call to score bundles, and is audited. The
service refuses it while a tie waits for the lottery, once it is done, or
without any bundle; the refusal is shown here and nothing is written.

The college is shown as the approval will freeze it: under a complete college
(collegio perfetto) every proposal short of seats and every member who sent
nothing, and a reason (absence, resignation…) that must be written before the
button is enabled; under the quorum, the proposals left without it and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.i18n import _, n_
from app.labels import college_label
from app.services.ranking_views import RankingView
from app.ui.common.long_step import LongStepDialog
from app.ui.common.ops import Ops
from app.ui.common.widgets import ERROR_STYLE, WARNING_STYLE, error_label, explain, text_label
from app.ui.ranking.undiscussed import UndiscussedQuestion, undiscussed

if TYPE_CHECKING:
    from app.services.ranking import RankingDecided
    from app.services.steps import Cancel, Progress
    from app.services.unlocking import OpenWorkspace


def consequences_text() -> str:
    return _(
        "Approving freezes the ranking: its complete document is stored with its SHA-256 "
        "fingerprint, and from then on the screens, the exports and the minutes read it back "
        "instead of computing it again. The call closes: no more score bundles are accepted "
        "from the members. The approval is recorded in the audit log and cannot be undone."
    )


WIDTH = 680
MAX_HEIGHT = 680  # a 1366×768 laptop, less the window frame and the task bar


def incomplete_text() -> str:
    return _(
        "The college is not complete. Assign substitutes (Exchange → Completeness of the "
        "evaluation), or approve with the reason why these seats stay empty:"
    )


class ApprovalDialog(QDialog):
    """The confirmation before the ranking is frozen."""

    approved = Signal(object)  # RankingView, as approved

    def __init__(self, ops: Ops, view: RankingView, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view = view
        self.setWindowTitle(_("Approve the ranking — {call_id}").format(call_id=view.call_id))
        self.setMinimumWidth(WIDTH)

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
        self._college_section(view)
        self.flags = UndiscussedQuestion()
        self.step: LongStepDialog | None = None  # the approval running, if any
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
        layout.addWidget(self.college_text)
        layout.addWidget(self.shortfalls_heading)
        layout.addWidget(self.shortfalls)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.flags.label)
        layout.addWidget(self.flags.confirm)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._require_reason(self.reason_required)
        self._fit()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()

    def _fit(self) -> None:
        # A window takes its height from its labels unwrapped: ask the layout
        # how tall the wrapped text is at this width (never shrinking), within
        # a 768-pixel screen.
        width = max(self.width(), WIDTH)
        layout = self.layout()
        needed = layout.totalHeightForWidth(width) if layout is not None else self.height()
        self.resize(width, min(max(needed, self.height() if self.isVisible() else 0), MAX_HEIGHT))

    def _college_section(self, view: RankingView) -> None:
        """What the approval will freeze about the college, and the reason field."""
        record = view.college
        self.college_text = text_label(name=_("The college of the call"))
        self.shortfalls_heading = text_label(name=_("What the college lacks"))
        self.shortfalls_heading.setStyleSheet(WARNING_STYLE)
        self.shortfalls = QListWidget()
        self.shortfalls.setAccessibleName(_("Proposals and members short of the college"))
        self.shortfalls.setWordWrap(True)
        self.shortfalls.setSpacing(2)
        self.shortfalls.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.shortfalls.setMinimumHeight(60)
        self.shortfalls.setMaximumHeight(160)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(_("Reason for approving without the whole college"))
        self.reason.setPlaceholderText(
            _(
                "For example: a member absent through illness (certificate on file); "
                "no substitute available."
            )
        )
        self.reason.setMaximumHeight(80)
        self.reason.setTabChangesFocus(True)
        self.reason.textChanged.connect(self._reason_changed)
        self.reason_label = QLabel(
            _(
                "&Reason (absence, resignation…), required: it is frozen with the approval "
                "and printed in the minutes"
            )
        )
        self.reason_label.setWordWrap(True)
        self.reason_label.setBuddy(self.reason)
        self.reason_required = False
        lines: list[str] = []
        if record is not None:
            self.college_text.setText(
                _("College — {college}. Evaluators needed for each proposal: {required}.").format(
                    college=college_label(record.college), required=record.required
                )
            )
            if record.college == "complete":
                from app.services.ranking import college_problems

                lines = college_problems(record)
                # An approved ranking is refused anyway: no reason to ask for.
                self.reason_required = bool(lines) and not view.approved
                heading = incomplete_text()
                # The list names the members who sent nothing: no second warning.
                self.missing.setVisible(bool(view.members_without_bundle) and not lines)
            else:
                lines = [f"{p.proposal}: {p.why()}" for p in record.shortfalls]
                heading = n_(
                    "{count} proposal is left without the quorum and will not be ranked:",
                    "{count} proposals are left without the quorum and will not be ranked:",
                    len(lines),
                ).format(count=len(lines))
            self.shortfalls_heading.setText(heading)
        self._show_problems(lines)
        self.college_text.setVisible(record is not None)

    def _show_problems(self, lines: list[str]) -> None:
        self.shortfalls.clear()
        self.shortfalls.addItems(["• " + line for line in lines])
        for row in range(self.shortfalls.count()):
            item = self.shortfalls.item(row)
            item.setToolTip(item.text())
        self.shortfalls_heading.setVisible(bool(lines))
        self.shortfalls.setVisible(bool(lines))

    def _require_reason(self, required: bool) -> None:
        self.reason_required = required
        self.reason_label.setVisible(required)
        self.reason.setVisible(required)
        self._reason_changed()

    def _reason_changed(self) -> None:
        self.ok.setEnabled(not self.reason_required or bool(self.reason_text()))
        if self.reason_required:
            self.error.setVisible(False)  # a refusal of the reason is being acted on

    def reason_text(self) -> str | None:
        """The reason typed, or None when there is none (or none is needed)."""
        if not self.reason_required:
            return None
        return " ".join(self.reason.toPlainText().split()) or None

    def approve(self) -> None:
        call_id, reason = self.view.call_id, self.reason_text()
        if self.reason_required and reason is None:
            return
        self.ok.setEnabled(False)
        self.error.setVisible(False)
        if self.view.approved:  # refused by the service anyway: nothing to ask
            self._flags_known([])
            return
        # First the flags left undiscussed: named, and approved only once confirmed.
        self.ops.run(self, lambda ws: undiscussed(ws, call_id), self._flags_known, self._refused)

    def _flags_known(self, flags: list[Any]) -> None:
        if self.flags.needs_answer(flags):
            self._reason_changed()
            self._fit()
            return
        call_id, reason = self.view.call_id, self.reason_text()

        def approve(ws: OpenWorkspace, progress: Progress, cancel: Cancel) -> RankingDecided:
            from app.services.ranking import approve_ranking

            return approve_ranking(ws, call_id, reason, progress=progress, cancel=cancel)

        # Seconds at a regional call: its progress, and a Stop that rolls it back.
        self.step = LongStepDialog(
            self,
            _("Approve the ranking — {call_id}").format(call_id=call_id),
            _("Approving the ranking…"),
        )
        self.step.start(self.ops, approve, self._approved, self._refused)

    def _approved(self, decided: RankingDecided) -> None:
        self.approved.emit(decided.view)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        from app.services.ranking_errors import CollegeIncompleteError

        if isinstance(error, CollegeIncompleteError) and not self.reason_required:
            # A bundle arrived meanwhile and left a seat empty: ask for the reason now.
            self.shortfalls_heading.setText(incomplete_text())
            self._show_problems(list(error.problems))
            self._require_reason(True)
        else:
            self._reason_changed()
        explain(self.error, error)
        self._fit()
