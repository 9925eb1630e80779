"""The call editor: a call's fields, its scoring rules, the criteria grid and
the matchfunding rule, before publication.

The form writes the definition's TOML text (``app/ui/call_toml.py``) and
hands it to the same use case as ``vaglio call create`` (or the update of a
draft call), so the validation is the command line's. Every problem comes
back at once and is listed inside the dialog, which stays open; activating a
problem takes the keyboard to its field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import today_in_rome
from app.i18n import _, format_decimal, n_
from app.labels import (
    allocation_label,
    overshoot_label,
    rescale_label,
    rounding_label,
    ties_label,
)
from app.services.rulebook import (
    ALLOCATIONS,
    METHODS,
    OVERSHOOTS,
    RESCALES,
    ROUNDINGS,
    TIES,
    CallDefinition,
    CallDefinitionError,
    NumberError,
    read_number,
)
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import EditableTable, ProblemList, error_label, explain, note_label
from app.ui.setup.call_acts_tab import ActsTab
from app.ui.setup.call_form import (
    CRITERION_COLUMNS,
    PARENT,
    CallForm,
    criteria_places,
    filled_levels,
    non_blank,
    to_document,
)
from app.ui.setup.tie_break_editor import TieBreakEditor

if TYPE_CHECKING:
    from app.services.call_setup import CallUpdated
    from app.services.calls import CallCreated
    from app.services.unlocking import OpenWorkspace

WHERE = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?(?:\[(\d+)\])?$")
CRITERION_WHERE = re.compile(r"^(criteria\[\d+\](?:\.sub\[\d+\])?)(?:\.(\w+))?$")
TAB_CALL, TAB_SCORING, TAB_CRITERIA, TAB_MATCHFUNDING, TAB_ACTS = range(5)
SECTION_TABS = {
    "call": TAB_CALL,
    "scoring": TAB_SCORING,
    "criteria": TAB_CRITERIA,
    "matchfunding": TAB_MATCHFUNDING,
    "acts": TAB_ACTS,
    "commission": TAB_ACTS,
}


def method_labels() -> dict[str, str]:
    return {name: method.label() for name, method in METHODS.items()}


def rescale_labels() -> dict[str, str]:
    return {code: rescale_label(code) for code in RESCALES}


def rounding_labels() -> dict[str, str]:
    return {code: rounding_label(code) for code in ROUNDINGS}


def ties_labels() -> dict[str, str]:
    return {code: ties_label(code) for code in TIES}


def allocation_labels() -> dict[str, str]:
    return {code: allocation_label(code) for code in ALLOCATIONS}


def overshoot_labels() -> dict[str, str]:
    return {code: overshoot_label(code) for code in OVERSHOOTS}


def new_call_form() -> CallForm:
    """What a new call starts from: the rules of the 2020 edition, no grid yet."""
    labels = [
        _("not assessable"),
        _("insufficient"),
        _("sufficient"),
        _("fair"),
        _("good"),
        _("excellent"),
    ]
    values = ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    return CallForm(
        deadline=today_in_rome() + dt.timedelta(days=60),
        levels=list(zip(values, labels, strict=True)),
        scoring={"threshold": "60", "dispersion_flag": "0.6"},
        integers={"min_evaluators": 3, "decimals": 2, "justification_min_chars": 20},
        tie_break=["lower_request", "lottery"],
        matchfunding={"crowd_share": "0.40", "cap": "60000.00", "max_project_cost": "100000.00"},
    )


def _combo(labels: dict[str, str], accessible: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(accessible)
    for value, label in labels.items():
        box.addItem(label, value)
    return box


def _spin(minimum: int, maximum: int, accessible: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setAccessibleName(accessible)
    return spin


def _plain(label: str) -> str:
    """A field's name from its label: no mnemonic, no colon."""
    return label.replace("&", "").rstrip(": ")


class CallEditorDialog(QDialog):
    """Create a call, or edit a draft call's definition and grid."""

    saved = Signal(str)  # call id

    def __init__(
        self,
        ops: Ops,
        form: CallForm,
        *,
        call_id: str | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.setWindowTitle(
            _("New call") if call_id is None else _("Edit call {call_id}").format(call_id=call_id)
        )
        fit_to_screen(self, 1040, 680)
        # key -> (tab, widget, label) for taking people to a problem
        self.fields: dict[str, tuple[int, QWidget, str]] = {}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Parts of the call definition"))
        self.tabs.addTab(self._call_tab(), _("Ca&ll"))
        self.tabs.addTab(self._scoring_tab(), _("Sc&oring"))
        self.tabs.addTab(self._criteria_tab(), _("Criteria &grid"))
        self.tabs.addTab(self._matchfunding_tab(), _("&Matchfunding"))
        self.acts = ActsTab()
        self.tabs.addTab(self.acts, _("Ac&ts"))
        for key, (widget, label) in self.acts.fields.items():
            self.fields[key] = (TAB_ACTS, widget, label)

        self.problems = ProblemList("")
        self.problems.setVisible(False)
        self.problems.activated.connect(self._go_to_problem)
        self.problem_keys: list[str] = []
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("&Save") if call_id else _("&Create the call"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        intro = note_label(
            _(
                "Write amounts and points as 550000.00 or 550.000,00; the grid can change "
                "until the call is published. When something needs fixing, it is listed "
                "below the form: double-click it to go to its field."
            )
        )
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.problems)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.set_form(form)

    # -- building the tabs -----------------------------------------------------

    def _add(
        self, layout: QFormLayout, tab: int, key: str, label_text: str, widget: QWidget
    ) -> None:
        label = QLabel(label_text)
        label.setBuddy(widget)
        widget.setAccessibleName(_plain(label_text))
        layout.addRow(label, widget)
        self.fields[key] = (tab, widget, _plain(label_text))

    def _line(self, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        return edit

    def _call_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.call_edits: dict[str, QLineEdit] = {}
        for key, label, placeholder in (
            ("id", _("Call &id:"), "MI-CC-2021"),
            ("title", _("&Title:"), ""),
            ("authority", _("Aut&hority:"), _("e.g. Comune di Milano")),
            ("programme", _("&Programme:"), _("e.g. PON Metro 2014-2020, Asse 3")),
            ("project_code", _("Pro&ject code:"), "MI3.3.1.c"),
            ("cup", _("&CUP:"), "B49J17000100006"),
            ("programmed_amount", _("Programmed amou&nt (€):"), "550000.00"),
        ):
            edit = self._line(placeholder)
            self.call_edits[key] = edit
            self._add(form, TAB_CALL, f"call.{key}", label, edit)
        self.call_edits["id"].setToolTip(
            _("Letters, digits, '.', '_' or '-'. It cannot change once the call exists.")
        )
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("dd/MM/yyyy")
        self._add(
            form, TAB_CALL, "call.submission_deadline", _("Submission &deadline:"), self.deadline
        )
        # Optional: unticked, the call sets no deadline for the members' scores.
        self.evaluation_deadline_set = QCheckBox(_("E&valuation deadline:"))
        self.evaluation_deadline_set.setToolTip(
            _("The day by which the members send their scores; they see the days left.")
        )
        self.evaluation_deadline = QDateEdit()
        self.evaluation_deadline.setCalendarPopup(True)
        self.evaluation_deadline.setDisplayFormat("dd/MM/yyyy")
        self.evaluation_deadline.setAccessibleName(_("Evaluation deadline"))
        self.evaluation_deadline.setEnabled(False)
        self.evaluation_deadline_set.toggled.connect(self.evaluation_deadline.setEnabled)
        form.addRow(self.evaluation_deadline_set, self.evaluation_deadline)
        self.fields["call.evaluation_deadline"] = (
            TAB_CALL,
            self.evaluation_deadline,
            _("Evaluation deadline"),
        )

        self.neighbourhoods = EditableTable(
            [_("Neighbourhood")], _("Neighbourhoods"), movable=False
        )
        self.areas = EditableTable([_("Thematic area")], _("Thematic areas"), movable=False)
        lists = QGridLayout()
        for column, (table, label_text, key) in enumerate(
            (
                (self.neighbourhoods, _("Neigh&bourhoods:"), "call.neighbourhoods"),
                (self.areas, _("Thematic a&reas:"), "call.thematic_areas"),
            )
        ):
            list_label = QLabel(label_text)
            list_label.setBuddy(table.table)
            lists.addWidget(list_label, 0, column)
            lists.addWidget(table, 1, column)
            self.fields[key] = (TAB_CALL, table.table, _plain(label_text))
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(lists, 1)
        return page

    def _scoring_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.method = _combo(method_labels(), "")
        self._add(form, TAB_SCORING, "scoring.method", _("M&ethod:"), self.method)
        self.threshold = self._line("60")
        self._add(
            form, TAB_SCORING, "scoring.threshold", _("&Threshold (minimum total):"), self.threshold
        )
        self.rescale = _combo(rescale_labels(), "")
        self._add(
            form, TAB_SCORING, "scoring.rescale", _("&Rescale (riparametrazione):"), self.rescale
        )
        self.rounding = _combo(rounding_labels(), "")
        self._add(form, TAB_SCORING, "scoring.rounding", _("R&ounding of totals:"), self.rounding)
        self.ties = _combo(ties_labels(), "")
        self._add(form, TAB_SCORING, "scoring.ties", _("Equal tot&als:"), self.ties)
        self.integers = {
            "min_evaluators": _spin(1, 50, ""),
            "decimals": _spin(0, 6, ""),
            "justification_min_chars": _spin(0, 5000, ""),
        }
        self._add(
            form,
            TAB_SCORING,
            "scoring.min_evaluators",
            _("&Quorum (minimum evaluators):"),
            self.integers["min_evaluators"],
        )
        self._add(
            form,
            TAB_SCORING,
            "scoring.decimals",
            _("&Decimals of published scores:"),
            self.integers["decimals"],
        )
        self.integers["justification_min_chars"].setSuffix(" " + _("characters"))
        self._add(
            form,
            TAB_SCORING,
            "scoring.justification_min_chars",
            _("Minimum motivation le&ngth:"),
            self.integers["justification_min_chars"],
        )
        self.dispersion = self._line("0.6")
        self.dispersion.setToolTip(
            _(
                "The gap between the highest and lowest coefficient on a criterion that "
                "marks a proposal for discussion."
            )
        )
        self._add(
            form, TAB_SCORING, "scoring.dispersion_flag", _("Dis&persion flag:"), self.dispersion
        )
        self.individual = QCheckBox(_("&Individual scores in the minutes"))
        self.individual.setAccessibleName(_plain(self.individual.text()))
        form.addRow("", self.individual)
        self.fields["scoring.individual_scores_in_minutes"] = (
            TAB_SCORING,
            self.individual,
            _plain(self.individual.text()),
        )

        self.levels = EditableTable([_("Level"), _("Label")], _("Levels"))
        self.levels.table.setColumnWidth(0, 90)
        self.tie_break = TieBreakEditor(self._criteria_choices)
        levels_label = QLabel(_("Levels and la&bels:"))
        levels_label.setBuddy(self.levels.table)
        tie_label = QLabel(_("Tie-brea&k order:"))
        tie_label.setBuddy(self.tie_break.list)
        for key, widget, label in (
            ("scoring.levels", self.levels.table, levels_label.text()),
            ("scoring.level_labels", self.levels.table, levels_label.text()),
            ("scoring.tie_break", self.tie_break.list, tie_label.text()),
        ):
            self.fields[key] = (TAB_SCORING, widget, _plain(label))
        lists = QGridLayout()
        lists.addWidget(levels_label, 0, 0)
        lists.addWidget(self.levels, 1, 0)
        lists.addWidget(tie_label, 0, 1)
        lists.addWidget(self.tie_break, 1, 1)
        self.method_note = note_label("")
        self.method.currentIndexChanged.connect(self._method_changed)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.method_note)
        layout.addLayout(lists, 1)
        return page

    def _criteria_tab(self) -> QWidget:
        page = QWidget()
        self.criteria_headers = [
            _("Key"),
            _("Title"),
            _("Description"),
            _("Max points"),
            _("Min points"),
            _("Sub-criterion of"),
        ]
        self.criteria = EditableTable(self.criteria_headers, _("Criteria grid"))
        table = self.criteria.table
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((125, 250, 250, 110, 105, 130)):
            table.setColumnWidth(column, width)
        self.fields["criteria"] = (TAB_CRITERIA, table, _("Criteria grid"))
        self.total = QLabel()
        self.total.setAccessibleName(_("Maximum total"))
        self.criteria.changed.connect(self._update_total)
        self.criteria.changed.connect(self.tie_break.refresh_labels)
        note = note_label(
            _(
                "Key: a short name in lower-case letters, digits and '_' (e.g. impact), used "
                "in score files and in the tie-break order. Min points: an optional floor "
                "below which a proposal is excluded."
            )
        )
        parts_note = note_label(
            _(
                "Sub-criterion of: the key of the criterion a row is part of (members then "
                "score its parts, whose max points add up to the criterion's); blank for a "
                "criterion."
            )
        )
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(parts_note)
        layout.addWidget(self.criteria, 1)
        layout.addWidget(self.total)
        return page

    def _matchfunding_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.matchfunding: dict[str, QLineEdit] = {}
        for key, label, placeholder in (
            ("crowd_share", _("&Crowd share of the budget (0.40 = 40%):"), "0.40"),
            ("cap", _("Ca&p per project (€):"), "60000.00"),
            ("max_project_cost", _("Max&imum project cost (€):"), "100000.00"),
            ("fund", _("&Fund (€):"), "550000.00"),
        ):
            edit = self._line(placeholder)
            self.matchfunding[key] = edit
            self._add(form, TAB_MATCHFUNDING, f"matchfunding.{key}", label, edit)
        self.campaign_days = _spin(1, 365, "")
        self.campaign_days.setSuffix(" " + _("days"))
        self._add(
            form,
            TAB_MATCHFUNDING,
            "matchfunding.campaign_days",
            _("Campaign &length:"),
            self.campaign_days,
        )
        self.allocation = _combo(allocation_labels(), "")
        self._add(
            form, TAB_MATCHFUNDING, "matchfunding.allocation", _("&Allocation:"), self.allocation
        )
        self.overshoot = _combo(overshoot_labels(), "")
        self._add(
            form,
            TAB_MATCHFUNDING,
            "matchfunding.overshoot",
            _("A crowd that raises &more:"),
            self.overshoot,
        )
        note = note_label(
            _(
                "A project whose crowd raises at least the crowd share of its budget gets "
                "a contribution from the city, never above its request or the cap per "
                "project, while the fund lasts."
            )
        )
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    # -- values in and out -----------------------------------------------------

    def set_form(self, form: CallForm) -> None:
        for key, edit in self.call_edits.items():
            edit.setText(form.call.get(key, ""))
        self.call_edits["id"].setReadOnly(self.call_id is not None)
        if form.deadline is not None:
            self.deadline.setDate(QDate(form.deadline.year, form.deadline.month, form.deadline.day))
        evaluation = form.evaluation_deadline or form.deadline or today_in_rome()
        self.evaluation_deadline.setDate(QDate(evaluation.year, evaluation.month, evaluation.day))
        self.evaluation_deadline_set.setChecked(form.evaluation_deadline is not None)
        self.neighbourhoods.set_rows([[item] for item in form.neighbourhoods])
        self.areas.set_rows([[item] for item in form.thematic_areas])
        self.method.setCurrentIndex(max(0, self.method.findData(form.method)))
        self.levels.set_rows([[value, label] for value, label in form.levels])
        self.threshold.setText(form.scoring.get("threshold", ""))
        self.dispersion.setText(form.scoring.get("dispersion_flag", ""))
        self.rescale.setCurrentIndex(max(0, self.rescale.findData(form.rescale)))
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(form.rounding)))
        self.ties.setCurrentIndex(max(0, self.ties.findData(form.ties)))
        for key, spin in self.integers.items():
            spin.setValue(form.integers.get(key, spin.minimum()))
        self.individual.setChecked(form.individual_scores_in_minutes)
        self.criteria.set_rows(
            [[row.get(name, "") for name in CRITERION_COLUMNS] for row in form.criteria]
        )
        self.tie_break.set_entries(form.tie_break)
        for key, edit in self.matchfunding.items():
            edit.setText(form.matchfunding.get(key, ""))
        self.campaign_days.setValue(form.campaign_days)
        self.allocation.setCurrentIndex(max(0, self.allocation.findData(form.allocation)))
        self.overshoot.setCurrentIndex(max(0, self.overshoot.findData(form.overshoot)))
        self.acts.set_values(form.acts)
        self._method_changed()

    def form(self) -> CallForm:
        date = self.deadline.date()
        evaluation = self.evaluation_deadline.date()
        return CallForm(
            call={key: edit.text() for key, edit in self.call_edits.items()},
            deadline=dt.date(date.year(), date.month(), date.day()),
            evaluation_deadline=dt.date(evaluation.year(), evaluation.month(), evaluation.day())
            if self.evaluation_deadline_set.isChecked()
            else None,
            neighbourhoods=[row[0] for row in self.neighbourhoods.rows()],
            thematic_areas=[row[0] for row in self.areas.rows()],
            method=str(self.method.currentData()),
            levels=[(row[0], row[1]) for row in self.levels.rows()],
            scoring={
                "threshold": self.threshold.text(),
                "dispersion_flag": self.dispersion.text(),
            },
            rescale=str(self.rescale.currentData()),
            rounding=str(self.rounding.currentData()),
            ties=str(self.ties.currentData()),
            integers={key: spin.value() for key, spin in self.integers.items()},
            tie_break=self.tie_break.entries(),
            individual_scores_in_minutes=self.individual.isChecked(),
            criteria=[
                dict(zip(CRITERION_COLUMNS, row, strict=True)) for row in self.criteria.rows()
            ],
            matchfunding={key: edit.text() for key, edit in self.matchfunding.items()},
            campaign_days=self.campaign_days.value(),
            allocation=str(self.allocation.currentData()),
            overshoot=str(self.overshoot.currentData()),
            acts=self.acts.values(),
        )

    def definition(self) -> CallDefinition:
        """The form's definition, checked by the rulebook; CallDefinitionError otherwise."""
        return CallDefinition.from_document(to_document(self.form()), _("the call form"))

    def toml_text(self) -> str:
        return self.definition().to_toml()

    def _criteria_choices(self) -> list[tuple[str, str]]:
        return [(row[0].strip(), row[1].strip()) for row in self.criteria.rows() if row[0].strip()]

    def _method_changed(self) -> None:
        method = METHODS.get(str(self.method.currentData()))
        self.method_note.setText(method.note() if method is not None else "")

    def _update_total(self) -> None:
        total = Decimal(0)
        criteria = [row for row in self.criteria.rows() if not row[5].strip()]
        for row in criteria:  # a sub-criterion's points are already in its criterion's
            try:
                total += read_number(row[3])
            except NumberError:
                continue
        count = len(non_blank([row[0] for row in criteria]))
        self.total.setText(
            n_(
                "{count} criterion, maximum total {total} points",
                "{count} criteria, maximum total {total} points",
                count,
            ).format(count=count, total=format_decimal(total, 2))
        )

    # -- saving ----------------------------------------------------------------

    def save(self) -> None:
        """Validate and store through the use case; the dialog closes only on success."""
        self.error.setVisible(False)
        try:
            text = self.toml_text()
        except CallDefinitionError as error:
            self._refused(error)
            return
        self.save_button.setEnabled(False)
        call_id = self.call_id
        source = _("the call form")

        def save(ws: OpenWorkspace) -> CallCreated | CallUpdated:
            from app.services.call_setup import update_call
            from app.services.calls import create_call

            if call_id is None:
                return create_call(ws, text, source)
            return update_call(ws, call_id, text, source)

        self.ops.run(self, save, lambda result: self._saved(result.call_id), self._refused)

    def _saved(self, call_id: str) -> None:
        self.save_button.setEnabled(True)
        self.problems.show_problems("", [])
        self.saved.emit(call_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, CallDefinitionError):
            self.show_problems(
                [
                    (p.where, _("not the key of a criterion of the grid"))
                    if p.where.endswith("." + PARENT)
                    else (p.where, p.message)
                    for p in error.problems
                ]
            )
            return
        self.problems.show_problems("", [])
        explain(self.error, error)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        self.problem_keys = [where for where, _message in problems]
        heading = n_(
            "Nothing was saved: {count} problem to fix. Double-click it (or press Enter) to "
            "go to its field.",
            "Nothing was saved: {count} problems to fix. Double-click one (or press Enter) to "
            "go to its field.",
            len(problems),
        ).format(count=len(problems))
        # The form's own names: the definition's keys stay behind the screen.
        rows = [(self._describe(where), message) for where, message in problems]
        self.problems.show_problems(heading, rows)
        total = sum(self.splitter.sizes())
        wanted = min(total // 2, 60 + 32 * len(rows))
        self.splitter.setSizes([total - wanted, wanted])

    def _locate(self, where: str) -> tuple[int, QWidget, str, int | None, int]:
        """Tab, widget, name, table row and column of a problem's key."""
        if where.startswith(("acts.", "commission.")) and where in self.fields:
            tab, widget, label = self.fields[where]
            return tab, widget, label, None, 0
        criterion = CRITERION_WHERE.match(where)
        if criterion is not None:
            place, name = criterion.groups()
            row = criteria_places(self.form()).get(place)
            # "sub": the parts do not add up to the criterion's max points.
            name = "max_points" if name == "sub" else name
            column = CRITERION_COLUMNS.index(name) if name in CRITERION_COLUMNS else 0
            if row is None:
                return TAB_CRITERIA, self.criteria.table, _("Criteria grid"), None, 0
            label = _("Criterion {number}, {column}").format(
                number=row + 1, column=self.criteria_headers[column]
            )
            return TAB_CRITERIA, self.criteria.table, label, row, column
        match = WHERE.match(where)
        if match is None:
            return -1, self.tabs, where, None, 0
        section, _index, name, item = match.groups()
        key = f"{section}.{name}" if name else section
        if key not in self.fields:
            return -1, self.tabs, where, None, 0
        tab, widget, label = self.fields[key]
        position = int(item) if item is not None else None
        if position is not None and key in ("call.neighbourhoods", "call.thematic_areas"):
            table = self.neighbourhoods if key == "call.neighbourhoods" else self.areas
            filled = [i for i, row in enumerate(table.rows()) if row[0].strip()]
            position = filled[position] if position < len(filled) else None
        elif position is not None and key == "scoring.levels":
            filled = filled_levels(self.form())
            position = filled[position] if position < len(filled) else None
        column = 1 if key == "scoring.level_labels" else 0
        return tab, widget, label, position, column

    def _describe(self, where: str) -> str:
        tab, _widget, label, row, _column = self._locate(where)
        if tab < 0:
            # A key the form has no field for: name the part of the form.
            section = where.split(".", 1)[0].split("[", 1)[0]
            index = SECTION_TABS.get(section)
            return _plain(self.tabs.tabText(index)) if index is not None else _("The call")
        if row is not None and not where.startswith("criteria"):
            return _("{field}, row {row}").format(field=label, row=row + 1)
        return label

    def _go_to_problem(self, index: int) -> None:
        if not 0 <= index < len(self.problem_keys):
            return
        tab, widget, _label, row, column = self._locate(self.problem_keys[index])
        if tab < 0:
            return
        self.tabs.setCurrentIndex(tab)
        for table in (self.criteria, self.levels, self.neighbourhoods, self.areas):
            if widget is table.table:
                table.focus_cell(row if row is not None else 0, column)
                return
        if widget is self.tie_break.list and row is not None:
            self.tie_break.list.setCurrentRow(row)
        widget.setFocus()
