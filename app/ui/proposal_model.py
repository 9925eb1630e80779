"""The proposal list as a Qt table model that filters and sorts itself.

Filtering and sorting happen here in Python over precomputed keys, then the
view is reset once: a QSortFilterProxyModel would call ``data()`` from C++ for
every row and column on each keystroke, which is what makes a 10,000-row list
lag. Search words must all appear (in any column).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _, format_money
from app.services.views import ProposalRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "id", "title", "applicant", "neighbourhood", "thematic_area", "total_cost", "request",
    "admissible",
)  # fmt: skip
INADMISSIBLE_COLOUR = "#8a1c1c"

_SORT_KEYS: dict[str, Callable[[ProposalRow], Any]] = {
    "id": lambda r: r.id,
    "title": lambda r: r.title.casefold(),
    "applicant": lambda r: r.applicant.casefold(),
    "neighbourhood": lambda r: r.neighbourhood.casefold(),
    "thematic_area": lambda r: r.thematic_area.casefold(),
    "total_cost": lambda r: r.total_cost,
    "request": lambda r: r.requested_contribution,
    "admissible": lambda r: r.admissible,
}


def column_titles() -> tuple[str, ...]:
    return (
        _("Id"),
        _("Title"),
        _("Applicant"),
        _("Neighbourhood"),
        _("Thematic area"),
        _("Total cost"),
        _("Requested"),
        _("Admissible"),
    )


def _haystack(row: ProposalRow) -> str:
    return " ".join(
        (row.id, row.title, row.applicant, row.neighbourhood, row.thematic_area)
    ).casefold()


class ProposalTableModel(QAbstractTableModel):
    """Rows are :class:`ProposalRow` values handed over by the worker."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ProposalRow] = []
        self._haystacks: list[str] = []
        self._visible: list[ProposalRow] = []
        self._words: list[str] = []
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._titles = column_titles()

    # -- content ---------------------------------------------------------------

    def set_rows(self, rows: list[ProposalRow]) -> None:
        self._all = list(rows)
        self._haystacks = [_haystack(row) for row in self._all]
        self._refresh()

    def set_filter(self, text: str) -> None:
        self._words = text.casefold().split()
        self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self._sort_column, self._sort_order = column, order
            self._refresh()

    def _refresh(self) -> None:
        words = self._words
        matching = [
            row
            for row, hay in zip(self._all, self._haystacks, strict=True)
            if all(word in hay for word in words)
        ]
        matching.sort(
            key=_SORT_KEYS[COLUMNS[self._sort_column]],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self.beginResetModel()
        self._visible = matching
        self.endResetModel()

    def row_at(self, row: int) -> ProposalRow:
        return self._visible[row]

    def row_of(self, proposal_id: str) -> int:
        """The visible row of a proposal, or -1."""
        for index, row in enumerate(self._visible):
            if row.id == proposal_id:
                return index
        return -1

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def inadmissible(self) -> int:
        return sum(1 for row in self._all if not row.admissible)

    # -- Qt --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self._titles):
            return self._titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        row = self._visible[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(row, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("total_cost", "request"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not row.admissible:
            return QBrush(QColor(INADMISSIBLE_COLOUR))
        return None

    @staticmethod
    def _display(row: ProposalRow, column: str, *, tooltip: bool) -> str:
        if column == "total_cost":
            return format_money(row.total_cost)
        if column == "request":
            return format_money(row.requested_contribution)
        if column == "admissible":
            if row.admissible:
                return _("yes")
            return "; ".join(row.inadmissible_reasons) if tooltip else _("no")
        return str(getattr(row, column))
