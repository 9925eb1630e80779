"""The call editor's «Acts» values as the ``[acts]`` and ``[commission]``
tables of a call file, and back (:mod:`app.models.call_acts`). Pure
functions: no Qt. An act the secretary did not tick is left out; a blank
field of a ticked act is kept blank, so the reader names it."""

from __future__ import annotations

import datetime as dt
from typing import Any

ACT_NAMES = ("call_approval", "publication", "commission_appointment")
ACT_FIELDS = {
    "call_approval": ("kind", "number", "date", "office"),
    "publication": ("where", "date"),
    "commission_appointment": ("kind", "number", "date", "office"),
}
PLAIN_KEYS = ("rup", "place")


def acts_tables(values: dict[str, Any]) -> dict[str, Any]:
    """``{"acts": …, "commission": …}`` from the editor's values (empty ones left out).

    ``values`` holds ``rup``, ``place``, ``secretary`` (text) and, for each
    recorded act, a dict of its fields (text, ``date`` a :class:`datetime.date`).
    """
    acts: dict[str, Any] = {}
    for key in PLAIN_KEYS:
        text = str(values.get(key, "")).strip()
        if text:
            acts[key] = text
    for name in ACT_NAMES:
        act = values.get(name)
        if act is None:
            continue
        table: dict[str, Any] = {}
        for field in ACT_FIELDS[name]:
            value = act.get(field)
            if isinstance(value, dt.date):
                table[field] = value
            elif value is not None:
                table[field] = str(value).strip()
        acts[name] = table
    tables: dict[str, Any] = {}
    if acts:
        tables["acts"] = acts
    secretary = str(values.get("secretary", "")).strip()
    if secretary:
        tables["commission"] = {"secretary": secretary}
    return tables


def acts_values(document: dict[str, Any]) -> dict[str, Any]:
    """The editor's values from a parsed definition (``tomllib.loads``)."""
    acts = document.get("acts", {})
    acts = acts if isinstance(acts, dict) else {}
    commission = document.get("commission", {})
    commission = commission if isinstance(commission, dict) else {}
    values: dict[str, Any] = {key: str(acts.get(key, "")) for key in PLAIN_KEYS}
    values["secretary"] = str(commission.get("secretary", ""))
    for name in ACT_NAMES:
        table = acts.get(name)
        if isinstance(table, dict):
            values[name] = {
                field: table[field] if field == "date" else str(table.get(field, ""))
                for field in ACT_FIELDS[name]
                if field != "date" or isinstance(table.get("date"), dt.date)
            }
    return values
