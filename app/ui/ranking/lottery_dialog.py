"""Recording the publicly drawn number that settles the ties left to the lottery.

Three steps in one dialog: the tied groups, the rule and the number; a
confirmation (the number can never be changed); the seed and the order that
follow from it, to read out and copy into the minutes. Nothing is written
before the confirmation, and the service checks the number again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.ranking_errors import BadLotteryNumberError
from app.services.ranking_views import LOTTERY_NUMBER, RankingView
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import keep_geometry
from app.ui.common.widgets import error_label, explain, text_label

if TYPE_CHECKING:
    from app.services.ranking import RankingDecided
    from app.services.unlocking import OpenWorkspace

# The service's own rule, checked here first so that a typing mistake is
# caught before the confirmation.
PAGE_NUMBER, PAGE_CONFIRM, PAGE_RESULT = range(3)


def rule_text() -> str:
    """The rule in words to read aloud: no digest, no algorithm (those are in the minutes)."""
    return _(
        "When proposals are still tied after every tie-break of the call, their order is "
        "settled by a lottery anyone can check. From the number drawn in public, the call's "
        "code and the codes of the tied proposals, the application computes a verification "
        "code and, from it, the order. The number, the verification code and the order go "
        "into the minutes, with the steps of the calculation: anyone can repeat them, with "
        "free tools, and find the same order."
    )


class LotteryDialog(QDialog):
    """Takes the drawn number, asks for confirmation, shows the seed and the order."""

    recorded = Signal(object)  # RankingView

    def __init__(self, ops: Ops, view: RankingView, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view = view
        self.outcome_view: RankingView | None = None
        self.setWindowTitle(_("Lottery for the ties — {call_id}").format(call_id=view.call_id))
        keep_geometry(self)
        self.setMinimumWidth(680)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._number_page())
        self.pages.addWidget(self._confirm_page())
        self.pages.addWidget(self._result_page())
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.error)
        self.number.setFocus()

    # -- pages -----------------------------------------------------------------

    def _number_page(self) -> QWidget:
        page = QWidget()
        groups = [", ".join(group) for group in self.view.pending_lottery]
        self.groups = text_label(
            _("Still tied after every criterion of the call:")
            + "\n"
            + "\n".join(f"• {group}" for group in groups)
        )
        self.groups.setAccessibleName(_("Tied proposals"))
        self.groups.setStyleSheet("font-weight: bold;")
        self.rule = text_label(rule_text())
        self.rule.setAccessibleName(_("How the lottery works"))
        self.number = QLineEdit()
        self.number.setAccessibleName(_("Publicly drawn number"))
        self.number.setPlaceholderText(_("for example 37 or 12-45-78"))
        # Enter reaches the dialog's default button, Next: one key press goes
        # one step, never past the confirmation (a returnPressed handler too
        # would move on and let the same press record the number).
        number_label = QLabel(_("Publicly drawn &number:"))
        number_label.setBuddy(self.number)
        self.next_button = QPushButton(_("&Next…"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.check_number)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(number_label)
        row.addWidget(self.number, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.groups)
        layout.addWidget(self.rule)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        self.confirmation = text_label()
        self.confirmation.setAccessibleName(_("Confirmation"))
        self.confirmation.setStyleSheet("font-weight: bold;")
        self.record_button = QPushButton(_("&Record the number"))
        # Recording is irreversible: only a deliberate click or Alt+R does it,
        # never Enter.
        self.record_button.setAutoDefault(False)
        self.record_button.clicked.connect(self.record)
        self.back_button = QPushButton(_("&Back"))
        self.back_button.clicked.connect(self._back)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.confirmation)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.outcome = text_label()
        self.outcome.setAccessibleName(_("Seed and order"))
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.close_button = QPushButton(_("&Close"))
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    # -- steps -----------------------------------------------------------------

    def check_number(self) -> None:
        """Step two, if the number is written as the rule wants."""
        number = self.number.text().strip()
        if not LOTTERY_NUMBER.match(number):
            explain(self.error, BadLotteryNumberError(number))
            self.number.setFocus()
            return
        self.error.setVisible(False)
        self.confirmation.setText(
            _(
                "Record {number} as the publicly drawn number for {call_id}? It settles the "
                "order of {tied} and can never be changed afterwards; from then on no more "
                "score bundles are accepted."
            ).format(
                number=number,
                call_id=self.view.call_id,
                tied="; ".join(", ".join(group) for group in self.view.pending_lottery),
            )
        )
        self.pages.setCurrentIndex(PAGE_CONFIRM)
        self.record_button.setEnabled(True)
        self.next_button.setDefault(False)
        self.back_button.setDefault(True)
        self.back_button.setFocus()

    def _back(self) -> None:
        self.pages.setCurrentIndex(PAGE_NUMBER)
        self.back_button.setDefault(False)
        self.next_button.setDefault(True)
        self.number.setFocus()

    def record(self) -> None:
        """Record on the worker; the service computes seed and order."""
        call_id, number = self.view.call_id, self.number.text().strip()
        self.record_button.setEnabled(False)
        self.back_button.setEnabled(False)

        def record(ws: OpenWorkspace) -> RankingDecided:
            from app.services.ranking import record_lottery_number

            return record_lottery_number(ws, call_id, number)

        self.ops.run(self, record, self._recorded, self._refused)

    def _recorded(self, decided: RankingDecided) -> None:
        view = decided.view
        self.outcome_view = view
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        parts = [
            "<p>"
            + _html(_("Number {number} recorded.").format(number=view.lottery_number))
            + "</p>"
        ]
        for lottery in view.lotteries:
            order = "".join(f"<li>{_html(code)}</li>" for code in lottery.order)
            parts.append(
                "<p>"
                + _html(_("Tied: {tied}").format(tied=", ".join(lottery.tied)))
                + "<br>"
                + _html(_("Verification code:"))
                + f" <span style='font-family: \"{mono}\"'>{lottery.seed}</span></p>"
                + "<p>"
                + _html(_("Order drawn:"))
                + f"</p><ol>{order}</ol>"
            )
        self.outcome.setText("".join(parts))
        self.pages.setCurrentIndex(PAGE_RESULT)
        self.close_button.setFocus()
        self.recorded.emit(view)

    def _refused(self, error: BaseException) -> None:
        self.back_button.setEnabled(True)
        self._back()
        explain(self.error, error)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
