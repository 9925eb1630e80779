"""The secretariat's completeness matrix: members × proposals.

Each member's row says how many proposals they completed out of those
expected of them; a last row (in bold) says, per proposal, how many members
completed it, and the total of the whole call.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import _, format_datetime
from app.labels import sheet_status_label
from app.ui.proposals.proposal_model import STATUS_COLOURS

Index = QModelIndex | QPersistentModelIndex
SYMBOLS = {
    "complete": "✔",
    "partial": "½",
    "conflicted": "C",
    "inadmissible": "—",
    "to_score": "·",
    "to_declare": "?",
    "not_assigned": "",
}
FIXED = 4  # member, bundle, receipt, completed
COMPLETED = 3
LATE = "#8a1c1c"


class CompletenessModel(QAbstractTableModel):
    """Rows are members; the first columns say what arrived, the others each proposal."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: Any = None

    def set_status(self, status: Any) -> None:
        self.beginResetModel()
        self._status = status
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._status is None or not self._status.members:
            return 0
        return len(self._status.members) + 1  # and the totals

    @property
    def totals_row(self) -> int:
        """The row of the totals (after the members)."""
        return len(self._status.members) if self._status is not None else -1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._status is None:
            return 0
        return FIXED + len(self._status.proposals)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self._status is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        fixed = (_("Member"), _("Bundle"), _("Receipt"), _("Completed"))
        if section < FIXED:
            return fixed[section]
        if section - FIXED < len(self._status.proposals):
            return self._status.proposals[section - FIXED]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._status is None or not index.isValid():
            return None
        if index.row() == self.totals_row:
            return self._totals(index.column(), role)
        if not 0 <= index.row() < len(self._status.members):
            return None
        member = self._status.members[index.row()]
        if index.column() >= FIXED:
            return self._cell(member, self._status.proposals[index.column() - FIXED], role)
        return self._fixed(member, index.column(), role)

    @staticmethod
    def _cell(member: Any, proposal: str, role: int) -> Any:
        state = member.cells.get(proposal, "to_declare")
        if role == Qt.ItemDataRole.DisplayRole:
            return SYMBOLS.get(state, "?")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{member.name} · {proposal}: {sheet_status_label(state)}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(STATUS_COLOURS.get(state, "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _totals(self, column: int, role: int) -> Any:
        """The last row: per proposal, the members who completed it of those expected."""
        status = self._status
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= COMPLETED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if column >= FIXED:
            count = status.scored_by.get(status.proposals[column - FIXED])
            if count is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return str(count) if count.expected else "—"  # nobody's work: not admissible
            if role == Qt.ItemDataRole.ToolTipRole and count.expected:
                return _("{proposal}: {done} of {expected} members completed it.").format(
                    proposal=status.proposals[column - FIXED],
                    done=count.done,
                    expected=count.expected,
                )
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _("Total: members per proposal")
            if column == COMPLETED:
                return str(status.totals)
            return ""
        if role == Qt.ItemDataRole.ToolTipRole and column == COMPLETED:
            return _("{done} of {expected} evaluation sheets complete in the whole call.").format(
                done=status.totals.done, expected=status.totals.expected
            )
        return None

    @staticmethod
    def _fixed(member: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return member.name
            if column == 1:
                if member.bundle_sequence is None:
                    return _("none yet")
                text = _("no. {sequence}, {moment}").format(
                    sequence=member.bundle_sequence, moment=format_datetime(member.received_at)
                )
                return text + " · " + _("late") if member.late else text
            if column == COMPLETED:
                return str(member.completed)
            return _("sent") if member.receipt_sent else "—"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            tip = str(member.fingerprint)
            if member.missing:
                tip += "\n" + _("Bundles {numbers} never arrived.").format(
                    numbers=member.missing_text
                )
            return tip
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and member.late:
            return _(
                "This bundle arrived after the evaluation deadline: it was accepted and flagged."
            )
        if role == Qt.ItemDataRole.ToolTipRole and column == COMPLETED:
            return _(
                "{name} completed {done} of the {expected} proposals expected of them."
            ).format(
                name=member.name, done=member.completed.done, expected=member.completed.expected
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COMPLETED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == 1
            and (member.missing or member.late)
        ):
            return QBrush(QColor(LATE))
        return None
