"""The ranking's two tables: the ranked proposals and the excluded ones.

Both show the published points per criterion (columns titled with the
criteria, wrapped onto a few lines), the evaluators and the dispersion flags.
Flags are drawn as a warning sign and an amber cell on the flagged criterion:
they invite discussion and never change a score.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import _, format_decimal
from app.labels import exclusion_label, tie_decision_label
from app.services.ranking_views import ExcludedRow, RankedRow, RankingView
from app.services.views import Criterion

Index = QModelIndex | QPersistentModelIndex
FLAG = "⚠"
FLAG_BACKGROUND = "#fde3b0"
FLAG_TEXT = "#7a4a00"
PENDING_BACKGROUND = "#fff4d6"
EXCLUDED_TEXT = "#8a1c1c"
HEADER_WIDTH = 16  # characters per line of a criterion's title in the header
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def points_text(value: Decimal | None, places: int) -> str:
    """Published points with the call's decimals, or a dash where there are none."""
    return "—" if value is None else format_decimal(value, places)


def given_text(value: Decimal | None) -> str:
    """A member's coefficient or points, with the decimals it was given with."""
    if value is None:
        return "—"
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_decimal(value, places)


def criterion_header(criterion: Criterion, places: int) -> str:
    """A criterion's title over a few lines, then its maximum."""
    lines = textwrap.wrap(criterion.title, HEADER_WIDTH, break_long_words=False)[:4]
    maximum = _("max {points}").format(points=format_decimal(criterion.max_points, places))
    return "\n".join([*lines, maximum])


def criterion_tooltip(criterion: Criterion, places: int) -> str:
    lines = [
        criterion.title,
        _("Criterion «{key}»: at most {points} points.").format(
            key=criterion.key, points=format_decimal(criterion.max_points, places)
        ),
    ]
    if criterion.min_points is not None:
        lines.append(
            _("At least {points} points are needed on it to be ranked.").format(
                points=format_decimal(criterion.min_points, places)
            )
        )
    return "\n".join(lines)


def flags_tooltip(flags: tuple[str, ...], titles: dict[str, str]) -> str:
    names = ", ".join(f"«{titles.get(key, key)}»" for key in flags)
    return _(
        "The members' scores are far apart on {criteria}: to be discussed. "
        "The flag does not change the score."
    ).format(criteria=names)


def flags_text(flags: tuple[str, ...]) -> str:
    if not flags:
        return ""
    return f"{FLAG} " + _("dispersion ({count})").format(count=len(flags))


class _CriteriaTable(QAbstractTableModel):
    """Fixed columns, one column per criterion, more fixed columns."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.view: RankingView | None = None
        self._rows: tuple[Any, ...] = ()
        self._titles: dict[str, str] = {}

    def set_view(self, view: RankingView | None) -> None:
        self.beginResetModel()
        self.view = view
        self._rows = self._rows_of(view) if view is not None else ()
        self._titles = {c.key: c.title for c in view.grid.every_criterion} if view else {}
        self.endResetModel()

    # -- what subclasses say ---------------------------------------------------

    def _rows_of(self, view: RankingView) -> tuple[Any, ...]:
        raise NotImplementedError

    def _before(self) -> list[str]:
        raise NotImplementedError

    def _after(self) -> list[str]:
        raise NotImplementedError

    def _fixed(self, row: Any, column: int, role: int) -> Any:
        """Column ``column`` counts the fixed columns: before, then after."""
        raise NotImplementedError

    # -- queries ---------------------------------------------------------------

    def proposal_at(self, row: int) -> str | None:
        return self._rows[row].proposal if 0 <= row < len(self._rows) else None

    def row_of(self, proposal: str) -> int:
        for index, row in enumerate(self._rows):
            if row.proposal == proposal:
                return index
        return -1

    def criterion_column(self, key: str) -> int:
        if self.view is None:
            return -1
        keys = [c.key for c in self.view.criteria]
        return len(self._before()) + keys.index(key) if key in keys else -1

    @property
    def places(self) -> int:
        return self.view.grid.decimals if self.view is not None else 2

    # -- Qt --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.view is None:
            return 0
        return len(self._before()) + len(self.view.criteria) + len(self._after())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.view is None:
            return None
        before, criteria = self._before(), self.view.criteria
        if not 0 <= section < self.columnCount():
            return None
        if len(before) <= section < len(before) + len(criteria):
            criterion = criteria[section - len(before)]
            if role == Qt.ItemDataRole.DisplayRole:
                return criterion_header(criterion, self.places)
            if role == Qt.ItemDataRole.ToolTipRole:
                return criterion_tooltip(criterion, self.places)
            return None
        fixed = [*before, *self._after()]
        index = section if section < len(before) else section - len(criteria)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return fixed[index]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.view is None or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        before, criteria = len(self._before()), self.view.criteria
        if column < before:
            return self._fixed(row, column, role)
        if column < before + len(criteria):
            return self._criterion(row, criteria[column - before], role)
        return self._fixed(row, column - len(criteria), role)

    def _criterion(self, row: Any, criterion: Criterion, role: int) -> Any:
        value = row.criteria.get(criterion.key)
        flagged = criterion.key in row.flags
        if role == Qt.ItemDataRole.DisplayRole:
            text = points_text(value, self.places)
            return f"{FLAG} {text}" if flagged else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.proposal} · {criterion.title}: " + _("{points} of {maximum}").format(
                points=points_text(value, self.places),
                maximum=format_decimal(criterion.max_points, self.places),
            )
            if flagged:
                tip += "\n" + flags_tooltip((criterion.key,), self._titles)
            return tip
        if role == Qt.ItemDataRole.BackgroundRole and flagged:
            return QBrush(QColor(FLAG_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and self._below_floor(value, criterion):
            return QBrush(QColor(EXCLUDED_TEXT))
        return None

    @staticmethod
    def _below_floor(value: Decimal | None, criterion: Criterion) -> bool:
        return (
            value is not None and criterion.min_points is not None and value < criterion.min_points
        )

    def _flags(self, row: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return flags_text(row.flags)
        if role == Qt.ItemDataRole.ToolTipRole:
            return flags_tooltip(row.flags, self._titles) if row.flags else _("No flag.")
        if role == Qt.ItemDataRole.ForegroundRole and row.flags:
            return QBrush(QColor(FLAG_TEXT))
        if role == Qt.ItemDataRole.BackgroundRole and row.flags:
            return QBrush(QColor(FLAG_BACKGROUND))
        return None


class RankingModel(_CriteriaTable):
    """The ranked proposals, in the ranking's order."""

    def _rows_of(self, view: RankingView) -> tuple[RankedRow, ...]:
        return view.rows

    def _before(self) -> list[str]:
        return [_("Rank"), _("Proposal"), _("Title"), _("Total")]

    def _after(self) -> list[str]:
        return [_("Evaluators"), _("Flags"), _("Tie settled by")]

    def row_at(self, row: int) -> RankedRow:
        return self._rows[row]  # type: ignore[no-any-return]

    def _fixed(self, row: RankedRow, column: int, role: int) -> Any:
        if column == 5:
            return self._flags(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                return f"{row.title}\n{row.applicant}"
            if column == 6:
                return self._tie_tooltip(row)
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 4):
            return RIGHT if column != 4 else CENTRE
        if role == Qt.ItemDataRole.FontRole and column == 3:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.decided_by == "pending":
            return QBrush(QColor(PENDING_BACKGROUND))
        return None

    def _text(self, row: RankedRow, column: int) -> str:
        if column == 0:
            return str(row.rank)
        if column == 1:
            return row.proposal
        if column == 2:
            return row.title
        if column == 3:
            return points_text(row.total, self.places)
        if column == 4:
            return str(row.evaluators)
        return tie_decision_label(row.decided_by, self._titles)

    def _tie_tooltip(self, row: RankedRow) -> str:
        if not row.decided_by:
            return _("No tie: the total decides the place.")
        text = tie_decision_label(row.decided_by, self._titles)
        if row.decided_by == "lottery" and self.view is not None:
            for lottery in self.view.lotteries:
                if row.proposal in lottery.tied:
                    text += "\n" + _("Drawn number {number}, seed {seed}").format(
                        number=lottery.number, seed=lottery.seed
                    )
        return text


class ExcludedModel(_CriteriaTable):
    """The proposals not in the ranking, with the reason in words."""

    def _rows_of(self, view: RankingView) -> tuple[ExcludedRow, ...]:
        return view.excluded

    def _before(self) -> list[str]:
        return [_("Proposal"), _("Title"), _("Why it is not ranked"), _("Total")]

    def _after(self) -> list[str]:
        return [_("Evaluators"), _("Flags")]

    def row_at(self, row: int) -> ExcludedRow:
        return self._rows[row]  # type: ignore[no-any-return]

    def _fixed(self, row: ExcludedRow, column: int, role: int) -> Any:
        if column == 5:
            return self._flags(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.proposal
            if column == 1:
                tooltip = role == Qt.ItemDataRole.ToolTipRole
                return f"{row.title}\n{row.applicant}" if tooltip else row.title
            if column == 2:
                return exclusion_label(row.reason)
            if column == 3:
                return points_text(row.total, self.places)
            return str(row.evaluators)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 4):
            return RIGHT if column == 3 else CENTRE
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(EXCLUDED_TEXT))
        return None
