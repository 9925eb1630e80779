"""The call editor's values as TOML text, and back.

The form writes the same ``call.toml`` the command line reads, and the
services validate it (``vaglio call create`` and the form share one rule
book). Numbers travel as the text the secretary typed, so that nothing is
rounded on the way; a blank field is left out, and the validation names it.
Pure functions: no Qt, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

CALL_TEXT_KEYS = ("id", "title", "authority", "programme", "project_code", "cup")
SCORING_NUMBER_KEYS = ("threshold", "dispersion_flag")
SCORING_INTEGER_KEYS = ("min_evaluators", "decimals", "justification_min_chars")
MATCHFUNDING_NUMBER_KEYS = ("crowd_share", "cap", "max_project_cost", "fund")
CRITERION_FIELDS = ("key", "title", "description", "max_points", "min_points")

_SPACES = re.compile(r"[\s\u00a0\u202f€]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class CallForm:
    """Everything the editor shows, as plain values (text where a person types)."""

    call: dict[str, str] = field(default_factory=dict)
    deadline: dt.date | None = None
    neighbourhoods: list[str] = field(default_factory=list)
    thematic_areas: list[str] = field(default_factory=list)
    method: str = "coefficients"
    levels: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    scoring: dict[str, str] = field(default_factory=dict)  # threshold, dispersion_flag
    rescale: str = "none"
    integers: dict[str, int] = field(default_factory=dict)  # SCORING_INTEGER_KEYS
    tie_break: list[str] = field(default_factory=list)
    individual_scores_in_minutes: bool = False
    criteria: list[dict[str, str]] = field(default_factory=list)
    matchfunding: dict[str, str] = field(default_factory=dict)
    campaign_days: int = 60
    allocation: str = "strict_order"


def normalise_number(text: str) -> str:
    """A number as the definition wants it (``550000.00``) from how people type it.

    ``550.000,00``, ``0,40``, ``€ 60 000`` become ``550000.00``, ``0.40``,
    ``60000``. Anything else is passed on unchanged, for the validation to name.
    """
    cleaned = _SPACES.sub("", text)
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            return cleaned.replace(".", "").replace(",", ".")
        return cleaned.replace(",", "")
    if cleaned.count(",") == 1:
        return cleaned.replace(",", ".")
    if cleaned.count(".") > 1:
        return cleaned.replace(".", "")
    return cleaned


def toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    escaped = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def _strings(items: list[str]) -> str:
    return "[" + ", ".join(toml_string(item) for item in items) + "]"


def _number(lines: list[str], key: str, text: str) -> None:
    value = normalise_number(text)
    if value:
        lines.append(f"{key} = {toml_string(value)}")


def _text(lines: list[str], key: str, text: str) -> None:
    if text.strip():
        lines.append(f"{key} = {toml_string(text.strip())}")


def non_blank(items: list[str]) -> list[str]:
    return [item.strip() for item in items if item.strip()]


def filled_criteria(form: CallForm) -> list[int]:
    """Positions (in the grid) of the criteria rows that are not entirely blank."""
    return [
        index
        for index, row in enumerate(form.criteria)
        if any(row.get(name, "").strip() for name in CRITERION_FIELDS)
    ]


def filled_levels(form: CallForm) -> list[int]:
    return [i for i, (value, label) in enumerate(form.levels) if value.strip() or label.strip()]


def to_toml(form: CallForm) -> str:
    """The definition text of ``form``; blank rows and fields are left out."""
    lines = ["[call]"]
    for key in CALL_TEXT_KEYS:
        _text(lines, key, form.call.get(key, ""))
    _number(lines, "programmed_amount", form.call.get("programmed_amount", ""))
    if form.deadline is not None:
        lines.append(f"submission_deadline = {form.deadline.isoformat()}")
    lines.append(f"neighbourhoods = {_strings(non_blank(form.neighbourhoods))}")
    lines.append(f"thematic_areas = {_strings(non_blank(form.thematic_areas))}")

    lines += ["", "[scoring]", f"method = {toml_string(form.method)}"]
    levels = [form.levels[i] for i in filled_levels(form)]
    if levels:
        lines.append(f"levels = {_strings([normalise_number(value) for value, _l in levels])}")
        if any(label.strip() for _v, label in levels):
            lines.append(f"level_labels = {_strings([label.strip() for _v, label in levels])}")
    for key in SCORING_NUMBER_KEYS:
        _number(lines, key, form.scoring.get(key, ""))
    lines.append(f"rescale = {toml_string(form.rescale)}")
    for key in SCORING_INTEGER_KEYS:
        if key in form.integers:
            lines.append(f"{key} = {int(form.integers[key])}")
    lines.append(f"tie_break = {_strings(non_blank(form.tie_break))}")
    lines.append(
        "individual_scores_in_minutes = "
        + ("true" if form.individual_scores_in_minutes else "false")
    )

    for index in filled_criteria(form):
        row = form.criteria[index]
        lines += ["", "[[criteria]]"]
        _text(lines, "key", row.get("key", ""))
        _text(lines, "title", row.get("title", ""))
        _text(lines, "description", row.get("description", ""))
        _number(lines, "max_points", row.get("max_points", ""))
        _number(lines, "min_points", row.get("min_points", ""))

    lines += ["", "[matchfunding]"]
    for key in MATCHFUNDING_NUMBER_KEYS:
        _number(lines, key, form.matchfunding.get(key, ""))
    lines.append(f"campaign_days = {int(form.campaign_days)}")
    lines.append(f"allocation = {toml_string(form.allocation)}")
    return "\n".join(lines) + "\n"


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def from_document(document: dict[str, Any]) -> CallForm:
    """The form's values from a parsed definition (``tomllib.loads``)."""
    call = document.get("call", {})
    scoring = document.get("scoring", {})
    matchfunding = document.get("matchfunding", {})
    deadline = call.get("submission_deadline")
    levels = [_str(v) for v in scoring.get("levels", [])]
    labels = [_str(v) for v in scoring.get("level_labels", [])]
    labels += [""] * (len(levels) - len(labels))
    return CallForm(
        call={key: _str(call.get(key)) for key in (*CALL_TEXT_KEYS, "programmed_amount")},
        deadline=deadline if isinstance(deadline, dt.date) else None,
        neighbourhoods=[_str(v) for v in call.get("neighbourhoods", [])],
        thematic_areas=[_str(v) for v in call.get("thematic_areas", [])],
        method=_str(scoring.get("method", "coefficients")),
        levels=list(zip(levels, labels, strict=False)),
        scoring={key: _str(scoring.get(key)) for key in SCORING_NUMBER_KEYS},
        rescale=_str(scoring.get("rescale", "none")),
        integers={
            key: int(scoring[key])
            for key in SCORING_INTEGER_KEYS
            if isinstance(scoring.get(key), int)
        },
        tie_break=[_str(v) for v in scoring.get("tie_break", [])],
        individual_scores_in_minutes=bool(scoring.get("individual_scores_in_minutes", False)),
        criteria=[
            {name: _str(item.get(name)) for name in CRITERION_FIELDS}
            for item in document.get("criteria", [])
        ],
        matchfunding={key: _str(matchfunding.get(key)) for key in MATCHFUNDING_NUMBER_KEYS},
        campaign_days=int(matchfunding.get("campaign_days", 60)),
        allocation=_str(matchfunding.get("allocation", "strict_order")),
    )
