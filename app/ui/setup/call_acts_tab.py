"""The call editor's «Acts» tab: the act that approved the call and its
publication, the act that appointed the commission, the RUP, the place where
the minutes are signed and the secretary who takes them
(:mod:`app.models.call_acts`). Each act is a group the secretary ticks when
the call records it; the minutes are refused until every one is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.clock import today_in_rome
from app.i18n import _
from app.ui.common.widgets import note_label
from app.ui.setup.call_acts_form import ACT_FIELDS, ACT_NAMES, PLAIN_KEYS


def _plain(label: str) -> str:
    return label.replace("&", "").rstrip(":")


class ActsTab(QWidget):
    """The acts' fields; ``fields`` maps each call-file key to its widget and name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, tuple[QWidget, str]] = {}
        self.groups: dict[str, QGroupBox] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.dates: dict[str, QDateEdit] = {}
        titles = {
            "call_approval": _("Act that approved the call"),
            "publication": _("Publication of the call"),
            "commission_appointment": _("Act that appointed the commission"),
        }
        labels = {
            "kind": (_("Kind of act:"), _("e.g. Determinazione dirigenziale")),
            "number": (_("Number:"), "4127/2020"),
            "date": (_("Date:"), ""),
            "office": (_("Issuing office:"), _("e.g. Direzione Economia Urbana e Lavoro")),
            "where": (_("Where:"), _("e.g. Albo pretorio online")),
        }
        grid = QGridLayout()
        for index, name in enumerate(ACT_NAMES):
            group = QGroupBox(titles[name])
            group.setCheckable(True)
            group.setChecked(False)
            group.setAccessibleName(titles[name])
            group.setToolTip(_("Tick it when the call records this act."))
            form = QFormLayout(group)
            for field in ACT_FIELDS[name]:
                text, placeholder = labels[field]
                widget: QWidget
                if field == "date":
                    date = QDateEdit()
                    date.setCalendarPopup(True)
                    date.setDisplayFormat("dd/MM/yyyy")
                    self.dates[name] = date
                    widget = date
                else:
                    edit = QLineEdit()
                    edit.setPlaceholderText(placeholder)
                    self.edits[f"{name}.{field}"] = edit
                    widget = edit
                self._add(form, f"acts.{name}.{field}", text, widget, titles[name])
            self.groups[name] = group
            self.fields[f"acts.{name}"] = (group, titles[name])
            grid.addWidget(group, index % 2, index // 2)
        people = QGroupBox(_("People and place of the minutes"))
        form = QFormLayout(people)
        for key, text, placeholder in (
            ("acts.rup", _("R&UP (responsabile unico del procedimento):"), ""),
            ("commission.secretary", _("S&ecretary taking the minutes:"), ""),
            ("acts.place", _("Place of si&gnature:"), _("e.g. Milano")),
        ):
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            self.edits[key.split(".", 1)[1]] = edit
            self._add(form, key, text, edit, "")
        grid.addWidget(people, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(
            note_label(
                _(
                    "The minutes state these acts as written here, and cannot be printed "
                    "until every one is recorded. The date before the signatures is the day "
                    "the ranking was approved."
                )
            )
        )
        layout.addStretch(1)

    def _add(self, form: QFormLayout, key: str, text: str, widget: QWidget, group: str) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        name = f"{group}, {_plain(text)}" if group else _plain(text)
        widget.setAccessibleName(name)
        form.addRow(label, widget)
        self.fields[key] = (widget, name)

    def values(self) -> dict[str, Any]:
        """The tab's values, for :func:`app.ui.setup.call_acts_form.acts_tables`."""
        values: dict[str, Any] = {key: self.edits[key].text() for key in PLAIN_KEYS}
        values["secretary"] = self.edits["secretary"].text()
        for name in ACT_NAMES:
            if not self.groups[name].isChecked():
                continue
            act: dict[str, Any] = {}
            for field in ACT_FIELDS[name]:
                if field == "date":
                    q = self.dates[name].date()
                    act["date"] = dt.date(q.year(), q.month(), q.day())
                else:
                    act[field] = self.edits[f"{name}.{field}"].text()
            values[name] = act
        return values

    def set_values(self, values: dict[str, Any]) -> None:
        for key in (*PLAIN_KEYS, "secretary"):
            self.edits[key].setText(str(values.get(key, "")))
        for name in ACT_NAMES:
            act = values.get(name)
            self.groups[name].setChecked(act is not None)
            act = act or {}
            for field in ACT_FIELDS[name]:
                if field == "date":
                    day = act.get("date") or today_in_rome()
                    self.dates[name].setDate(QDate(day.year, day.month, day.day))
                else:
                    self.edits[f"{name}.{field}"].setText(str(act.get(field, "")))
