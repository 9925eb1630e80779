"""The matchfunding tables: the projects in ranking order with their
campaign and the city's money, and the commitments and payments recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _, format_date, format_datetime, format_money
from app.labels import funding_status_text, stage_label
from app.services.ranking_views import FundingRecordView, FundingView, ProjectFundingView
from app.ui.ranking.ranking_model import RIGHT

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
STATUS_COLOURS = {
    "waiting": "#5a5a5a",
    "in_campaign": "#1f3f7a",
    "funded": "#1d5e20",
    "failed": "#8a1c1c",
    "realised": "#1d5e20",
}
FUNDED = ("funded", "realised")


def money(value: Decimal | None) -> str:
    return "—" if value is None else format_money(value)


@dataclass(frozen=True)
class Field(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    right: bool = False
    tooltip: Callable[[Row], str] | None = None


class _Table(QAbstractTableModel, Generic[Row]):
    """Read-only rows of one kind, shown through :class:`Field` definitions."""

    def __init__(self, fields: list[Field[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self._rows: tuple[Row, ...] = ()

    def set_rows(self, rows: tuple[Row, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> tuple[Row, ...]:
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.fields):
            return self.fields[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, field = self._rows[index.row()], self.fields[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return field.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return field.tooltip(row) if field.tooltip else field.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and field.right:
            return RIGHT
        return self.decorate(row, index.column(), role)

    def decorate(self, row: Row, column: int, role: int) -> Any:
        return None


def _status_tooltip(project: ProjectFundingView) -> str:
    text = funding_status_text(project.status, project.note)
    if project.note == "fund_exhausted" and project.raised is not None:
        text += " · " + _(
            "the crowd raised its share, but what is left of the fund cannot hold the "
            "city's contribution: it is funded if money is freed, for example by a failed "
            "campaign"
        )
    elif project.note == "fund_exhausted":
        text += " · " + _(
            "what is left of the fund cannot hold its reserve: its campaign starts if "
            "money is freed, for example by a failed campaign"
        )
    elif project.note == "line_stopped":
        text += " · " + _(
            "the call funds in strict ranking order: a better-ranked project does not fit in "
            "what is left of the fund, and the projects after it wait"
        )
    if project.closed_on is not None:
        text += " · " + _("campaign closed on {date}").format(date=format_date(project.closed_on))
    return text


class ProjectModel(_Table[ProjectFundingView]):
    """The projects of the approved ranking, in its order."""

    STATUS = 7

    def __init__(self, parent: Any = None) -> None:
        fields: list[Field[ProjectFundingView]] = [
            Field(_("Rank"), lambda p: str(p.rank), True),
            Field(_("Proposal"), lambda p: p.proposal),
            Field(_("Title"), lambda p: p.title),
            Field(_("Budget"), lambda p: money(p.budget), True),
            Field(_("Reserved"), lambda p: money(p.reserved), True),
            Field(_("Raised"), lambda p: money(p.raised), True),
            Field(_("Backers"), lambda p: "—" if p.backers is None else str(p.backers), True),
            Field(
                _("Status"), lambda p: funding_status_text(p.status, p.note), False, _status_tooltip
            ),
            Field(_("Matched"), lambda p: money(p.matched), True),
            Field(_("Committed"), lambda p: money(p.committed), True),
            Field(_("Paid"), lambda p: money(p.paid), True),
        ]
        super().__init__(fields, parent)

    def set_view(self, view: FundingView) -> None:
        self.set_rows(view.projects)

    def decorate(self, row: ProjectFundingView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return QBrush(QColor(STATUS_COLOURS.get(row.status, "#000000")))
        if role == Qt.ItemDataRole.BackgroundRole and row.status == "failed":
            return QBrush(QColor("#fbe9e9"))
        return None

    def funded(self) -> list[ProjectFundingView]:
        return [p for p in self._rows if p.status in FUNDED]


class RecordModel(_Table[FundingRecordView]):
    """Commitments (giuridicamente vincolante) and payments (erogato), by date."""

    def __init__(self, parent: Any = None) -> None:
        fields: list[Field[FundingRecordView]] = [
            Field(_("Date"), lambda r: format_date(r.on_date)),
            Field(_("Proposal"), lambda r: r.proposal),
            Field(_("Stage"), lambda r: stage_label(r.stage)),
            Field(_("Amount"), lambda r: format_money(r.amount), True),
            Field(_("Act"), lambda r: r.document),
            Field(_("Recorded on"), lambda r: format_datetime(r.recorded_at)),
        ]
        super().__init__(fields, parent)

    def set_view(self, view: FundingView) -> None:
        self.set_rows(view.records)
