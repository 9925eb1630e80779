"""The call definition (``call.toml``): strict reading and validation.

Every problem names the offending key (``scoring.levels[2]``,
``criteria[1].max_points``) and all problems are reported at once. Amounts and
points are written as strings (``"550000.00"``) so that no binary float ever
touches them; integers are accepted too, floats are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.i18n import _
from app.models.amounts import AmountError, parse_decimal
from app.models.call import ALLOCATIONS, METHODS, RESCALES
from app.services.errors import CallDefinitionError, Problem

CALL_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CRITERION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
CUP_PATTERN = re.compile(r"^[A-Z0-9]{15}$")
TIE_BREAK_SPECIAL = ("lower_request", "lottery")
SECTIONS = ("call", "scoring", "criteria", "matchfunding")
CALL_KEYS = (
    "id", "title", "authority", "programme", "project_code", "cup", "programmed_amount",
    "submission_deadline", "neighbourhoods", "thematic_areas",
)  # fmt: skip
SCORING_KEYS = (
    "method", "levels", "level_labels", "threshold", "rescale", "min_evaluators", "decimals",
    "justification_min_chars", "dispersion_flag", "tie_break", "individual_scores_in_minutes",
)  # fmt: skip
CRITERION_KEYS = ("key", "title", "description", "max_points", "min_points")
MATCHFUNDING_KEYS = (
    "crowd_share", "cap", "max_project_cost", "campaign_days", "fund", "allocation",
)  # fmt: skip


@dataclass(frozen=True)
class CriterionDefinition:
    key: str
    title: str
    description: str
    max_points: Decimal
    min_points: Decimal | None


@dataclass(frozen=True)
class ScoringDefinition:
    method: str
    levels: tuple[Decimal, ...]
    level_labels: tuple[str, ...]
    threshold: Decimal
    rescale: str
    min_evaluators: int
    decimals: int
    justification_min_chars: int
    dispersion_flag: Decimal
    tie_break: tuple[str, ...]
    individual_scores_in_minutes: bool


@dataclass(frozen=True)
class MatchfundingDefinition:
    crowd_share: Decimal
    cap: Decimal
    max_project_cost: Decimal
    campaign_days: int
    fund: Decimal
    allocation: str


@dataclass(frozen=True)
class CallDefinition:
    """A validated call definition; only :func:`parse_call_definition` makes one."""

    id: str
    title: str
    authority: str
    programme: str
    project_code: str
    cup: str
    programmed_amount: Decimal
    submission_deadline: dt.date
    neighbourhoods: tuple[str, ...]
    thematic_areas: tuple[str, ...]
    scoring: ScoringDefinition
    criteria: tuple[CriterionDefinition, ...]
    matchfunding: MatchfundingDefinition
    source: str

    @property
    def max_total(self) -> Decimal:
        """The highest total a proposal can reach."""
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @property
    def grid_hash(self) -> str:
        """SHA-256 of what gives scores their meaning (grid and scoring rules).

        Score bundles carry it, so scores given against one grid are never
        read against another.
        """
        return grid_hash(self.scoring, self.criteria)


def grid_hash(scoring: ScoringDefinition, criteria: tuple[CriterionDefinition, ...]) -> str:
    """The canonical hash of a scoring definition and its criteria."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:f}"

    document = {
        "method": scoring.method,
        "levels": [text(level) for level in scoring.levels],
        "threshold": text(scoring.threshold),
        "rescale": scoring.rescale,
        "min_evaluators": scoring.min_evaluators,
        "decimals": scoring.decimals,
        "justification_min_chars": scoring.justification_min_chars,
        "criteria": [
            {"key": c.key, "max_points": text(c.max_points), "min_points": text(c.min_points)}
            for c in criteria
        ],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Reader:
    """Reads typed values out of TOML tables, collecting a problem per bad key."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def table(self, document: dict[str, Any], key: str) -> dict[str, Any]:
        value = document.get(key)
        if value is None:
            self.problem(key, _("section missing"))
            return {}
        if not isinstance(value, dict):
            self.problem(key, _("must be a section ([{key}])").format(key=key))
            return {}
        return value

    def unknown(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.problem(f"{prefix}{key}", _("unknown key"))

    def text(self, table: dict[str, Any], prefix: str, key: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(prefix + key, _("required"))
            return ""
        if not isinstance(value, str):
            self.problem(prefix + key, _("must be text"))
            return ""
        if required and not value.strip():
            self.problem(prefix + key, _("must not be empty"))
        return value.strip()

    def decimal(
        self,
        table: dict[str, Any],
        prefix: str,
        key: str,
        *,
        required: bool = True,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        exclusive_minimum: bool = False,
    ) -> Decimal | None:
        where = prefix + key
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, _("required"))
            return None
        if isinstance(value, bool | float):
            self.problem(where, _('write the number as text, e.g. "0.40"'))
            return None
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, str):
            try:
                number = parse_decimal(value)
            except AmountError:
                self.problem(where, _("not a number: {value}").format(value=value))
                return None
        else:
            self.problem(where, _("must be a number written as text"))
            return None
        if minimum is not None and (number < minimum or (exclusive_minimum and number == minimum)):
            relation = _("greater than") if exclusive_minimum else _("at least")
            self.problem(
                where, _("must be {relation} {limit}").format(relation=relation, limit=minimum)
            )
        if maximum is not None and number > maximum:
            self.problem(where, _("must be at most {limit}").format(limit=maximum))
        return number

    def integer(
        self, table: dict[str, Any], prefix: str, key: str, minimum: int, maximum: int
    ) -> int:
        where = prefix + key
        value = table.get(key)
        if value is None:
            self.problem(where, _("required"))
            return minimum
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, _("must be a whole number"))
            return minimum
        if not minimum <= value <= maximum:
            self.problem(
                where,
                _("must be between {minimum} and {maximum}").format(
                    minimum=minimum, maximum=maximum
                ),
            )
        return value

    def choice(self, table: dict[str, Any], prefix: str, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(table, prefix, key)
        if value and value not in allowed:
            self.problem(
                prefix + key,
                _("must be one of {allowed}").format(allowed=", ".join(allowed)),
            )
        return value

    def text_list(
        self, table: dict[str, Any], prefix: str, key: str, *, required: bool = True
    ) -> list[str]:
        where = prefix + key
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, _("required"))
            return []
        if not isinstance(value, list):
            self.problem(where, _("must be a list"))
            return []
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{where}[{index}]", _("must be non-empty text"))
                continue
            if item.strip() in items:
                self.problem(f"{where}[{index}]", _("repeated: {item}").format(item=item))
                continue
            items.append(item.strip())
        if required and not value:
            self.problem(where, _("must not be empty"))
        return items


def _read_call(reader: _Reader, table: dict[str, Any]) -> dict[str, Any]:
    p = "call."
    reader.unknown(table, p, CALL_KEYS)
    call_id = reader.text(table, p, "id")
    if call_id and not CALL_ID_PATTERN.match(call_id):
        reader.problem(
            p + "id", _("use letters, digits, '.', '_' or '-' (at most 64), starting with one")
        )
    cup = reader.text(table, p, "cup")
    if cup and not CUP_PATTERN.match(cup):
        reader.problem(p + "cup", _("a CUP has 15 capital letters and digits"))
    deadline = table.get("submission_deadline")
    if deadline is None:
        reader.problem(p + "submission_deadline", _("required"))
    elif not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        reader.problem(p + "submission_deadline", _("must be a date, e.g. 2020-07-15"))
        deadline = None
    return {
        "id": call_id,
        "title": reader.text(table, p, "title"),
        "authority": reader.text(table, p, "authority"),
        "programme": reader.text(table, p, "programme"),
        "project_code": reader.text(table, p, "project_code"),
        "cup": cup,
        "programmed_amount": reader.decimal(
            table, p, "programmed_amount", minimum=Decimal(0), exclusive_minimum=True
        ),
        "submission_deadline": deadline,
        "neighbourhoods": tuple(reader.text_list(table, p, "neighbourhoods")),
        "thematic_areas": tuple(reader.text_list(table, p, "thematic_areas")),
    }


def _read_criteria(reader: _Reader, value: Any) -> list[CriterionDefinition]:
    if value is None:
        reader.problem("criteria", _("at least one [[criteria]] is required"))
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        reader.problem("criteria", _("must be a list of [[criteria]] sections"))
        return []
    if not value:
        reader.problem("criteria", _("at least one [[criteria]] is required"))
    criteria: list[CriterionDefinition] = []
    seen: set[str] = set()
    for index, table in enumerate(value):
        p = f"criteria[{index}]."
        reader.unknown(table, p, CRITERION_KEYS)
        key = reader.text(table, p, "key")
        if key and not CRITERION_KEY_PATTERN.match(key):
            reader.problem(p + "key", _("use lower-case letters, digits and '_'"))
        if key in seen:
            reader.problem(p + "key", _("repeated: {item}").format(item=key))
        seen.add(key)
        max_points = reader.decimal(
            table, p, "max_points", minimum=Decimal(0), exclusive_minimum=True
        )
        min_points = reader.decimal(
            table, p, "min_points", required=False, minimum=Decimal(0), maximum=max_points
        )
        criteria.append(
            CriterionDefinition(
                key=key,
                title=reader.text(table, p, "title"),
                description=reader.text(table, p, "description", required=False),
                max_points=max_points or Decimal(0),
                min_points=min_points,
            )
        )
    return criteria


def _read_scoring(
    reader: _Reader, table: dict[str, Any], criteria: list[CriterionDefinition]
) -> dict[str, Any]:
    p = "scoring."
    reader.unknown(table, p, SCORING_KEYS)
    method = reader.choice(table, p, "method", METHODS)
    levels: list[Decimal] = []
    raw_levels = table.get("levels", [])
    if not isinstance(raw_levels, list):
        reader.problem(p + "levels", _("must be a list"))
        raw_levels = []
    for index, item in enumerate(raw_levels):
        number = reader.decimal({"x": item}, "", "x", minimum=Decimal(0))
        where = f"{p}levels[{index}]"
        if number is None:
            reader.problems[-1] = Problem(where, reader.problems[-1].message)
            continue
        if method == "coefficients" and number > 1:
            reader.problem(where, _("a coefficient is between 0 and 1"))
        if levels and number <= levels[-1]:
            reader.problem(where, _("levels must increase"))
        levels.append(number)
    labels = reader.text_list(table, p, "level_labels", required=False)
    if labels and len(labels) != len(levels):
        reader.problem(
            p + "level_labels",
            _("{labels} labels for {levels} levels").format(labels=len(labels), levels=len(levels)),
        )
    max_total = sum((c.max_points for c in criteria), Decimal(0))
    threshold = reader.decimal(table, p, "threshold", minimum=Decimal(0), maximum=max_total)
    dispersion = reader.decimal(
        table,
        p,
        "dispersion_flag",
        minimum=Decimal(0),
        exclusive_minimum=True,
        maximum=Decimal(1) if method == "coefficients" else None,
    )
    tie_break = reader.text_list(table, p, "tie_break", required=False)
    keys = {c.key for c in criteria}
    for index, entry in enumerate(tie_break):
        if entry not in keys and entry not in TIE_BREAK_SPECIAL:
            reader.problem(
                f"{p}tie_break[{index}]",
                _("not a criterion key, 'lower_request' or 'lottery': {item}").format(item=entry),
            )
        if entry == "lottery" and index != len(tie_break) - 1:
            reader.problem(f"{p}tie_break[{index}]", _("the lottery must come last"))
    individual = table.get("individual_scores_in_minutes", False)
    if not isinstance(individual, bool):
        reader.problem(p + "individual_scores_in_minutes", _("must be true or false"))
        individual = False
    return {
        "method": method,
        "levels": tuple(levels),
        "level_labels": tuple(labels),
        "threshold": threshold or Decimal(0),
        "rescale": reader.choice(table, p, "rescale", RESCALES),
        "min_evaluators": reader.integer(table, p, "min_evaluators", 1, 50),
        "decimals": reader.integer(table, p, "decimals", 0, 6),
        "justification_min_chars": reader.integer(table, p, "justification_min_chars", 0, 5000),
        "dispersion_flag": dispersion or Decimal(1),
        "tie_break": tuple(tie_break),
        "individual_scores_in_minutes": individual,
    }


def _read_matchfunding(reader: _Reader, table: dict[str, Any]) -> MatchfundingDefinition:
    p = "matchfunding."
    reader.unknown(table, p, MATCHFUNDING_KEYS)

    def positive(key: str) -> Decimal:
        value = reader.decimal(table, p, key, minimum=Decimal(0), exclusive_minimum=True)
        return value or Decimal(0)

    crowd_share = positive("crowd_share")
    if crowd_share >= 1:
        reader.problem(p + "crowd_share", _("must be less than 1"))
    return MatchfundingDefinition(
        crowd_share=crowd_share,
        cap=positive("cap"),
        max_project_cost=positive("max_project_cost"),
        campaign_days=reader.integer(table, p, "campaign_days", 1, 365),
        fund=positive("fund"),
        allocation=reader.choice(table, p, "allocation", ALLOCATIONS),
    )


def parse_call_definition(text: str, source: str = "call.toml") -> CallDefinition:
    """A validated :class:`CallDefinition` from TOML text, or every problem at once."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CallDefinitionError(source, [Problem("toml", str(exc))]) from None
    reader = _Reader()
    reader.unknown(document, "", SECTIONS)
    call = _read_call(reader, reader.table(document, "call"))
    criteria = _read_criteria(reader, document.get("criteria"))
    scoring = _read_scoring(reader, reader.table(document, "scoring"), criteria)
    matchfunding = _read_matchfunding(reader, reader.table(document, "matchfunding"))
    if reader.problems:
        raise CallDefinitionError(source, reader.problems)
    return CallDefinition(
        **call,
        scoring=ScoringDefinition(**scoring),
        criteria=tuple(criteria),
        matchfunding=matchfunding,
        source=text,
    )


def _toml_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _toml_string(f"{value:f}")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return _toml_string(str(value))


def to_toml(definition: CallDefinition) -> str:
    """The TOML text of a definition (what the GUI form saves)."""
    s, m = definition.scoring, definition.matchfunding
    lines = ["[call]"]
    for key in CALL_KEYS:
        lines.append(f"{key} = {_toml_value(getattr(definition, key))}")
    lines += ["", "[scoring]"]
    for key in SCORING_KEYS:
        value = getattr(s, key)
        if key in ("levels", "level_labels") and not value:
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    for criterion in definition.criteria:
        lines += ["", "[[criteria]]"]
        lines.append(f"key = {_toml_value(criterion.key)}")
        lines.append(f"title = {_toml_value(criterion.title)}")
        lines.append(f"description = {_toml_value(criterion.description)}")
        lines.append(f"max_points = {_toml_value(criterion.max_points)}")
        if criterion.min_points is not None:
            lines.append(f"min_points = {_toml_value(criterion.min_points)}")
    lines += ["", "[matchfunding]"]
    for key in MATCHFUNDING_KEYS:
        lines.append(f"{key} = {_toml_value(getattr(m, key))}")
    return "\n".join(lines) + "\n"
