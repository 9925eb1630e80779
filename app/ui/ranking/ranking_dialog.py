"""The secretariat's "Graduatoria": the consolidated ranking of the current call.

A non-modal window (like the completeness matrix): the ranked proposals,
then the excluded ones with the reason in words, and above them whether the
ranking is approved (date and the document's SHA-256), which members sent no
bundle and which ties wait for the lottery. Enter or a double click opens a
proposal's drill-down. The buttons ask :class:`~app.ui.ranking.ranking_menu.RankingActions`
for the lottery, the approval, the exports and the funding page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime, format_decimal
from app.services.ranking_views import ProposalDrillDown, RankingView
from app.ui.common.disabled import enable
from app.ui.common.empty_hint import EmptyHint
from app.ui.common.empty_texts import ranking_hint
from app.ui.common.long_step import LongStepDialog
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import WARNING_STYLE, error_label, explain, heading_label, text_label
from app.ui.ranking.drill_down_dialog import DrillDownDialog
from app.ui.ranking.ranking_model import FLAG, ExcludedModel, RankingModel

if TYPE_CHECKING:
    from app.services.steps import Cancel, Progress
    from app.services.unlocking import OpenWorkspace

APPROVED_STYLE = "color: #1d5e20; font-weight: bold;"
RANKED_WIDTHS = (44, 70, 190, 66)
EXCLUDED_WIDTHS = (70, 250, 250, 66)
CRITERION_WIDTH = 114
TIE_WIDTH = 180
ROW_HEIGHT = 26
TAB_RANKED, TAB_EXCLUDED = range(2)


def funding_locked_reason() -> str:
    return _("Matchfunding opens once the ranking is approved.")


class WrappingDelegate(QStyledItemDelegate):
    """Wraps the text of one column (the tie-break's long wording) while the
    other columns stay on one line, elided. The table's own ``wordWrap`` must
    be on, or rows are not measured against the column's width."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.column = -1

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        wrap = QStyleOptionViewItem.ViewItemFeature.WrapText
        if index.column() == self.column:
            option.features |= wrap
        else:
            option.features &= ~wrap


def load_ranking(
    ws: OpenWorkspace,
    call_id: str,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> RankingView:
    """The ranking as it stands (computed, or read back once approved)."""
    from app.services.ranking import ranking_view
    from app.services.steps import no_progress

    return ranking_view(ws, call_id, progress=progress or no_progress, cancel=cancel)


def ranking_step(parent: QWidget, ops: Ops, call_id: str, done: Any, failed: Any) -> LongStepDialog:
    """Compute the ranking of ``call_id`` on the worker behind a progress
    dialog with *Interrompi* (a regional call's ranking takes seconds)."""
    step = LongStepDialog(
        parent, _("Ranking — {call_id}").format(call_id=call_id), _("Computing the ranking…")
    )
    step.start(
        ops, lambda ws, progress, cancel: load_ranking(ws, call_id, progress, cancel), done, failed
    )
    return step


class RankingDialog(QDialog):
    """The ranking of one call; ``load`` fills it from the worker."""

    loaded = Signal(object)  # RankingView
    lottery_requested = Signal()
    collegial_requested = Signal()
    discussion_requested = Signal()
    approval_requested = Signal()
    export_requested = Signal()
    publication_requested = Signal()
    funding_requested = Signal()

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id: str | None = None
        self.view: RankingView | None = None
        self.drill_down: DrillDownDialog | None = None
        self.step: LongStepDialog | None = None  # the last computation, perhaps running
        self.step_call: str | None = None
        self.setWindowTitle(_("Ranking"))
        fit_to_screen(self, 1280, 680)

        self.heading = heading_label(_("Call"))
        self.approval = text_label(name=_("Approval"))
        self.rules = text_label(name=_("Rules of the ranking"))
        self.warnings = text_label(name=_("Warnings"))
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setVisible(False)
        self.lotteries = text_label(name=_("Lotteries drawn"))
        self.lotteries.setVisible(False)
        self.message = text_label(name=_("Last operation"))
        self.message.setVisible(False)
        self.error = error_label()

        self.ranked_model = RankingModel(self)
        self.excluded_model = ExcludedModel(self)
        self.wrapping = WrappingDelegate(self)
        self.ranked = self._table(self.ranked_model, _("Ranked proposals"))
        self.empty_hint = EmptyHint(self.ranked)
        self.ranked.setItemDelegate(self.wrapping)
        self.ranked.setWordWrap(True)
        self.excluded = self._table(self.excluded_model, _("Proposals not in the ranking"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Ranking"))
        self.tabs.addTab(self.ranked, _("Ranked"))
        self.tabs.addTab(self.excluded, _("Not ranked"))

        self.detail_button = self._button(_("&Detail…"), _("Open the selected proposal's detail"))
        self.detail_button.clicked.connect(self.open_detail)
        self.lottery_button = self._button(
            _("Record the drawn &number…"), _("Record the publicly drawn lottery number")
        )
        self.lottery_button.clicked.connect(self.lottery_requested)
        self.collegial_button = self._button(
            _("Co&llegial scores…"), _("Record the commission's collegial scores")
        )
        self.collegial_button.clicked.connect(self.collegial_requested)
        self.collegial_button.setVisible(False)  # only under the collegial method
        self.discussion_button = self._button(
            _("D&iscussions…"), _("Record what the commission did about the dispersion flags")
        )
        self.discussion_button.clicked.connect(self.discussion_requested)
        self.approve_button = self._button(_("&Approve…"), _("Approve the ranking"))
        self.approve_button.clicked.connect(self.approval_requested)
        self.export_button = self._button(_("E&xport…"), _("Export the ranking"))
        self.export_button.clicked.connect(self.export_requested)
        self.publication_button = self._button(
            _("Export for &publication…"), _("Export the approved ranking for publication")
        )
        self.publication_button.clicked.connect(self.publication_requested)
        self.funding_button = self._button(_("&Matchfunding…"), _("Open the matchfunding page"))
        self.funding_button.clicked.connect(self.funding_requested)
        self.close_button = self._button(_("&Close"), "")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.detail_button, self.lottery_button, self.collegial_button,
                       self.discussion_button, self.approve_button, self.export_button,
                       self.publication_button,
                       self.funding_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.approval)
        layout.addWidget(self.rules)
        layout.addWidget(self.warnings)
        layout.addWidget(self.lotteries)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._update_buttons()

    def _table(self, model: Any, name: str) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        # A long title ends in "…" within its column; its tooltip has it whole.
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        table.doubleClicked.connect(lambda _index: self.open_detail())
        table.installEventFilter(self)
        return table

    @staticmethod
    def _button(text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter in a table opens the detail, not a button
        if name:
            button.setAccessibleName(name)
        return button

    # -- loading ---------------------------------------------------------------

    def load(self, call_id: str) -> None:
        """Compute (or read back) the ranking of ``call_id`` on the worker,
        with its progress and a Stop that leaves the window as it was."""
        self.call_id = call_id
        self.setWindowTitle(_("Ranking — {call_id}").format(call_id=call_id))
        running = self.step is not None and not self.step.finished_step
        if running and self.step_call == call_id:
            return  # the computation running now will show it
        self.step_call = call_id
        self.step = ranking_step(self, self.ops, call_id, self._loaded, self._failed)

    def _loaded(self, view: RankingView) -> None:
        if view.call_id == self.call_id:
            self.show_view(view)

    def _failed(self, error: BaseException) -> None:
        explain(self.error, error)

    def show_view(self, view: RankingView) -> None:
        """Show ``view`` (also after the lottery or the approval, which return it)."""
        selected = self.selected_proposal()
        self.view = view
        self.call_id = view.call_id
        self.error.setVisible(False)
        self.heading.setText(f"{view.call_id} — {view.call_title}")
        self.ranked_model.set_view(view)
        self.excluded_model.set_view(view)
        self._size_columns(self.ranked, RANKED_WIDTHS, len(view.criteria))
        self._size_columns(self.excluded, EXCLUDED_WIDTHS, len(view.criteria))
        tie_column = self.ranked_model.columnCount() - 1
        self.wrapping.column = tie_column
        self.ranked.setColumnWidth(tie_column, TIE_WIDTH)
        self.ranked.resizeRowsToContents()
        self.tabs.setTabText(TAB_RANKED, _("Ranked ({count})").format(count=len(view.rows)))
        self.tabs.setTabText(
            TAB_EXCLUDED, _("Not ranked ({count})").format(count=len(view.excluded))
        )
        self._show_status(view)
        self.empty_hint.set_text(ranking_hint(view))
        self._update_buttons()
        self.select(selected or "")
        self.loaded.emit(view)

    def _size_columns(self, table: QTableView, widths: tuple[int, ...], criteria: int) -> None:
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        for column in range(len(widths), len(widths) + criteria):
            table.setColumnWidth(column, CRITERION_WIDTH)
        after = len(widths) + criteria
        table.setColumnWidth(after, 78)  # evaluators
        table.setColumnWidth(after + 1, 124)  # flags

    def _show_status(self, view: RankingView) -> None:
        if view.approved_at is not None:
            self.approval.setText(
                "✔ "
                + _("Approved on {moment}; SHA-256 {digest}.").format(
                    moment=format_datetime(view.approved_at), digest=view.document_sha256 or "—"
                )
            )
            self.approval.setStyleSheet(APPROVED_STYLE)
        else:
            self.approval.setText(
                _(
                    "Not approved yet: the ranking is computed now from the score bundles "
                    "received. {reason}"
                ).format(reason=funding_locked_reason())
            )
            self.approval.setStyleSheet("")
        self.rules.setText(
            _(
                "Threshold {threshold} points; at least {quorum} evaluators per proposal; "
                "{bundles} score bundles received. {flag} marks a criterion on which the "
                "members' scores are far apart."
            ).format(
                threshold=format_decimal(view.grid.threshold, view.grid.decimals),
                quorum=view.grid.min_evaluators,
                bundles=len(view.bundles),
                flag=FLAG,
            )
        )
        warnings = []
        if view.members_without_bundle:
            warnings.append(
                _("No bundle yet from: {names}.").format(
                    names=", ".join(view.members_without_bundle)
                )
            )
        waiting = [e.proposal for e in view.excluded if e.reason == "collegial_pending"]
        if waiting:
            warnings.append(
                _(
                    "The commission has not agreed every collegial score of {proposals} yet: "
                    "record them (Collegial scores…) before approving."
                ).format(proposals=", ".join(waiting))
            )
        for group in view.pending_lottery:
            warnings.append(
                _(
                    "{tied} are tied after every criterion of the call: record the publicly "
                    "drawn number for the lottery."
                ).format(tied=", ".join(group))
            )
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        lotteries = [
            _("Lottery among {tied}: drawn number {number}, seed {seed}, order {order}.").format(
                tied=", ".join(lo.tied), number=lo.number, seed=lo.seed, order=", ".join(lo.order)
            )
            for lo in view.lotteries
        ]
        self.lotteries.setText("\n".join(lotteries))
        self.lotteries.setVisible(bool(lotteries))

    def _update_buttons(self) -> None:
        view = self.view
        approved = view is not None and view.approved
        loading = _("The ranking is being computed…")
        frozen = _("The ranking is approved: it can no longer change.")
        enable(self.detail_button, view is not None, loading)
        enable(self.export_button, view is not None, loading)
        enable(
            self.lottery_button,
            view is not None and not approved and bool(view.pending_lottery),
            loading if view is None else frozen if approved else _("No tie needs a lottery."),
        )
        enable(self.approve_button, view is not None and not approved,
               loading if view is None else frozen)  # fmt: skip
        self.collegial_button.setVisible(view is not None and view.grid.scoring.collegial)
        enable(self.collegial_button, view is not None and not approved,
               loading if view is None else frozen)  # fmt: skip
        enable(self.funding_button, approved, funding_locked_reason())
        enable(self.publication_button, approved,
               _("The ranking is published after its approval."))  # fmt: skip

    def tell(self, text: str) -> None:
        """A line about the last operation (an export, say)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- selection and drill-down --------------------------------------------

    def current_table(self) -> QTableView:
        return self.excluded if self.tabs.currentIndex() == TAB_EXCLUDED else self.ranked

    def selected_proposal(self) -> str | None:
        table = self.current_table()
        index = table.currentIndex()
        if not index.isValid():
            return None
        model = table.model()
        assert isinstance(model, RankingModel | ExcludedModel)
        return model.proposal_at(index.row())

    def select(self, proposal: str) -> bool:
        """Make ``proposal`` the current line (in whichever table holds it)."""
        for tab, table, model in (
            (TAB_RANKED, self.ranked, self.ranked_model),
            (TAB_EXCLUDED, self.excluded, self.excluded_model),
        ):
            row = model.row_of(proposal)
            if row >= 0:
                self.tabs.setCurrentIndex(tab)
                table.selectRow(row)
                table.scrollTo(model.index(row, 0))
                return True
        if self.ranked_model.rowCount():
            self.ranked.selectRow(0)
        return False

    def open_detail(self) -> None:
        proposal, call_id = self.selected_proposal(), self.call_id
        if proposal is None or call_id is None:
            return

        def drill(ws: OpenWorkspace) -> ProposalDrillDown:
            from app.services.ranking import drill_down

            return drill_down(ws, call_id, proposal)

        self.ops.run(self, drill, self._show_detail, self._failed)

    def _show_detail(self, detail: ProposalDrillDown) -> None:
        places = self.view.grid.decimals if self.view is not None else 2
        previous = self.drill_down
        if previous is not None and not previous.isVisible():
            previous.deleteLater()
        self.drill_down = DrillDownDialog(detail, places, self)
        self.drill_down.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched in (self.ranked, self.excluded)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_detail()
            return True
        return super().eventFilter(watched, event)
