"""The secretariat's "Cofinanziamento" (matchfunding) page, once the ranking
is approved: the projects in ranking order with their campaign and the
city's contribution, the import of the campaign results (all or nothing,
every problem with its row and column), the commitments and payments per
funded project, and the call's four amounts as figures and as a chart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date, format_decimal, format_money, language, n_
from app.labels import overshoot_label, stage_label
from app.services.errors import ImportRefusedError
from app.services.ranking_views import FundingRecordView, FundingView
from app.services.rulebook import NumberError, read_amount
from app.ui.common.disabled import enable
from app.ui.common.empty_hint import EmptyHint
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.template_download import TemplateDownload
from app.ui.common.widgets import (
    WARNING_STYLE,
    ProblemList,
    error_label,
    explain,
    heading_label,
    text_label,
    today_as_qdate,
)
from app.ui.funding.funding_chart import FundingChart
from app.ui.funding.funding_model import ProjectModel, RecordModel

if TYPE_CHECKING:
    from app.services.funding import CampaignsImported, FundingRecorded
    from app.services.unlocking import OpenWorkspace

STAGES = ("giuridicamente_vincolante", "erogato")
TOTALS = ("programmato", "ammesso", "giuridicamente_vincolante", "erogato")
TAB_PROJECTS, TAB_PROGRESS = range(2)
PROJECT_WIDTHS = (44, 70, 240, 100, 100, 100, 84, 180, 110, 100)
RECORD_WIDTHS = (84, 64, 186, 96, 210)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _table(model: Any, name: str, widths: tuple[int, ...]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


class FundingDialog(QDialog):
    """Matchfunding and financial progress of one call."""

    loaded = Signal(object)  # FundingView
    changed = Signal(str)  # what was done, in words

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id: str | None = None
        self.view: FundingView | None = None
        self.file_dialog: QFileDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(_("Matchfunding"))
        fit_to_screen(self, 1280, 680)

        self.heading = heading_label(_("Call"))
        self.parameters = text_label(name=_("Matchfunding rules"))
        self.locked = text_label(name=_("Why matchfunding is not available"))
        self.locked.setStyleSheet(WARNING_STYLE)
        self.locked.setVisible(False)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Matchfunding"))
        self.tabs.addTab(self._projects_tab(), _("&Projects"))
        self.tabs.addTab(self._progress_tab(), _("Commitments and pa&yments"))
        progress = self._totals_box()
        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.addWidget(self.tabs)
        self.body.addWidget(progress)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 0)
        self.body.setChildrenCollapsible(False)
        self.body.setSizes([560, 230])

        self.message = text_label(name=_("Last operation"))
        self.error = error_label()
        close = QPushButton(_("&Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.parameters)
        layout.addWidget(self.locked)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)
        self.body.setEnabled(False)

    # -- construction ----------------------------------------------------------

    def _projects_tab(self) -> QWidget:
        self.project_model = ProjectModel(self)
        self.projects = _table(self.project_model, _("Projects"), PROJECT_WIDTHS)
        self.import_button = QPushButton(_("&Import campaign results…"))
        self.import_button.setAutoDefault(False)
        self.import_button.setAccessibleName(_("Import the campaign results (CSV or XLSX)"))
        self.import_button.clicked.connect(self.choose_campaigns)
        self.template = TemplateDownload(self, self.ops, "campaigns", self.tell)
        hint = text_label()
        hint.setText(
            _(
                "The platform's file: columns proposta, raccolto, sostenitori, chiuso_il "
                "(or proposal, raised, backers, closed_on). It is taken whole or not at all."
            )
        )
        self.problems = ProblemList("")
        self.problems.setMaximumHeight(190)  # the projects stay in sight
        self.problems.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.template.button)
        row.addWidget(hint, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.projects, 3)
        layout.addLayout(row)
        layout.addWidget(self.problems, 1)
        return page

    def _progress_tab(self) -> QWidget:
        self.project_box = QComboBox()
        self.project_box.setAccessibleName(_("Funded project"))
        self.project_box.currentIndexChanged.connect(self._project_chosen)
        self.stage_box = QComboBox()
        self.stage_box.setAccessibleName(_("Stage"))
        for stage in STAGES:
            self.stage_box.addItem(_capitalised(stage_label(stage)), stage)
        self.amount = QLineEdit()
        self.amount.setAccessibleName(_("Amount in euro"))
        self.amount.setPlaceholderText(_("for example 12.500,00"))
        self.date = QDateEdit(today_as_qdate())
        self.date.setAccessibleName(_("Date of the act"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(language().qt_date)
        self.document = QLineEdit()
        self.document.setAccessibleName(_("Reference of the act"))
        self.document.setPlaceholderText(_("for example Determina n. 123 del 12/03/2021"))
        self.document.returnPressed.connect(self.record)
        self.project_note = text_label(name=_("The project's figures"))
        self.record_button = QPushButton(_("&Record"))
        self.record_button.setAutoDefault(False)
        self.record_button.setAccessibleName(_("Record the commitment or payment"))
        self.record_button.clicked.connect(self.record)
        self.record_error = error_label()
        form = QFormLayout()
        for text, widget in (
            (_("Pro&ject:"), self.project_box),
            (_("&Stage:"), self.stage_box),
            (_("&Amount:"), self.amount),
            (_("&Date:"), self.date),
            (_("Ac&t:"), self.document),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.project_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow("", self.record_error)

        self.record_model = RecordModel(self)
        self.records = _table(self.record_model, _("Commitments and payments"), RECORD_WIDTHS)
        self.empty_hint = EmptyHint(
            self.records,
            _(
                "Nothing recorded yet: choose a funded project on the left and record its "
                "commitment."
            ),
        )
        self.remove_button = QPushButton(_("Re&move…"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.setAccessibleName(_("Remove the selected record"))
        self.remove_button.clicked.connect(self.ask_remove)
        records_label = QLabel(_("Recorded so &far:"))
        records_label.setBuddy(self.records)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        entry = QWidget()
        entry.setLayout(form)
        # The form scrolls rather than cut its notes on a short screen.
        entry_area = QScrollArea()
        entry_area.setWidgetResizable(True)
        entry_area.setFrameShape(QFrame.Shape.NoFrame)
        entry_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        entry_area.setWidget(entry)
        entry_area.setMinimumWidth(400)
        entry_area.setMaximumWidth(560)
        listing = QVBoxLayout()
        listing.addWidget(records_label)
        listing.addWidget(self.records, 1)
        listing.addLayout(remove_row)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addWidget(entry_area, 0)
        layout.addSpacing(12)
        layout.addLayout(listing, 1)
        return page

    def _totals_box(self) -> QGroupBox:
        box = QGroupBox(_("Financial progress of the call"))
        form = QFormLayout()
        self.totals: dict[str, QLabel] = {}
        for key in TOTALS:
            title = _capitalised(stage_label(key))
            value = text_label(name=title)
            value.setWordWrap(False)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.totals[key] = value
            form.addRow(title + ":", value)
        self.remaining = text_label(name=_("Still free in the fund"))
        self.remaining.setWordWrap(False)
        self.remaining.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(_("Still free in the fund:"), self.remaining)
        self.chart = FundingChart()
        figures = QWidget()
        figures.setLayout(form)
        figures.setFixedWidth(380)
        layout = QHBoxLayout(box)
        layout.addWidget(figures, 0, Qt.AlignmentFlag.AlignTop)
        layout.addSpacing(24)
        layout.addWidget(self.chart, 1, Qt.AlignmentFlag.AlignTop)
        return box

    # -- loading ---------------------------------------------------------------

    def load(self, call_id: str) -> None:
        self.call_id = call_id
        self.setWindowTitle(_("Matchfunding — {call_id}").format(call_id=call_id))
        self.heading.setText(_("Matchfunding — {call_id}").format(call_id=call_id))

        def view(ws: OpenWorkspace) -> FundingView:
            from app.services.funding import funding_view

            return funding_view(ws, call_id)

        self.ops.run(self, view, self.show_view, self._unavailable)

    def _unavailable(self, error: BaseException) -> None:
        from app.services.ranking_errors import RankingNotApprovedError

        if isinstance(error, RankingNotApprovedError):
            self.view = None
            self.locked.setText(
                str(error) + " " + _("Matchfunding opens once the ranking is approved.")
            )
            self.locked.setVisible(True)
            self.body.setEnabled(False)
            return
        explain(self.error, error)

    def show_view(self, view: FundingView) -> None:
        if view.call_id != self.call_id:
            return
        self.view = view
        self.locked.setVisible(False)
        self.error.setVisible(False)
        self.body.setEnabled(True)
        allocation = (
            _("in ranking order, stopping at the first project that does not fit")
            if view.rule.allocation == "strict_order"
            else _("skipping the projects that do not fit")
        )
        lines = [
            _("Fund {fund}; crowd share {share}%; at most {cap} per project; {days} days.").format(
                fund=format_money(view.rule.fund),
                share=format_decimal(view.rule.crowd_share * 100, 0),
                cap=format_money(view.rule.cap),
                days=view.rule.campaign_days,
            )
            + " "
            + _("Allocation: {rule}.").format(rule=allocation),
            _("Contribution: {rule}.").format(rule=overshoot_label(view.rule.overshoot)),
        ]
        if view.window_start is not None and view.window_end is not None:
            lines.append(
                _("Campaign window: {start} to {end}.").format(
                    start=format_date(view.window_start), end=format_date(view.window_end)
                )
            )
        self.parameters.setText("\n".join(lines))
        self.project_model.set_view(view)
        self.record_model.set_view(view)
        totals = view.totals
        amounts = {
            "programmato": totals.programmato,
            "ammesso": totals.ammesso,
            "giuridicamente_vincolante": totals.giuridicamente_vincolante,
            "erogato": totals.erogato,
        }
        for key, amount in amounts.items():
            self.totals[key].setText(format_money(amount))
        self.remaining.setText(format_money(view.remaining))
        self.chart.set_amounts([(_capitalised(stage_label(k)), amounts[k]) for k in TOTALS])
        self._fill_projects()
        enable(self.remove_button, bool(view.records), _("Nothing recorded yet to remove."))
        self.loaded.emit(view)

    def _fill_projects(self) -> None:
        current = self.project_box.currentData()
        funded = self.project_model.funded()
        self.project_box.blockSignals(True)
        self.project_box.clear()
        for project in funded:
            self.project_box.addItem(f"{project.proposal} — {project.title}", project.proposal)
        index = self.project_box.findData(current)
        self.project_box.setCurrentIndex(max(0, index))
        self.project_box.blockSignals(False)
        enable(self.record_button, bool(funded),
               _("No project is funded yet: record the campaigns' results first."))  # fmt: skip
        self._project_chosen()

    def _project_chosen(self, *_args: Any) -> None:
        proposal = self.project_box.currentData()
        project = next((p for p in self.project_model.funded() if p.proposal == proposal), None)
        if project is None:
            self.project_note.setText(
                _("No funded project yet: commitments and payments are recorded for funded "
                  "projects, after the campaign results are imported.")
            )  # fmt: skip
            return
        self.project_note.setText(
            _("Contribution {matched}; committed {committed}; paid {paid}.").format(
                matched=format_money(project.matched),
                committed=format_money(project.committed),
                paid=format_money(project.paid),
            )
        )

    def tell(self, text: str) -> None:
        self.message.setText(text)
        self.changed.emit(text)

    # -- campaign results ------------------------------------------------------

    def choose_campaigns(self) -> None:
        dialog = QFileDialog(self, _("Campaign results"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Campaign results (*.csv *.xlsx)"), _("All files (*)")])
        dialog.fileSelected.connect(lambda path: self.import_campaigns(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def import_campaigns(self, path: Path) -> None:
        """Take in ``path`` on the worker, then show the new allocation."""
        call_id = self.call_id
        if call_id is None:
            return
        self.import_button.setEnabled(False)

        def take_in(ws: OpenWorkspace) -> CampaignsImported:
            from app.services.funding import import_campaigns

            return import_campaigns(ws, call_id, path)

        self.ops.run(self, take_in, self._imported, self._import_refused)

    def _imported(self, result: CampaignsImported) -> None:
        self.import_button.setEnabled(True)
        self.problems.show_problems("", [])
        self.tell(result.sentence())
        if self.call_id is not None:
            self.load(self.call_id)

    def _import_refused(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        if isinstance(error, ImportRefusedError):
            heading = n_(
                "{source} refused ({count} problem), nothing imported",
                "{source} refused ({count} problems), nothing imported",
                len(error.problems),
            ).format(source=error.source, count=len(error.problems))
            self.problems.show_problems(heading, [(p.where, p.message) for p in error.problems])
            self.tabs.setCurrentIndex(TAB_PROJECTS)
            return
        explain(self.error, error)

    # -- commitments and payments ----------------------------------------------

    def record(self) -> None:
        """Check the form, then record on the worker (the service checks again)."""
        call_id, proposal = self.call_id, self.project_box.currentData()
        if call_id is None or proposal is None:
            return
        text = self.amount.text()
        try:
            amount = read_amount(text)
        except NumberError as error:
            self.record_error.setText(
                _("The amount is required: write for example 12.500,00.")
                if error.reason == "empty"
                else error.sentence + "."
            )
            self.record_error.setVisible(True)
            self.amount.setFocus()
            return
        stage = str(self.stage_box.currentData())
        qdate = self.date.date()
        on_date = dt.date(qdate.year(), qdate.month(), qdate.day())
        document = self.document.text()
        self.record_error.setVisible(False)
        self.record_button.setEnabled(False)

        def record(ws: OpenWorkspace) -> FundingRecorded:
            from app.services.funding import record_progress

            return record_progress(
                ws,
                call_id,
                proposal,
                stage=stage,
                amount=amount,
                on_date=on_date,
                document=document,
            )

        self.ops.run(
            self,
            record,
            lambda recorded: self._recorded(recorded.view, proposal, stage, amount),
            self._record_refused,
        )

    def _recorded(self, view: FundingView, proposal: str, stage: str, amount: Decimal) -> None:
        self.record_button.setEnabled(True)
        self.amount.clear()
        self.document.clear()
        self.show_view(view)
        self.tell(
            _("Recorded for {proposal}: {stage}, {amount}.").format(
                proposal=proposal, stage=stage_label(stage), amount=format_money(amount)
            )
        )

    def _record_refused(self, error: BaseException) -> None:
        self.record_button.setEnabled(True)
        explain(self.record_error, error)

    def selected_record(self) -> FundingRecordView | None:
        index = self.records.currentIndex()
        if not index.isValid():
            return None
        return self.record_model.row_at(index.row())

    def ask_remove(self) -> None:
        record = self.selected_record()
        if record is None:
            self.tell(_("Select a record in the list first."))
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Remove a record"),
            _(
                "Remove the record of {date} for {proposal} ({stage}, {amount}, {document})? "
                "The removal is kept in the audit log."
            ).format(
                date=format_date(record.on_date),
                proposal=record.proposal,
                stage=stage_label(record.stage),
                amount=format_money(record.amount),
                document=record.document,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda button: self.remove(record) if button == QMessageBox.StandardButton.Yes else None
        )
        self.confirmation = box
        box.open()

    def remove(self, record: FundingRecordView) -> None:
        call_id = self.call_id
        if call_id is None:
            return

        def remove(ws: OpenWorkspace) -> FundingRecorded:
            from app.services.funding import remove_record

            return remove_record(ws, call_id, record.id)

        self.ops.run(
            self,
            remove,
            lambda removed: self._removed(removed.view, record),
            lambda error: explain(self.record_error, error),
        )

    def _removed(self, view: FundingView, record: FundingRecordView) -> None:
        self.show_view(view)
        self.tell(
            _("Record of {date} for {proposal} removed.").format(
                date=format_date(record.on_date), proposal=record.proposal
            )
        )
