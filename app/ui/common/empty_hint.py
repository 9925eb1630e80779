"""What an empty list or table says to do next (issue 15, finding 10).

:class:`EmptyHint` lays a centred, wrapped sentence over the viewport of a
``QAbstractItemView`` while its model has no rows, and hides it as soon as a
row appears. The sentence can change with the situation (no call, no
proposal, nothing matching the search): :meth:`EmptyHint.set_text`.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

MARGIN = 24


class EmptyHint(QObject):
    """The sentence shown over ``view`` while its model is empty."""

    def __init__(self, view: QAbstractItemView, text: str = "") -> None:
        super().__init__(view)
        self.view = view
        self.label = QLabel(text, view.viewport())
        self.label.setObjectName("empty-hint")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.setStyleSheet("color: palette(dark); font-size: 11pt;")
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._model: Any = None
        view.viewport().installEventFilter(self)
        self.watch_model()

    def watch_model(self) -> None:
        """Follow the view's (new) model."""
        model = self.view.model()
        if model is self._model:
            self.update()
            return
        self._model = model
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                           model.layoutChanged):  # fmt: skip
                signal.connect(self.update)
        self.update()

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.update()

    def text(self) -> str:
        return self.label.text()

    def showing(self) -> bool:
        """Whether the hint is up (the model empty and a sentence to say)."""
        return not self.label.isHidden()

    def _alive(self) -> bool:
        # A QTableWidget's own model still signals while the table is destroyed.
        return shiboken6.isValid(self.view) and shiboken6.isValid(self.label)

    def update(self, *_args: Any) -> None:
        if not self._alive():
            return
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        self.label.setVisible(empty and bool(self.label.text()))
        self._place()

    def _place(self) -> None:
        if not self._alive():
            return
        area = self.view.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        self.label.setGeometry(area.x(), area.y(), max(area.width(), 40), min(area.height(), 160))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)
