"""Everything behind one line of the ranking: per criterion the published
points and how far apart the members were, then each member's values and
motivations. A member in conflict of interest is shown as such, with the
category and the reason, and no values (they never enter any figure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.labels import category_label, exclusion_label
from app.services.ranking_views import CriterionSpread, MemberEvaluation, ProposalDrillDown
from app.ui.common.screen_fit import fit_to_screen
from app.ui.ranking.ranking_model import (
    EXCLUDED_TEXT,
    FLAG,
    FLAG_BACKGROUND,
    RIGHT,
    given_text,
    points_text,
)

Index = QModelIndex | QPersistentModelIndex
CONFLICT_TEXT = "#5a5a5a"


class _Table(QAbstractTableModel):
    """A flat read-only table: its ``headers`` and its ``items`` (one per row)."""

    headers: list[str]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: Sequence[Any] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


class SpreadModel(_Table):
    """One row per criterion: points, lowest and highest value, spread, flag."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.places = 2
        self.headers = [
            _("Criterion"),
            _("Published points"),
            _("Lowest"),
            _("Highest"),
            _("Spread"),
            _("Evaluators"),
            _("Dispersion"),
        ]

    def set_drill_down(self, detail: ProposalDrillDown, places: int) -> None:
        self.beginResetModel()
        self.items, self.places = detail.criteria, places
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        spread, column = self.items[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(spread, column, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= column <= 5:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and spread.flagged and column in (4, 6):
            return QBrush(QColor(FLAG_BACKGROUND))
        return None

    def _text(self, spread: CriterionSpread, column: int, tooltip: bool) -> str:
        if column == 0:
            return f"{spread.title} ({spread.key})" if tooltip else spread.title
        if column == 1:
            return points_text(spread.points, self.places)
        if column == 2:
            return given_text(spread.lowest)
        if column == 3:
            return given_text(spread.highest)
        if column == 4:
            return given_text(spread.spread)
        if column == 5:
            return str(spread.evaluators)
        if spread.flagged:
            return f"{FLAG} " + _("flagged: to be discussed")
        return _("no flag") if not tooltip else _("The members' scores are close enough.")


@dataclass(frozen=True)
class EvaluationLine:
    """One line of the members' table: a member's value on a criterion, or a note."""

    member: str
    fingerprint: str
    criterion: str  # title, or "" for a note about the whole sheet
    value: Decimal | None
    text: str  # the motivation, or the note
    kind: str  # "score", "missing", "conflict", "undeclared"
    flagged: bool = False  # the criterion is flagged for dispersion


def evaluation_lines(detail: ProposalDrillDown) -> list[EvaluationLine]:
    """The members' sheets, one line per criterion, one line for a conflict."""
    lines: list[EvaluationLine] = []
    for evaluation in detail.evaluations:
        lines.extend(_member_lines(evaluation, detail.criteria))
    return lines


def _member_lines(
    evaluation: MemberEvaluation, criteria: tuple[CriterionSpread, ...]
) -> list[EvaluationLine]:
    who, fingerprint = evaluation.member, evaluation.fingerprint
    if evaluation.conflicted:
        note = _("Conflict of interest declared ({category}): {reason}").format(
            category=category_label(evaluation.conflict_category),
            reason=evaluation.conflict_reason or "—",
        )
        return [EvaluationLine(who, fingerprint, "", None, note, "conflict")]
    if not evaluation.declared:
        note = _("No declaration on this proposal in the member's bundle: not counted.")
        return [EvaluationLine(who, fingerprint, "", None, note, "undeclared")]
    lines = []
    for criterion in criteria:
        if not criterion.scored:  # its sub-criteria carry the members' values
            continue
        value = evaluation.values.get(criterion.key)
        motivation = evaluation.motivations.get(criterion.key, "")
        if value is None:
            kind, text = "missing", _("No score: not counted (a missing score is never 0).")
        else:
            kind, text = "score", motivation
        lines.append(
            EvaluationLine(who, fingerprint, criterion.title, value, text, kind, criterion.flagged)
        )
    return lines


class EvaluationModel(_Table):
    """Member, criterion, value given, motivation."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = [_("Member"), _("Criterion"), _("Value"), _("Motivation")]

    def set_drill_down(self, detail: ProposalDrillDown) -> None:
        self.beginResetModel()
        self.items = evaluation_lines(detail)
        self.endResetModel()

    def line_at(self, row: int) -> EvaluationLine:
        line: EvaluationLine = self.items[row]
        return line

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        line, column = self.items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"{line.member}\n{line.fingerprint}"
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and line.flagged and column in (1, 2):
            return QBrush(QColor(FLAG_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and line.kind != "score":
            return QBrush(QColor(CONFLICT_TEXT if line.kind == "conflict" else EXCLUDED_TEXT))
        return None

    @staticmethod
    def _text(line: EvaluationLine, column: int) -> str:
        if column == 0:
            return line.member
        if column == 1:
            return line.criterion or "—"
        if column == 2:
            if line.kind == "conflict":
                return _("in conflict")
            return given_text(line.value)
        return line.text


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setMinimumSectionSize(24)
    table.setAlternatingRowColors(True)
    return table


class DrillDownDialog(QDialog):
    """The detail of one proposal's place in the ranking."""

    def __init__(self, detail: ProposalDrillDown, places: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self.setWindowTitle(_("{proposal} in the ranking").format(proposal=detail.proposal))
        fit_to_screen(self, 1100, 660)

        self.heading = QLabel(f"{detail.proposal} — {detail.title}")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.place = QLabel(self._place_text(places))
        self.place.setWordWrap(True)
        self.place.setAccessibleName(_("Place in the ranking"))
        if detail.rank is None:
            self.place.setStyleSheet(f"color: {EXCLUDED_TEXT};")

        self.spread_model = SpreadModel(self)
        self.spread_model.set_drill_down(detail, places)
        self.spreads = _table(self.spread_model, _("Points and spread per criterion"))
        header = self.spreads.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        spreads_label = QLabel(_("&Per criterion:"))
        spreads_label.setBuddy(self.spreads)

        self.evaluation_model = EvaluationModel(self)
        self.evaluation_model.set_drill_down(detail)
        self.evaluations = _table(self.evaluation_model, _("Each member's values and motivations"))
        self.evaluations.setWordWrap(True)
        header = self.evaluations.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Rows follow the motivation column's width (known only once laid out).
        header.sectionResized.connect(self._fit_rows)
        evaluations_label = QLabel(_("Each &member's values and motivations:"))
        evaluations_label.setBuddy(self.evaluations)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(spreads_label)
        top_layout.addWidget(self.spreads)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(evaluations_label)
        bottom_layout.addWidget(self.evaluations)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        rows = self.spread_model.rowCount()
        splitter.setSizes([60 + 30 * rows, 720])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.place)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.spreads.setFocus()

    def _fit_rows(self, column: int, _old: int, _new: int) -> None:
        if column == 3:
            self.evaluations.resizeRowsToContents()

    def _place_text(self, places: int) -> str:
        detail = self.detail
        total = points_text(detail.total, places)
        if detail.rank is not None:
            text = _("Rank {rank}, total {total}.").format(rank=detail.rank, total=total)
        else:
            reason = exclusion_label(detail.reason or "")
            text = _("Not in the ranking: {reason}.").format(reason=reason)
            if detail.total is not None:
                text += " " + _("Total {total}.").format(total=total)
        counted = sum(1 for e in detail.evaluations if e.declared and not e.conflicted)
        conflicted = sum(1 for e in detail.evaluations if e.conflicted)
        text += " " + _("{counted} members counted, {conflicted} in conflict of interest.").format(
            counted=counted, conflicted=conflicted
        )
        flagged = [c.title for c in detail.criteria if c.flagged]
        if flagged:
            text += " " + _("{flag} Dispersion on: {criteria}.").format(
                flag=FLAG, criteria=", ".join(f"«{t}»" for t in flagged)
            )
        return text
