"""The secretariat's two lists beside the completeness matrix: the history of
the conflicts of interest (a withdrawal stands out), and the proposals below
their college (those a conflict left short first, in red)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import _, format_datetime

Index = QModelIndex | QPersistentModelIndex
WITHDRAWN_BACKGROUND = "#fff4d6"
SHORT_COLOUR = "#8a1c1c"
SHORT_BACKGROUND = "#fbe9e9"


def event_label(event: Any) -> str:
    """What one entry of the history did, in a word or two."""
    if event.withdrawn:
        return "⚠ " + _("WITHDRAWN")
    if event.kind == "revised":
        return _("changed")
    return _("declared")


class _Rows(QAbstractTableModel):
    """A read-only table of plain values, reset at once."""

    titles: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.titles)
        ):
            return self.titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, index.column())
        return self.decorate(row, index.column(), role)

    def text(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def decorate(self, row: Any, column: int, role: int) -> Any:
        return None


class ConflictHistoryModel(_Rows):
    """Every conflict declared, changed or withdrawn: ``ConflictEvent`` rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.titles = (_("Declared on"), _("Bundle"), _("Event"), _("Declaration"))

    def text(self, row: Any, column: int) -> str:
        if column == 0:
            return format_datetime(row.declared_at)
        if column == 1:
            if row.bundle_sequence is None:
                return "—"
            return _("no. {sequence}").format(sequence=row.bundle_sequence)
        if column == 2:
            return event_label(row)
        return str(row.sentence())

    def decorate(self, row: Any, column: int, role: int) -> Any:
        if not row.withdrawn:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(WITHDRAWN_BACKGROUND))
        if role == Qt.ItemDataRole.FontRole and column >= 2:
            font = QFont()
            font.setBold(True)
            return font
        return None


class CollegeModel(_Rows):
    """The proposals below their college: ``ProposalCollege`` rows, short ones first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.titles = (_("Proposal"), _("Title"), _("Evaluators"), _("State"), _("Why"))

    def set_college(self, college: Any) -> None:
        """The incomplete proposals of a ``CollegeView``: short ones, then the others."""
        rows = sorted(college.incomplete, key=lambda p: (not p.short, p.proposal))
        self.set_rows(rows)

    def text(self, row: Any, column: int) -> str:
        if column == 0:
            return str(row.proposal)
        if column == 1:
            return str(row.title)
        if column == 2:
            return _("{evaluators} of {required}").format(
                evaluators=row.evaluators, required=row.required
            )
        if column == 3:
            if row.short and row.vacant:
                return _("short: a substitute is needed")
            if row.short:
                return _("short")
            return _("waiting for bundles")
        return str(row.why())

    def decorate(self, row: Any, column: int, role: int) -> Any:
        if not row.short:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(SHORT_COLOUR))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(SHORT_BACKGROUND))
        return None

    def row_of(self, proposal: str) -> int:
        for index, row in enumerate(self.rows):
            if row.proposal == proposal:
                return index
        return -1
