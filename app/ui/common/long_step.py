"""A long use case run on the worker with its progress and a working Stop
(issue 16, item 4): the one dialog every long step of the GUI shows.

The use case receives ``progress(text)``, relayed to the GUI thread, and a
:class:`~app.services.steps.Cancel` flag. *Interrompi* (or Esc, or closing
the window) sets the flag and waits: the dialog closes only when the worker
has returned, stopped or not, so nothing is left running behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.i18n import _

if TYPE_CHECKING:
    from app.services.steps import Cancel, Progress
    from app.services.unlocking import OpenWorkspace
    from app.ui.common.ops import Ops

StepOp = Callable[["OpenWorkspace", "Progress", "Cancel"], Any]


class ProgressRelay(QObject):
    """Carries the worker's progress text to the GUI thread."""

    text = Signal(str)


class LongStepDialog(QDialog):
    """Modal while its step runs: a line of text, a busy bar, *Interrompi*.

    ``done(result)`` or ``failed(error)`` run on the GUI thread after the
    dialog has closed; a stopped step arrives at ``failed`` with its
    :class:`~app.services.steps.StepStoppedError`.
    """

    def __init__(self, parent: QWidget | None, title: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        self.cancel_token: Cancel | None = None
        self.finished_step = False
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the steps report text, not fractions
        self.bar.setAccessibleName(title)
        self.stop_button = QPushButton(_("&Stop"))
        self.stop_button.setToolTip(_("Stop this step: what it was doing is undone."))
        self.stop_button.clicked.connect(self.stop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.relay = ProgressRelay(self)
        self.relay.text.connect(self.text.setText)

    def start(
        self,
        ops: Ops,
        op: StepOp,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Show the dialog and run ``op(workspace, progress, cancel)`` on the worker."""
        from app.services.steps import Cancel

        self.cancel_token = token = Cancel()
        emit = self.relay.text.emit

        def finished(result: Any) -> None:
            self._close()
            done(result)

        def refused(error: BaseException) -> None:
            self._close()
            if failed is not None:
                failed(error)
            else:
                from app.ui.common.failure import report

                report(self.parentWidget(), error)

        ops.run(self, lambda ws: op(ws, emit, token), finished, refused)
        self.show()

    def _close(self) -> None:
        self.finished_step = True
        self.accept()

    def stop(self) -> None:
        """Ask the worker to stop at its next check; the dialog stays until it has."""
        if self.cancel_token is not None and not self.finished_step:
            self.cancel_token.set()
            self.stop_button.setEnabled(False)
            self.text.setText(_("Stopping…"))

    def reject(self) -> None:  # Esc
        if self.finished_step:
            super().reject()
        else:
            self.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.finished_step:
            super().closeEvent(event)
        else:
            self.stop()
            event.ignore()
