"""The secretariat's statistics for the sitting (Graduatoria e finanziamento →
Statistiche dei commissari): how each member scored, to discuss a harsh or
lenient member. The figures are read on the worker from the accepted bundles
and read again when bundles come in; they change no score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.errors import VaglioError
from app.i18n import _, n_
from app.services.member_statistics import (
    MemberStatisticsRow,
    MemberStatisticsView,
    figure_text,
    share_text,
    statistics_note,
)
from app.ui.common.failure import report
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.table_model import Column, FilteredTableModel
from app.ui.common.widgets import error_label, heading_label, note_label, text_label

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.unlocking import OpenWorkspace

ROW_HEIGHT = 26


def load_statistics(ws: OpenWorkspace, call_id: str) -> MemberStatisticsView:
    """The call's statistics per member (on the worker)."""
    from app.services.member_statistics import statistics_view

    return statistics_view(ws, call_id)


def _name(row: MemberStatisticsRow) -> str:
    return row.name + (" " + _("(substitute)") if row.substitute else "")


def _undefined(value: Decimal | None) -> tuple[bool, Decimal]:
    """Sort undefined figures ("n/d") after every defined one."""
    return (value is None, Decimal(0) if value is None else value)


def statistics_columns() -> list[Column[MemberStatisticsRow]]:
    def pairs(row: MemberStatisticsRow) -> str:
        return _("Computed on {count} pairs (member's value, mean of the others).").format(
            count=row.figures.pairs
        )

    return [
        Column(_("Member"), _name, lambda r: r.name.casefold()),
        Column(_("Proposals"), lambda r: str(r.figures.proposals),
               lambda r: r.figures.proposals, align_right=True),
        Column(_("Values"), lambda r: str(r.figures.values),
               lambda r: r.figures.values, align_right=True),
        Column(_("Mean"), lambda r: figure_text(r.figures.mean),
               lambda r: _undefined(r.figures.mean), align_right=True),
        Column(_("Standard deviation"), lambda r: figure_text(r.figures.spread),
               lambda r: _undefined(r.figures.spread), align_right=True),
        Column(_("At the lowest"), lambda r: share_text(r.figures.at_lowest),
               lambda r: _undefined(r.figures.at_lowest), align_right=True),
        Column(_("At the highest"), lambda r: share_text(r.figures.at_highest),
               lambda r: _undefined(r.figures.at_highest), align_right=True),
        Column(_("Agreement with the others"), lambda r: figure_text(r.figures.correlation),
               lambda r: _undefined(r.figures.correlation), align_right=True, tooltip=pairs),
    ]  # fmt: skip


def column_notes() -> str:
    """What each column means, in words a reader can check by hand."""
    return " ".join(
        (
            _("Mean and standard deviation of the member's values."),
            _(
                "At the lowest / at the highest: the share of the member's values at the "
                "lowest or highest value the call allows (its lowest and highest level, if it "
                "lists levels)."
            ),
            _(
                "Agreement with the others: Pearson's correlation between the member's value "
                "and the mean of the other members' values on the same proposal and criterion "
                "(1: they rise together; 0: no relation; negative: opposite)."
            ),
            _("n/a: not defined (fewer than 3 pairs, or values that do not vary)."),
        )
    )


class StatisticsDialog(QDialog):
    """Every member's figures for one call, for the secretariat."""

    loaded = Signal()

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id: str | None = None
        self.view: MemberStatisticsView | None = None
        self.refusal: Any = None
        self.setWindowTitle(_("Statistics of the members"))
        fit_to_screen(self, 1100, 560)

        self.heading = heading_label(_("Statistics of the members"))
        self.heading.setText(_("Statistics of the members"))
        self.note = note_label(statistics_note())
        self.summary = text_label(name=_("What the figures come from"))
        self.model: FilteredTableModel[MemberStatisticsRow] = FilteredTableModel(
            statistics_columns(), haystack=lambda r: r.name, row_id=lambda r: r.name, parent=self
        )
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(_("Statistics of the members"))
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table = table
        self.legend = note_label(column_notes())
        self.error = error_label()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.reload_button = QPushButton(_("Re&load"))
        self.reload_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reload_button.setAccessibleName(_("Read the statistics again"))
        self.reload_button.clicked.connect(self.reload)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        ops.changed.connect(self._changed)

    def load(self, call_id: str) -> None:
        """Read the figures of ``call_id`` on the worker, then show them."""
        self.call_id = call_id
        self.setWindowTitle(_("Statistics of the members — {call_id}").format(call_id=call_id))
        self.ops.run(self, lambda ws: load_statistics(ws, call_id), self.show_view, self._failed)

    def reload(self) -> None:
        if self.call_id is not None:
            self.load(self.call_id)

    def _changed(self, changes: Changes) -> None:
        if self.isVisible() and (changes.bundles or changes.roster):
            self.reload()

    def show_view(self, view: MemberStatisticsView) -> None:
        if view.call_id != self.call_id:
            return  # an older load, for another call
        self.view = view
        self.error.setVisible(False)
        self.model.set_rows(view.rows)
        self.table.setVisible(True)
        self.summary.setText(
            n_(
                "{call_id} — {title}. From {count} accepted score bundle.",
                "{call_id} — {title}. From {count} accepted score bundles.",
                view.bundles,
            ).format(call_id=view.call_id, title=view.call_title, count=view.bundles)
        )
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, VaglioError):
            self.refusal = report(self, error)
            return
        self.view = None
        self.model.set_rows([])
        self.table.setVisible(False)
        self.summary.setText("")
        self.error.setText(str(error))
        self.error.setVisible(True)
        self.loaded.emit()
