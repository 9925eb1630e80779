"""The call's administrative acts, as the call definition records them.

The minutes (verbale) of an Italian municipality state the acts the
commission's work rests on: the act that approved the call (*determina* or
*decreto*) and its publication (the *albo pretorio*, the city's website), the
act that appointed the commission, the *RUP* (responsabile unico del
procedimento), the named secretary who takes the minutes (*segretario
verbalizzante*) and the place where the minutes are signed. They are written
in the call file:

.. code-block:: toml

    [acts]
    rup = "Dott. Mario Rossi"
    place = "Milano"

    [acts.call_approval]
    kind = "Determinazione dirigenziale"
    number = "123/2020"
    date = 2020-05-12
    office = "Direzione Economia Urbana e Lavoro"

    [acts.publication]
    where = "Albo pretorio online del Comune di Milano"
    date = 2020-05-15

    [acts.commission_appointment]
    kind = "Determinazione dirigenziale"
    number = "456/2020"
    date = 2020-07-20
    office = "Direzione Economia Urbana e Lavoro"

    [commission]
    secretary = "Dott.ssa Anna Bianchi"

Every key is optional in the file, so a call file written before they existed
keeps its meaning; but the minutes never invent an act, so they refuse to be
printed until the call records every one of them
(:meth:`CallActs.missing`). None of them enters the rulebook or the grid hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.i18n import _

ACTS_KEYS = ("rup", "place", "call_approval", "publication", "commission_appointment")
ACT_KEYS = ("kind", "number", "date", "office")
PUBLICATION_KEYS = ("where", "date")
COMMISSION_KEYS = ("secretary",)


@dataclass(frozen=True)
class Act:
    """An administrative act: its kind (*determinazione dirigenziale*,
    *decreto*…), number, date and the office that issued it."""

    kind: str
    number: str
    date: dt.date
    office: str


@dataclass(frozen=True)
class Publication:
    """Where and when the call was published (albo pretorio, website…)."""

    where: str
    date: dt.date


@dataclass(frozen=True)
class CallActs:
    """The acts and people the minutes name; ``None``/empty when not recorded."""

    call_approval: Act | None = None
    publication: Publication | None = None
    commission_appointment: Act | None = None
    rup: str = ""
    place: str = ""
    secretary: str = ""

    @property
    def empty(self) -> bool:
        return self == CallActs()

    def missing(self) -> list[str]:
        """The call file's keys the minutes need and this call lacks, in file order."""
        wanted = [
            ("acts.call_approval", self.call_approval),
            ("acts.publication", self.publication),
            ("acts.commission_appointment", self.commission_appointment),
            ("acts.rup", self.rup),
            ("acts.place", self.place),
            ("commission.secretary", self.secretary),
        ]
        return [key for key, value in wanted if not value]


class ActsReader:
    """Reads ``[acts]`` and ``[commission]`` with the definition's reader
    (``reader`` is :class:`app.models.definition._Reader`)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def _section(self, document: dict[str, Any], where: str) -> dict[str, Any]:
        value = document.get(where)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.reader.problem(where, _("must be a section ([{key}])").format(key=where))
            return {}
        return value

    def _date(self, table: dict[str, Any], where: str) -> dt.date | None:
        value = table.get("date")
        if value is None:
            self.reader.problem(where, _("required"))
            return None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.reader.problem(where, _("must be a date, e.g. 2020-07-15"))
            return None
        return value

    def _act(self, table: dict[str, Any], p: str) -> Act | None:
        self.reader.unknown(table, p, ACT_KEYS)
        text = {key: self.reader.text(table, p + key, key) for key in ACT_KEYS if key != "date"}
        date = self._date(table, p + "date")
        if date is None or not all(text.values()):
            return None
        return Act(text["kind"], text["number"], date, text["office"])

    def _publication(self, table: dict[str, Any], p: str) -> Publication | None:
        self.reader.unknown(table, p, PUBLICATION_KEYS)
        where = self.reader.text(table, p + "where", "where")
        date = self._date(table, p + "date")
        if date is None or not where:
            return None
        return Publication(where, date)

    def read(self, document: dict[str, Any]) -> CallActs:
        acts = self._section(document, "acts")
        self.reader.unknown(acts, "acts.", ACTS_KEYS)
        commission = self._section(document, "commission")
        self.reader.unknown(commission, "commission.", COMMISSION_KEYS)
        found: dict[str, Any] = {}
        for key, read in (
            ("call_approval", self._act),
            ("publication", self._publication),
            ("commission_appointment", self._act),
        ):
            table = acts.get(key)
            if table is None:
                continue
            if not isinstance(table, dict):
                where = f"acts.{key}"
                self.reader.problem(where, _("must be a section ([{key}])").format(key=where))
                continue
            found[key] = read(table, f"acts.{key}.")
        for key in ("rup", "place"):
            found[key] = self._optional_text(acts, "acts." + key, key)
        found["secretary"] = self._optional_text(commission, "commission.secretary", "secretary")
        return CallActs(**found)

    def _optional_text(self, table: dict[str, Any], where: str, key: str) -> str:
        if key not in table:
            return ""
        return str(self.reader.text(table, where, key))


def acts_toml(acts: CallActs) -> list[str]:
    """The TOML lines of ``acts`` (none when nothing is recorded), after the
    ``[call]`` section."""
    from app.models.definition import toml_value

    lines: list[str] = []
    plain = [f"{key} = {toml_value(getattr(acts, key))}" for key in ("rup", "place")
             if getattr(acts, key)]  # fmt: skip
    if plain:
        lines += ["", "[acts]", *plain]
    for key in ("call_approval", "publication", "commission_appointment"):
        value = getattr(acts, key)
        if value is None:
            continue
        names = PUBLICATION_KEYS if isinstance(value, Publication) else ACT_KEYS
        lines += ["", f"[acts.{key}]"]
        lines += [f"{name} = {toml_value(getattr(value, name))}" for name in names]
    if acts.secretary:
        lines += ["", "[commission]", f"secretary = {toml_value(acts.secretary)}"]
    return lines
