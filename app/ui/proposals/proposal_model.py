"""The proposal lists: the secretariat's (admissibility) and a member's desk
(status, own order, own total)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor

from app.i18n import _, format_decimal, format_money
from app.labels import SHEET_STATUSES, sheet_status_label
from app.services.views import DeskRow, ProposalRow
from app.ui.common.table_model import Column, FilteredTableModel

INADMISSIBLE_COLOUR = "#8a1c1c"
STATUS_COLOURS = {
    "inadmissible": "#8a1c1c",
    "to_declare": "#7a4a00",
    "conflicted": "#5a5a5a",
    "to_score": "#1f3f7a",
    "partial": "#7a4a00",
    "complete": "#1d5e20",
}


def _haystack(row: ProposalRow) -> str:
    return " ".join((row.id, row.title, row.applicant, row.neighbourhood, row.thematic_area))


def _admissible(row: ProposalRow) -> str:
    return _("yes") if row.admissible else _("no")


def proposal_columns() -> list[Column[ProposalRow]]:
    return [
        Column(_("Id"), lambda r: r.id, lambda r: r.id),
        Column(_("Title"), lambda r: r.title, lambda r: r.title.casefold()),
        Column(_("Applicant"), lambda r: r.applicant, lambda r: r.applicant.casefold()),
        Column(_("Neighbourhood"), lambda r: r.neighbourhood, lambda r: r.neighbourhood.casefold()),
        Column(_("Thematic area"), lambda r: r.thematic_area, lambda r: r.thematic_area.casefold()),
        Column(_("Total cost"), lambda r: format_money(r.total_cost), lambda r: r.total_cost, True),
        Column(
            _("Requested"),
            lambda r: format_money(r.requested_contribution),
            lambda r: r.requested_contribution,
            True,
        ),
        Column(
            _("Admissible"),
            _admissible,
            lambda r: r.admissible,
            tooltip=lambda r: "; ".join(r.inadmissible_reasons) or _admissible(r),
        ),
    ]


class ProposalTableModel(FilteredTableModel[ProposalRow]):
    """The secretariat's list of proposals."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            proposal_columns(), haystack=_haystack, row_id=lambda r: r.id, parent=parent
        )

    @property
    def inadmissible(self) -> int:
        return sum(1 for row in self.all_rows() if not row.admissible)

    def decorate(self, row: ProposalRow, column: Column[ProposalRow], role: int) -> Any:
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.ForegroundRole and not row.admissible:
            return QBrush(QColor(INADMISSIBLE_COLOUR))
        return None


def _own_total(row: DeskRow) -> str:
    return "" if row.total is None else format_decimal(row.total, 2)


def desk_columns() -> list[Column[DeskRow]]:
    return [
        Column("#", lambda r: str(r.review_position), lambda r: r.review_position, True),
        Column(
            _("Status"),
            lambda r: sheet_status_label(r.status),
            lambda r: SHEET_STATUSES.index(r.status) if r.status in SHEET_STATUSES else 99,
            tooltip=lambda r: (
                "; ".join(r.proposal.inadmissible_reasons) or sheet_status_label(r.status)
            ),
        ),
        Column(_("Id"), lambda r: r.proposal.id, lambda r: r.proposal.id),
        Column(_("Title"), lambda r: r.proposal.title, lambda r: r.proposal.title.casefold()),
        Column(
            _("Neighbourhood"),
            lambda r: r.proposal.neighbourhood,
            lambda r: r.proposal.neighbourhood.casefold(),
        ),
        Column(
            _("Thematic area"),
            lambda r: r.proposal.thematic_area,
            lambda r: r.proposal.thematic_area.casefold(),
        ),
        Column(
            _("Total cost"),
            lambda r: format_money(r.proposal.total_cost),
            lambda r: r.proposal.total_cost,
            True,
        ),
        Column(_("Your score"), _own_total, lambda r: (r.total is None, r.total or 0), True),
    ]


class DeskTableModel(FilteredTableModel[DeskRow]):
    """A member's list: status, own review order, own running total."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            desk_columns(),
            haystack=lambda r: _haystack(r.proposal) + " " + sheet_status_label(r.status),
            row_id=lambda r: r.proposal.id,
            parent=parent,
        )

    def decorate(self, row: DeskRow, column: Column[DeskRow], role: int) -> Any:
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.ForegroundRole and column is self.columns[1]:
            return QBrush(QColor(STATUS_COLOURS.get(row.status, "#000000")))
        if role == Qt.ItemDataRole.ForegroundRole and row.status in ("inadmissible", "conflicted"):
            return QBrush(QColor(STATUS_COLOURS[row.status]))
        return None
