"""The scoring form, generated from the call's grid.

One editor per criterion: the levels with their labels (coefficient method)
or a points box (points method), and the motivation with its minimum length.
Every change becomes a named, undoable edit (``ScoreEdit``) that the main
window saves through the worker: a level at once, a motivation after a short
pause in typing or when the focus leaves it. Digits choose a level; Tab moves
on; the motivation box passes Ctrl+Z to the window's undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language, format_decimal
from app.services.views import CriterionSheetView, ScoreSheetView

TEXT_SAVE_DELAY_MS = 700
OK_COLOUR = "#1d5e20"
SHORT_COLOUR = "#8a1c1c"
DIGIT_KEYS = 10  # the digits 0-9 choose the first ten levels


@dataclass(frozen=True)
class ScoreEdit:
    """One change to one criterion: a value or a motivation, old and new."""

    call_id: str
    proposal_id: str
    key: str
    title: str
    field: str  # "value" or "justification"
    old: Any
    new: Any

    def name(self) -> str:
        """The edit as the Undo menu names it."""
        if self.field == "value":
            shown = "—" if self.new is None else format_decimal(self.new, _places(self.new))
            return _("Score for {criterion}: {value}").format(criterion=self.title, value=shown)
        return _("Motivation for {criterion}").format(criterion=self.title)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def level_text(value: Decimal) -> str:
    """A level's value as the form shows it: ``0,75``, ``3``."""
    return format_decimal(value, _places(value))


def key_cap(digit: int, button: QRadioButton) -> QLabel:
    """The digit that chooses ``button``, shown beside it like a key."""
    cap = QLabel(str(digit))
    cap.setObjectName("level-key")
    cap.setBuddy(button)
    cap.setToolTip(_("Key {digit}").format(digit=digit))
    cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
    cap.setStyleSheet(
        "border: 1px solid palette(mid); border-radius: 3px; padding: 0px 4px;"
        " color: palette(dark); font-size: 8pt;"
    )
    return cap


def _is_undo_or_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo) or event.matches(
        QKeySequence.StandardKey.Redo
    )


class MotivationEdit(QPlainTextEdit):
    """A motivation box: Tab moves on, and Ctrl+Z belongs to the window's undo."""

    left = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setMinimumHeight(56)
        self.setMaximumHeight(96)

    def event(self, event: QEvent) -> bool:
        is_override = event.type() == QEvent.Type.ShortcutOverride
        if is_override and isinstance(event, QKeyEvent) and _is_undo_or_redo(event):
            event.ignore()
            return False
        return super().event(event)

    def focusOutEvent(self, event: Any) -> None:
        self.left.emit()
        super().focusOutEvent(event)


class CriterionEditor(QFrame):
    """The value and the motivation of one criterion."""

    value_chosen = Signal(str, object)  # key, Decimal | None
    text_changed = Signal(str)  # key
    text_left = Signal(str)  # key

    def __init__(self, entry: CriterionSheetView, sheet: ScoreSheetView, parent: Any = None):
        super().__init__(parent)
        self.entry = entry
        self.criterion = criterion = entry.rule
        self.sheet = sheet
        self.grid = rules = sheet.grid
        self.key = criterion.key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)

        parent_criterion = rules.parent(criterion.key)
        if parent_criterion is not None:  # a sub-criterion: say whose part it is
            part = QLabel(
                _("Sub-criterion of «{criterion}» ({points} points in all)").format(
                    criterion=parent_criterion.title,
                    points=format_decimal(parent_criterion.max_points, 0),
                )
            )
            part.setWordWrap(True)
            part.setStyleSheet("color: palette(mid);")
            layout.addWidget(part)
        title = QLabel(
            _("{title} (up to {points} points)").format(
                title=criterion.title, points=format_decimal(criterion.max_points, 0)
            )
        )
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        # The points beside the title, so the levels (each with its key) have the width.
        self.points_label = QLabel()
        heading = QHBoxLayout()
        heading.addWidget(title, 1)
        heading.addWidget(self.points_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        if criterion.description:
            description = QLabel(criterion.description)
            description.setWordWrap(True)
            description.setStyleSheet("color: palette(mid);")
            layout.addWidget(description)

        self.buttons: list[QRadioButton] = []
        self.group: QButtonGroup | None = None
        self.spin: QDoubleSpinBox | None = None
        row = QHBoxLayout()
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        row.addLayout(grid)
        levels = rules.levels
        per_row = max(1, (len(levels) + 1) // 2) if len(levels) > 3 else len(levels)
        if levels:
            self.group = QButtonGroup(self)
            self.group.setExclusive(True)
            for index, level in enumerate(levels):
                text = format_decimal(level.value, _places(level.value))
                button = QRadioButton(f"{text} · {level.label}" if level.label else text)
                button.setAccessibleName(
                    _("{criterion}: level {value} {label}").format(
                        criterion=criterion.title, value=text, label=level.label
                    )
                )
                button.setToolTip(_("Key {digit}").format(digit=index))
                button.installEventFilter(self)
                self.group.addButton(button, index)
                self.buttons.append(button)
                cell = QHBoxLayout()
                cell.setSpacing(4)
                if index < DIGIT_KEYS:
                    cell.addWidget(key_cap(index, button))
                cell.addWidget(button)
                cell.addStretch(1)
                grid.addLayout(cell, index // per_row, index % per_row)
            self.group.idClicked.connect(self._level_clicked)
        else:
            self.spin = QDoubleSpinBox()
            upper = rules.scoring.upper(criterion)
            places = rules.scoring.places(rules.decimals)
            step = 10**-places if places else 1
            self.spin.setDecimals(places)
            # Decimal comma in Italian, point in English, whatever the system says.
            self.spin.setLocale(QLocale(current_language()))
            self.spin.setRange(-step, float(upper))
            self.spin.setSingleStep(step)
            self.spin.setSpecialValueText("—")
            self.spin.setAccessibleName(_("{criterion}: score").format(criterion=criterion.title))
            self.spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
            self.spin.editingFinished.connect(self._spin_done)
            grid.addWidget(self.spin, 0, 0)
        row.addStretch(1)
        layout.addLayout(row)

        motivation_label = QLabel(_("Motivation:"))
        self.motivation = MotivationEdit()
        self.motivation.setAccessibleName(
            _("Motivation for {criterion}").format(criterion=criterion.title)
        )
        self.motivation.setPlaceholderText(
            _("At least {count} characters.").format(count=rules.justification_min_chars)
        )
        motivation_label.setBuddy(self.motivation)
        self.motivation.textChanged.connect(lambda: self.text_changed.emit(self.key))
        self.motivation.left.connect(lambda: self.text_left.emit(self.key))
        self.motivation.textChanged.connect(self._update_counter)
        self.counter = QLabel()
        self.counter.setAccessibleName(_("Motivation length"))
        layout.addWidget(motivation_label)
        layout.addWidget(self.motivation)
        layout.addWidget(self.counter)

        self.set_value(entry.value)
        self.set_text(entry.justification)

    # -- values in and out -----------------------------------------------------

    def value(self) -> Decimal | None:
        if self.group is not None:
            checked = self.group.checkedId()
            return None if checked < 0 else self.grid.levels[checked].value
        assert self.spin is not None
        if self.spin.value() < 0:
            return None
        return Decimal(str(round(self.spin.value(), self.spin.decimals())))

    def set_value(self, value: Decimal | None) -> None:
        """Show ``value`` without emitting an edit."""
        if self.group is not None:
            self.group.setExclusive(False)
            for index, button in enumerate(self.buttons):
                button.setChecked(value is not None and self.grid.levels[index].value == value)
            self.group.setExclusive(True)
        elif self.spin is not None:
            self.spin.blockSignals(True)
            self.spin.setValue(-1 if value is None else float(value))
            self.spin.blockSignals(False)
        self._shown_value = value
        self._update_points()

    def text(self) -> str:
        return self.motivation.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` without emitting an edit."""
        self.motivation.blockSignals(True)
        self.motivation.setPlainText(text)
        self.motivation.blockSignals(False)
        self._update_counter()

    def focus_value(self) -> None:
        if self.group is not None:
            checked = self.group.checkedButton() or self.buttons[0]
            checked.setFocus(Qt.FocusReason.TabFocusReason)
        elif self.spin is not None:
            self.spin.setFocus(Qt.FocusReason.TabFocusReason)

    # -- reactions -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and plain:
                index = key - Qt.Key.Key_0
                if index < len(self.buttons):
                    self.buttons[index].setFocus()
                    self.buttons[index].click()
                    return True
        return super().eventFilter(watched, event)

    def _level_clicked(self, index: int) -> None:
        value = self.grid.levels[index].value
        if value != self._shown_value:
            self._shown_value = value
            self._update_points()
            self.value_chosen.emit(self.key, value)

    def _spin_done(self) -> None:
        value = self.value()
        if value != self._shown_value:
            self._shown_value = value
            self._update_points()
            self.value_chosen.emit(self.key, value)

    def _update_points(self) -> None:
        value = self._shown_value
        if value is None:
            self.points_label.setText(_("no score yet"))
            return
        points = self.grid.scoring.points(self.criterion, value)
        self.points_label.setText(_("= {points} points").format(points=format_decimal(points, 2)))

    def _update_counter(self) -> None:
        length = len(self.text().strip())
        minimum = self.grid.justification_min_chars
        if length >= minimum:
            self.counter.setText(_("{length} characters ✓").format(length=length))
            self.counter.setStyleSheet(f"color: {OK_COLOUR};")
        else:
            self.counter.setText(
                _("{length} of at least {minimum} characters").format(
                    length=length, minimum=minimum
                )
            )
            self.counter.setStyleSheet(f"color: {SHORT_COLOUR};")


class ScoreForm(QWidget):
    """The whole scoring form of one proposal."""

    edited = Signal(object)  # ScoreEdit
    change_declaration = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: ScoreSheetView | None = None
        self.editors: dict[str, CriterionEditor] = {}
        self._committed_text: dict[str, str] = {}
        self._committed_value: dict[str, Decimal | None] = {}
        self._timers: dict[str, QTimer] = {}

        self.total_label = QLabel()
        font = QFont(self.total_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.total_label.setFont(font)
        self.total_label.setAccessibleName(_("Your total"))
        self.progress_label = QLabel()
        self.save_label = QLabel()
        self.save_label.setAccessibleName(_("Saving"))
        self.change_button = QPushButton(_("Change the declaration…"))
        self.change_button.clicked.connect(self.change_declaration.emit)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        heading_font = QFont(self.heading.font())
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading, 1)
        title_row.addWidget(self.change_button)
        header = QHBoxLayout()
        header.addWidget(self.total_label)
        header.addWidget(self.progress_label)
        header.addStretch(1)
        self.save_label.setStyleSheet("color: palette(mid);")

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.body)
        self.scroll_area = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addLayout(header)
        layout.addWidget(self.save_label)
        layout.addWidget(scroll, 1)

    def show_sheet(self, sheet: ScoreSheetView) -> None:
        """Build the editors for a (new) proposal."""
        self.flush()
        self.sheet = sheet
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.editors.clear()
        self._committed_text = {c.rule.key: c.justification for c in sheet.criteria}
        self._committed_value = {c.rule.key: c.value for c in sheet.criteria}
        previous: QWidget | None = None
        for criterion in sheet.criteria:
            editor = CriterionEditor(criterion, sheet)
            editor.value_chosen.connect(self._value_chosen)
            editor.text_changed.connect(self._text_changed)
            editor.text_left.connect(self._flush_key)
            self.body_layout.addWidget(editor)
            self.editors[criterion.rule.key] = editor
            for widget in [*editor.buttons, editor.spin, editor.motivation]:
                if widget is None:
                    continue
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        self.body_layout.addStretch(1)
        # As wide as the levels need, never cut off: the splitter beside the
        # documents stops there.
        scrollbar = self.scroll_area.verticalScrollBar().sizeHint().width()
        self.scroll_area.setMinimumWidth(self.body.minimumSizeHint().width() + scrollbar)
        self.heading.setText(f"{sheet.proposal_id} — {sheet.title}")
        self.save_label.setText(_("Every change is saved as you go."))
        self.update_summary(sheet)

    def update_summary(self, sheet: ScoreSheetView) -> None:
        """Refresh what the save computed (total, completeness), never the inputs."""
        self.sheet = sheet
        self.total_label.setText(
            _("Your score: {total} out of {maximum}").format(
                total=format_decimal(sheet.total, 2),
                maximum=format_decimal(sheet.grid.max_total, 0),
            )
        )
        done = sum(1 for c in sheet.criteria if c.complete)
        self.progress_label.setText(
            _("· {done} of {count} criteria complete").format(done=done, count=len(sheet.criteria))
        )

    def apply(self, key: str, field: str, value: Any) -> None:
        """Show a value coming from undo or redo."""
        editor = self.editors.get(key)
        if editor is None:
            return
        if field == "value":
            self._committed_value[key] = value
            editor.set_value(value)
        else:
            self._committed_text[key] = value
            editor.set_text(value)

    def focus_first(self) -> None:
        if self.sheet and self.sheet.criteria:
            self.editors[self.sheet.criteria[0].rule.key].focus_value()

    def set_saving(self, saving: bool, when: str = "") -> None:
        self.save_label.setText(_("Saving…") if saving else _("Saved at {time}").format(time=when))

    # -- edits -----------------------------------------------------------------

    def _edit(self, key: str, field: str, old: Any, new: Any) -> None:
        assert self.sheet is not None
        title = self.editors[key].criterion.title
        self.edited.emit(
            ScoreEdit(self.sheet.call_id, self.sheet.proposal_id, key, title, field, old, new)
        )

    def _value_chosen(self, key: str, value: Decimal | None) -> None:
        old = self._committed_value.get(key)
        self._committed_value[key] = value
        self._edit(key, "value", old, value)

    def _text_changed(self, key: str) -> None:
        timer = self._timers.get(key)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(TEXT_SAVE_DELAY_MS)
            timer.timeout.connect(lambda k=key: self._flush_key(k))
            self._timers[key] = timer
        timer.start()

    def _flush_key(self, key: str) -> None:
        timer = self._timers.get(key)
        if timer is not None:
            timer.stop()
        editor = self.editors.get(key)
        if editor is None:
            return
        text = editor.text()
        old = self._committed_text.get(key, "")
        if text != old:
            self._committed_text[key] = text
            self._edit(key, "justification", old, text)

    def flush(self) -> None:
        """Emit every motivation still waiting for its pause."""
        for key in list(self.editors):
            self._flush_key(key)
