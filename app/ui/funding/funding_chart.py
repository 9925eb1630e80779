"""A bar chart of the call's four amounts, drawn with QPainter.

QtCharts is not in the wheels Vaglio ships (pyside6-essentials), and four
bars do not need it. Each bar carries its label and its amount in words, and
the same text is the widget's accessible description (the chart's text
alternative), so nothing is only in the picture.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.i18n import _, format_money

COLOURS = ("#4a6f99", "#2f7d4f", "#b7791f", "#6b4a9a")
MARGIN = 8
BAR_HEIGHT = 22
GAP = 10


class FundingChart(QWidget):
    """Horizontal bars, one per amount, scaled to the largest."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._amounts: list[tuple[str, Decimal]] = []
        self.setAccessibleName(_("Chart of the four amounts"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so its text can be read

    def set_amounts(self, amounts: list[tuple[str, Decimal]]) -> None:
        self._amounts = list(amounts)
        text = self.text_alternative()
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.updateGeometry()
        self.update()

    def amounts(self) -> list[tuple[str, Decimal]]:
        return list(self._amounts)

    def text_alternative(self) -> str:
        return "; ".join(f"{label}: {format_money(amount)}" for label, amount in self._amounts)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 2 + BAR_HEIGHT + GAP

    def sizeHint(self) -> QSize:
        return QSize(320, 2 * MARGIN + max(1, len(self._amounts)) * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        texts = [format_money(amount) for _label, amount in self._amounts]
        reserve = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 10
        full = max(10.0, self.width() - 2 * MARGIN - reserve)
        largest = max((amount for _label, amount in self._amounts), default=Decimal(0))
        text_colour = self.palette().color(self.foregroundRole())
        y = MARGIN
        for index, ((label, amount), text) in enumerate(zip(self._amounts, texts, strict=True)):
            painter.setPen(text_colour)
            painter.drawText(MARGIN, y + metrics.ascent(), label)
            top = y + metrics.height() + 2
            share = float(amount / largest) if largest > 0 else 0.0
            width = max(2.0, full * share)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(COLOURS[index % len(COLOURS)]))
            painter.drawRect(QRectF(MARGIN, top, width, BAR_HEIGHT))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(MARGIN + width + 6, top, reserve, BAR_HEIGHT),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            y += self._row_height()
        painter.end()
