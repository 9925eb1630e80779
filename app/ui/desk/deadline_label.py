"""The call's evaluation deadline on the member's desk: a label in the status
bar, «Scadenza della valutazione: 20/12/2026 (mancano 15 giorni)», read
again with the desk; red once the day has passed. Hidden when the call sets
no deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel

from app.i18n import _
from app.services.evaluation_deadline import evaluation_deadline

if TYPE_CHECKING:
    from app.services.views import DeskView

PASSED = "color: #8a1c1c; font-weight: bold;"
CLOSE = "color: #8a5a00;"
CLOSE_DAYS = 3  # from this many days left the label turns amber


class DeadlineLabel(QLabel):
    """Shows the deadline of the call whose desk was last loaded."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Evaluation deadline"))
        self.setVisible(False)

    def show_desk(self, desk: DeskView) -> None:
        deadline = evaluation_deadline(desk.deadline, desk.today)
        if deadline is None:
            self.clear()
            self.setVisible(False)
            return
        self.setText(deadline.sentence())
        if deadline.passed:
            self.setStyleSheet(PASSED)
            self.setToolTip(
                _(
                    "The deadline has passed: you can still submit, and the secretariat "
                    "sees that your bundle arrived late."
                )
            )
        else:
            self.setStyleSheet(CLOSE if deadline.days_left <= CLOSE_DAYS else "")
            self.setToolTip(_("Send your scores to the secretariat by this day."))
        self.setVisible(True)


def install(window: Any) -> DeadlineLabel:
    """Add the deadline to the status bar of the member's ``window``."""
    label = DeadlineLabel(window)
    window.statusBar().addPermanentWidget(label)
    window.desk.desk_loaded.connect(label.show_desk)
    window.deadline_label = label
    return label
