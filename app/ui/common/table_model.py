"""A read-only table of plain row values that filters and sorts itself.

Filtering and sorting run in Python over precomputed keys, then the view is
reset once: a QSortFilterProxyModel would call ``data()`` from C++ for every
row and column on each keystroke, which is what makes a 10,000-row list lag.
Search words must all appear (in any searchable text of the row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    """How one column shows and sorts a row."""

    title: str
    display: Callable[[Row], str]
    sort_key: Callable[[Row], Any]
    align_right: bool = False
    tooltip: Callable[[Row], str] | None = None


class FilteredTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of one type shown through :class:`Column` definitions."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        *,
        haystack: Callable[[Row], str],
        row_id: Callable[[Row], str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._haystack_of = haystack
        self._id_of = row_id
        self._all: list[Row] = []
        self._haystacks: list[str] = []
        self._visible: list[Row] = []
        self._words: list[str] = []
        self._accept: Callable[[Row], bool] = lambda _row: True
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- content ---------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        self._all = list(rows)
        self._haystacks = [self._haystack_of(row).casefold() for row in self._all]
        self._refresh()

    def replace_row(self, row: Row) -> None:
        """Swap in a new value for the row with the same id (no reset)."""
        key = self._id_of(row)
        for index, old in enumerate(self._all):
            if self._id_of(old) == key:
                self._all[index] = row
                self._haystacks[index] = self._haystack_of(row).casefold()
                break
        for index, old in enumerate(self._visible):
            if self._id_of(old) == key:
                self._visible[index] = row
                self.dataChanged.emit(
                    self.index(index, 0), self.index(index, len(self.columns) - 1)
                )
                return

    def set_filter(self, text: str) -> None:
        self._words = text.casefold().split()
        self._refresh()

    def set_acceptor(self, accept: Callable[[Row], bool]) -> None:
        """An extra condition rows must meet (a status filter, say)."""
        self._accept = accept
        self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            self._sort_column, self._sort_order = column, order
            self._refresh()

    def _refresh(self) -> None:
        words, accept = self._words, self._accept
        matching = [
            row
            for row, hay in zip(self._all, self._haystacks, strict=True)
            if all(word in hay for word in words) and accept(row)
        ]
        matching.sort(
            key=self.columns[self._sort_column].sort_key,
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self.beginResetModel()
        self._visible = matching
        self.endResetModel()

    # -- queries ---------------------------------------------------------------

    def row_at(self, row: int) -> Row:
        return self._visible[row]

    def row_of(self, row_id: str) -> int:
        """The visible row of the value with ``row_id``, or -1."""
        for index, row in enumerate(self._visible):
            if self._id_of(row) == row_id:
                return index
        return -1

    def all_rows(self) -> list[Row]:
        return list(self._all)

    @property
    def total(self) -> int:
        return len(self._all)

    # -- Qt --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        row = self._visible[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.decorate(row, column, role)

    def decorate(self, row: Row, column: Column[Row], role: int) -> Any:
        """Colours and icons; subclasses override."""
        return None
