"""*Strumenti → Verifica integrità*: every check of the workspace, ✔ or ✘, with
one sentence per problem. The checks run on the database worker; this dialog
only shows what comes back (``app/services/integrity.py``).

The sentences are labels that wrap (a tree view would cut a long path short).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError
from app.i18n import _, n_
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from app.services.integrity import IntegrityReport
    from app.services.unlocking import OpenWorkspace

GOOD = "#1d5e20"
BAD = "#8a1c1c"


def check_workspace(ws: OpenWorkspace) -> IntegrityReport:
    from app.services.integrity import check_workspace

    return check_workspace(ws)


class IntegrityDialog(QDialog):
    """Runs the checks when asked (:meth:`run`), and again on request."""

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.report: IntegrityReport | None = None
        self.lines: list[QLabel] = []
        self.setWindowTitle(_("Check integrity"))
        fit_to_screen(self, 900, 520)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QWidget()
        self.body.setAccessibleName(_("Checks of the workspace"))
        self.checks_layout = QVBoxLayout(self.body)
        self.checks_layout.setSpacing(4)
        self.checks_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.body)
        self.again = QPushButton(_("Check &again"))
        self.again.clicked.connect(self.run)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def run(self) -> None:
        """Check the workspace on the worker; the result replaces what is shown."""
        self.again.setEnabled(False)
        self.summary.setText(
            _("Checking every page, the audit log, the key slots and the backups…")
        )
        self._clear()
        self.ops.run(self, check_workspace, self.show_report, self._failed)

    def show_report(self, report: IntegrityReport) -> None:
        self.report = report
        self.again.setEnabled(True)
        self._clear()
        for check in report.checks:
            mark = "✔" if check.ok else "✘"
            heading = self._line(f"{mark}  {check.title}")
            heading.setStyleSheet(f"font-weight: bold; color: {GOOD if check.ok else BAD};")
            for problem in check.problems:
                self._line(problem).setContentsMargins(24, 0, 0, 4)
        if report.ok:
            self.summary.setText(
                _("No problem found: the workspace {folder} is intact.").format(
                    folder=report.workspace
                )
            )
            return
        count = len(report.problems)
        self.summary.setText(
            n_(
                "{count} problem found in the workspace {folder}.",
                "{count} problems found in the workspace {folder}.",
                count,
            ).format(count=count, folder=report.workspace)
        )

    def texts(self) -> list[str]:
        """What the dialog lists, line by line (the problems indented)."""
        return [("" if line.text()[:1] in "✔✘" else "    ") + line.text() for line in self.lines]

    def _line(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checks_layout.insertWidget(self.checks_layout.count() - 1, label)
        self.lines.append(label)
        return label

    def _clear(self) -> None:
        for label in self.lines:
            self.checks_layout.removeWidget(label)
            label.deleteLater()
        self.lines = []

    def _failed(self, error: BaseException) -> None:
        self.again.setEnabled(True)
        if isinstance(error, VaglioError):
            self.summary.setText(str(error))
            return
        from app.ui.common.failure import report

        self.summary.clear()
        report(self, error)
