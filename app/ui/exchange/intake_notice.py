"""What a sync or a manual import brought that someone must read at once:
each conflict of interest declared, changed or withdrawn (a withdrawal
flagged), and each file refused with its reason. Shown in a window of its
own, not in a tooltip, with a way to the completeness view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.errors import echo
from app.i18n import _, n_
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import heading_label, text_label
from app.ui.exchange.college_models import SHORT_COLOUR, WITHDRAWN_BACKGROUND

CONFLICT, WITHDRAWAL, REFUSED = "conflict", "withdrawal", "refused"


@dataclass(frozen=True)
class NoticeLine:
    kind: str  # CONFLICT, WITHDRAWAL or REFUSED
    text: str


def notice_lines(results: Iterable[Any], refused: Iterable[tuple[str, str]]) -> list[NoticeLine]:
    """The lines to show for the ``IntakeResult``s taken in and the files refused."""
    lines = [
        NoticeLine(WITHDRAWAL if event.withdrawn else CONFLICT, str(event.sentence()))
        for result in results
        if result.outcome == "accepted"
        for event in result.conflicts
    ]
    lines += [
        NoticeLine(
            REFUSED, _("Refused {path}: {reason}").format(path=echo(path, 80), reason=reason)
        )
        for path, reason in refused
    ]
    return lines


class IntakeNotice(QDialog):
    """The conflicts and refusals of one intake, one line each."""

    completeness_requested = Signal()

    def __init__(self, lines: list[NoticeLine], *, office: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.setWindowTitle(_("To read after the exchange"))
        self.setMinimumWidth(720)
        conflicts = sum(1 for line in lines if line.kind != REFUSED)
        withdrawals = sum(1 for line in lines if line.kind == WITHDRAWAL)
        refused = len(lines) - conflicts
        parts = []
        if conflicts:
            parts.append(
                n_(
                    "{count} conflict of interest declared, changed or withdrawn",
                    "{count} conflicts of interest declared, changed or withdrawn",
                    conflicts,
                ).format(count=conflicts)
            )
        if withdrawals:
            parts.append(
                n_(
                    "⚠ {count} of them withdrawn",
                    "⚠ {count} of them withdrawn",
                    withdrawals,
                ).format(count=withdrawals)
            )
        if refused:
            parts.append(
                n_("{count} file refused", "{count} files refused", refused).format(count=refused)
            )
        self.heading = heading_label(_("What the exchange brought"))
        self.heading.setText("; ".join(parts) + ".")
        self.list = QListWidget()
        self.list.setAccessibleName(_("Conflicts and refused files"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for line in lines:
            self.list.addItem(self._item(line))
        self.hint = text_label(
            _(
                "A conflict withdrawn in a later bundle stays in the history. The completeness "
                "view lists every conflict and the proposals left short of their college."
            )
            if office
            else ""
        )
        self.hint.setVisible(office and conflicts > 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.open_button = QPushButton(_("Open the &completeness view"))
        self.open_button.setAccessibleName(_("Open the completeness of the evaluation"))
        self.open_button.clicked.connect(self._open_completeness)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setVisible(office)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 780, min(560, 180 + 44 * len(lines)), remember=None)
        (self.open_button if office else self.list).setFocus()

    @staticmethod
    def _item(line: NoticeLine) -> QListWidgetItem:
        if line.kind == WITHDRAWAL:
            item = QListWidgetItem("⚠ " + line.text)
            item.setBackground(QBrush(QColor(WITHDRAWN_BACKGROUND)))
            font = QFont()
            font.setBold(True)
            item.setFont(font)
        elif line.kind == REFUSED:
            item = QListWidgetItem("✘ " + line.text)
            item.setForeground(QBrush(QColor(SHORT_COLOUR)))
        else:
            item = QListWidgetItem("• " + line.text)
        item.setToolTip(line.text)
        return item

    def texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _open_completeness(self) -> None:
        self.completeness_requested.emit()
        self.accept()
