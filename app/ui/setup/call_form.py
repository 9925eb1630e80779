"""The call editor's values as the tables of a call file, and back.

The form hands its values to the rulebook's own reader
(``CallDefinition.from_document``), so ``vaglio call create`` and the form
share every rule, and the rulebook writes the TOML. Numbers travel as the
text the secretary typed (``550.000,00``), for the one number reader; a blank
field is left out, and the validation names it. Pure functions: no Qt, no
database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.ui.setup.call_acts_form import acts_tables, acts_values

CALL_TEXT_KEYS = ("id", "title", "authority", "programme", "project_code", "cup")
SCORING_NUMBER_KEYS = ("threshold", "dispersion_flag")
SCORING_INTEGER_KEYS = ("min_evaluators", "decimals", "justification_min_chars")
MATCHFUNDING_NUMBER_KEYS = ("crowd_share", "cap", "max_project_cost", "fund")
CRITERION_FIELDS = ("key", "title", "description", "max_points", "min_points")
# The editor's criteria table has one more column: the key of the criterion a
# row is a sub-criterion of (blank for a criterion).
PARENT = "parent"
CRITERION_COLUMNS = (*CRITERION_FIELDS, PARENT)
# The definition's optional sections (app/models/definition.py OPTIONAL_SECTIONS).
OPTIONAL_SECTIONS = ("minutes", "publication")


@dataclass
class CallForm:
    """Everything the editor shows, as plain values (text where a person types)."""

    call: dict[str, str] = field(default_factory=dict)
    deadline: dt.date | None = None
    # Optional ([call] evaluation_deadline): None, the call sets no deadline.
    evaluation_deadline: dt.date | None = None
    neighbourhoods: list[str] = field(default_factory=list)
    thematic_areas: list[str] = field(default_factory=list)
    method: str = "coefficients"
    levels: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    scoring: dict[str, str] = field(default_factory=dict)  # threshold, dispersion_flag
    rescale: str = "none"
    rounding: str = "total_of_unrounded"
    ties: str = "full_order"
    integers: dict[str, int] = field(default_factory=dict)  # SCORING_INTEGER_KEYS
    tie_break: list[str] = field(default_factory=list)
    individual_scores_in_minutes: bool = False
    criteria: list[dict[str, str]] = field(default_factory=list)
    matchfunding: dict[str, str] = field(default_factory=dict)
    campaign_days: int = 60
    allocation: str = "strict_order"
    overshoot: str = "remaining"
    # The call's acts, RUP, place and secretary (app/ui/setup/call_acts_form.py).
    acts: dict[str, Any] = field(default_factory=dict)
    # The optional sections the editor has no controls for ([minutes],
    # [publication]): kept as read, so saving the form never drops them.
    kept: dict[str, Any] = field(default_factory=dict)


def non_blank(items: list[str]) -> list[str]:
    return [item.strip() for item in items if item.strip()]


def filled_criteria(form: CallForm) -> list[int]:
    """Positions (in the grid) of the criteria rows that are not entirely blank."""
    return [
        index
        for index, row in enumerate(form.criteria)
        if any(row.get(name, "").strip() for name in CRITERION_COLUMNS)
    ]


def criteria_places(form: CallForm) -> dict[str, int]:
    """Where each criterion and sub-criterion of the definition is in the
    editor's table: ``{"criteria[1]": 1, "criteria[1].sub[0]": 2, …}``.

    A row is a sub-criterion of the criterion whose key its ``parent`` names;
    a row whose ``parent`` names no criterion of the table stays a criterion
    (the reader then refuses its ``parent``)."""
    rows = filled_criteria(form)
    keys = {
        form.criteria[i].get("key", "").strip()
        for i in rows
        if not form.criteria[i].get(PARENT, "").strip()
    }
    tops = [i for i in rows if form.criteria[i].get(PARENT, "").strip() not in keys]
    places: dict[str, int] = {}
    for position, top in enumerate(tops):
        places[f"criteria[{position}]"] = top
        key = form.criteria[top].get("key", "").strip()
        if form.criteria[top].get(PARENT, "").strip():
            continue  # an unknown parent: no sub-criteria of its own
        parts = [
            i for i in rows if i not in tops and form.criteria[i].get(PARENT, "").strip() == key
        ]
        for number, row in enumerate(parts):
            places[f"criteria[{position}].sub[{number}]"] = row
    return places


def filled_levels(form: CallForm) -> list[int]:
    return [i for i, (value, label) in enumerate(form.levels) if value.strip() or label.strip()]


def _put(table: dict[str, Any], key: str, text: str) -> None:
    """A typed value, as typed: the reader of the definition reads numbers."""
    if text.strip():
        table[key] = text.strip()


def to_document(form: CallForm) -> dict[str, Any]:
    """The tables of a definition file, from ``form``; blank rows and fields are left out."""
    call: dict[str, Any] = {}
    for key in (*CALL_TEXT_KEYS, "programmed_amount"):
        _put(call, key, form.call.get(key, ""))
    # The evaluation deadline is optional: left out when unset, as an old file has it.
    days = {"submission_deadline": form.deadline, "evaluation_deadline": form.evaluation_deadline}
    call.update({key: day for key, day in days.items() if day is not None})
    call["neighbourhoods"] = non_blank(form.neighbourhoods)
    call["thematic_areas"] = non_blank(form.thematic_areas)
    scoring: dict[str, Any] = {"method": form.method}
    levels = [form.levels[i] for i in filled_levels(form)]
    if levels:
        scoring["levels"] = [value.strip() for value, _label in levels]
        if any(label.strip() for _value, label in levels):
            scoring["level_labels"] = [label.strip() for _value, label in levels]
    for key in SCORING_NUMBER_KEYS:
        _put(scoring, key, form.scoring.get(key, ""))
    scoring["rescale"] = form.rescale
    # Left out at their defaults, so a file saved unchanged keeps its text.
    if form.rounding != "total_of_unrounded":
        scoring["rounding"] = form.rounding
    if form.ties != "full_order":
        scoring["ties"] = form.ties
    scoring.update({k: int(v) for k, v in form.integers.items() if k in SCORING_INTEGER_KEYS})
    scoring["tie_break"] = non_blank(form.tie_break)
    scoring["individual_scores_in_minutes"] = form.individual_scores_in_minutes
    criteria: list[dict[str, Any]] = []
    for place, index in criteria_places(form).items():
        row: dict[str, Any] = {}
        for name in CRITERION_FIELDS:
            _put(row, name, form.criteria[index].get(name, ""))
        if ".sub[" in place:
            criteria[-1].setdefault("sub", []).append(row)
        else:
            _put(row, PARENT, form.criteria[index].get(PARENT, ""))
            criteria.append(row)
    matchfunding: dict[str, Any] = {}
    for key in MATCHFUNDING_NUMBER_KEYS:
        _put(matchfunding, key, form.matchfunding.get(key, ""))
    matchfunding["campaign_days"] = int(form.campaign_days)
    matchfunding["allocation"] = form.allocation
    matchfunding["overshoot"] = form.overshoot
    document = {
        "call": call,
        **acts_tables(form.acts),
        "scoring": scoring,
        "criteria": criteria,
        "matchfunding": matchfunding,
    }
    return document | form.kept


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def from_document(document: dict[str, Any]) -> CallForm:
    """The form's values from a parsed definition (``tomllib.loads``)."""
    call = document.get("call", {})
    scoring = document.get("scoring", {})
    matchfunding = document.get("matchfunding", {})
    deadline = call.get("submission_deadline")
    evaluation = call.get("evaluation_deadline")
    levels = [_str(v) for v in scoring.get("levels", [])]
    labels = [_str(v) for v in scoring.get("level_labels", [])]
    labels += [""] * (len(levels) - len(labels))
    return CallForm(
        call={key: _str(call.get(key)) for key in (*CALL_TEXT_KEYS, "programmed_amount")},
        deadline=deadline if isinstance(deadline, dt.date) else None,
        evaluation_deadline=evaluation if isinstance(evaluation, dt.date) else None,
        neighbourhoods=[_str(v) for v in call.get("neighbourhoods", [])],
        thematic_areas=[_str(v) for v in call.get("thematic_areas", [])],
        method=_str(scoring.get("method", "coefficients")),
        levels=list(zip(levels, labels, strict=False)),
        scoring={key: _str(scoring.get(key)) for key in SCORING_NUMBER_KEYS},
        rescale=_str(scoring.get("rescale", "none")),
        rounding=_str(scoring.get("rounding", "total_of_unrounded")),
        ties=_str(scoring.get("ties", "full_order")),
        integers={
            key: int(scoring[key])
            for key in SCORING_INTEGER_KEYS
            if isinstance(scoring.get(key), int)
        },
        tie_break=[_str(v) for v in scoring.get("tie_break", [])],
        individual_scores_in_minutes=bool(scoring.get("individual_scores_in_minutes", False)),
        criteria=[
            {name: _str(row.get(name)) for name in CRITERION_FIELDS}
            | {PARENT: _str(item.get("key")) if row is not item else ""}
            for item in document.get("criteria", [])
            for row in (item, *item.get("sub", []))
        ],
        matchfunding={key: _str(matchfunding.get(key)) for key in MATCHFUNDING_NUMBER_KEYS},
        campaign_days=int(matchfunding.get("campaign_days", 60)),
        allocation=_str(matchfunding.get("allocation", "strict_order")),
        overshoot=_str(matchfunding.get("overshoot", "remaining")),
        acts=acts_values(document),
        kept={key: document[key] for key in OPTIONAL_SECTIONS if key in document},
    )
