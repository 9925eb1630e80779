"""*Strumenti → Registro delle operazioni* (Ctrl+Shift+L): this workspace's
audit log — the secretariat's, or the member's own — as a table (moment in
Rome's time, who, what, on which object, details), filtered by words and by
kind of operation, under the state of its hash chain: verified, or the first
entry that breaks it, in red.

The log is read and its chain walked on the database worker
(``app/services/audit_log.py``); typing filters in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.clock import rome
from app.errors import VaglioError
from app.i18n import _, format_datetime, moments_in, n_
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.table_model import Column, FilteredTableModel

if TYPE_CHECKING:
    from app.services.audit_log import AuditEntry, AuditLogView
    from app.services.unlocking import OpenWorkspace

GOOD = "color: #1d5e20; font-weight: bold;"
BAD = "color: #8a1c1c; font-weight: bold;"
BROKEN = "#8a1c1c"
FILTER_DELAY_MS = 80
WIDTHS = (56, 160, 150, 200, 190)


def read_audit_log(ws: OpenWorkspace) -> AuditLogView:
    from app.services.audit_log import audit_log

    return audit_log(ws)


def _moment(entry: AuditEntry) -> str:
    """The entry's moment in Rome's time, whatever the laptop's zone."""
    with moments_in(rome()):
        return format_datetime(entry.at)


class AuditLogModel(FilteredTableModel["AuditEntry"]):
    """The entries, newest first; an entry that breaks the chain in red."""

    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column(_("No."), lambda e: str(e.seq), lambda e: e.seq, align_right=True),
            Column(_("Moment (Rome)"), _moment, lambda e: e.seq),
            Column(_("Who"), lambda e: e.actor, lambda e: (e.actor.casefold(), e.seq)),
            Column(
                _("Operation"),
                lambda e: e.action_text,
                lambda e: (e.action_text.casefold(), e.seq),
                tooltip=lambda e: f"{e.action_text} ({e.action})",
            ),
            Column(_("Object"), lambda e: e.object_text, lambda e: (e.object_text, e.seq)),
            Column(_("Details"), lambda e: e.details, lambda e: (e.details, e.seq)),
        ]
        super().__init__(
            columns,
            haystack=lambda e: " ".join(
                (e.actor, e.action_text, e.action, e.object_text, e.details, _moment(e))
            ),
            row_id=lambda e: str(e.seq),
            parent=parent,
        )

    def decorate(self, row: AuditEntry, column: Column[AuditEntry], role: int) -> Any:
        if not row.intact and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(BROKEN))
        if not row.intact and role == Qt.ItemDataRole.ToolTipRole:
            return _("This entry does not match the chain: it was altered, removed or reordered.")
        return None


class AuditLogDialog(QDialog):
    """The log of the open workspace; :meth:`load` reads it (again)."""

    loaded = Signal()

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view: AuditLogView | None = None
        self.setWindowTitle(_("Audit log"))
        fit_to_screen(self, 1180, 640)

        self.chain = QLabel(_("Reading the audit log…"))
        self.chain.setWordWrap(True)
        self.chain.setAccessibleName(_("State of the audit chain"))
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the log: who, what, object, details"))
        self.search.setAccessibleName(_("Search the audit log"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind of operation"))
        self.kind.addItem(_("Every operation"), "")
        kind_label = QLabel(_("&Operation:"))
        kind_label.setBuddy(self.kind)
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.count)

        self.model = AuditLogModel(self)
        self.model.sort(0, Qt.SortOrder.DescendingOrder)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Entries of the audit log"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)

        self.reload_button = QPushButton(_("Re&load"))
        self.reload_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self.load)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.chain)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.kind.currentIndexChanged.connect(lambda _index: self._apply_filter())
        ops.changed.connect(lambda _changes: self.load() if self.isVisible() else None)

    def load(self) -> None:
        """Read the log and walk its chain on the worker."""
        self.ops.run(self, read_audit_log, self.show_log, self._failed)

    def show_log(self, view: AuditLogView) -> None:
        from app.services.audit_log import chain_sentence

        self.view = view
        self.chain.setText(("✔ " if view.verified else "✘ ") + chain_sentence(view))
        self.chain.setStyleSheet(GOOD if view.verified else BAD)
        chosen = self.kind.currentData()
        kinds = sorted({(e.action_text, e.action) for e in view.entries})
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("Every operation"), "")
        for text, action in kinds:
            self.kind.addItem(text, action)
        self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)))
        self.kind.blockSignals(False)
        self.model.set_rows(view.entries)
        self._apply_filter()
        self.loaded.emit()

    def set_filter(self, text: str = "", action: str = "") -> None:
        """Show the entries matching ``text`` and of kind ``action`` ('' for any)."""
        self.search.setText(text)
        self.kind.setCurrentIndex(max(0, self.kind.findData(action)))
        self._apply_filter()

    def _apply_filter(self) -> None:
        action = str(self.kind.currentData() or "")
        self.model.set_acceptor(lambda e: not action or e.action == action)
        self.model.set_filter(self.search.text())
        shown, total = self.model.rowCount(), self.model.total
        self.count.setText(
            n_("{shown} of {total} entry", "{shown} of {total} entries", total).format(
                shown=shown, total=total
            )
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, VaglioError):
            self.chain.setText(str(error))
            self.chain.setStyleSheet(BAD)
            return
        from app.ui.common.failure import report

        report(self, error)


def open_audit_log(window: Any) -> AuditLogDialog:
    """Open the log of ``window``'s workspace (one dialog, raised if already open)."""
    dialog = getattr(window, "audit_log_dialog", None)
    if dialog is None:
        dialog = AuditLogDialog(window.ops, window)
        window.audit_log_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.load()
    return dialog
