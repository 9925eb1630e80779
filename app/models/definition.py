"""The call definition (``call.toml``): the call's identity and its rulebook,
with the one TOML codec that reads and writes it.

:meth:`CallDefinition.from_toml` reads strictly: every problem names its key
(``scoring.levels[2]``, ``criteria[1].max_points``) and all of them are
reported at once. Amounts and points are written as text (``"550000.00"``)
so that no binary float ever touches them, and read with the one number
reader (:mod:`app.models.numbers`): ``"550.000"`` is refused as ambiguous,
never read as 550. :meth:`CallDefinition.to_toml` writes what the editor
saves. The editor hands its fields to :meth:`CallDefinition.from_document`,
so the command line and the form share every rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, TypeVar

from app.errors import Problem, ProblemsError, echo
from app.i18n import _, n_
from app.models.call_acts import ActsReader, CallActs, acts_toml
from app.models.numbers import NumberError, read_number
from app.models.outputs import OutputOptions
from app.models.rules import (
    FULL_ORDER,
    TOTAL_OF_UNROUNDED,
    CallRules,
    Criterion,
    Grid,
    Level,
    Matchfunding,
    RulesError,
)

CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
CUP = re.compile(r"[A-Z0-9]{15}\Z")
SECTIONS = ("call", "acts", "commission", "scoring", "criteria", "matchfunding")
# Optional sections: a file without them keeps its meaning (app/models/outputs.py).
OPTIONAL_SECTIONS = ("minutes", "publication")
CALL_KEYS = (
    "id", "title", "authority", "programme", "project_code", "cup", "programmed_amount",
    "submission_deadline", "neighbourhoods", "thematic_areas",
)  # fmt: skip
# Optional: absent means no deadline, so files written before it keep their meaning.
CALL_OPTIONAL_KEYS = ("evaluation_deadline",)
SCORING_KEYS = (
    "method", "levels", "level_labels", "threshold", "rescale", "min_evaluators", "decimals",
    "justification_min_chars", "dispersion_flag", "tie_break", "individual_scores_in_minutes",
    "college",
)  # fmt: skip
# Written only when they differ from their defaults, which keep old files' meaning.
SCORING_OPTIONAL_KEYS = {"rounding": TOTAL_OF_UNROUNDED, "ties": FULL_ORDER}
CRITERION_KEYS = ("key", "title", "description", "max_points", "min_points")
MATCHFUNDING_KEYS = (
    "crowd_share", "cap", "max_project_cost", "campaign_days", "fund", "allocation",
    "overshoot",
)  # fmt: skip

T = TypeVar("T")


class CallDefinitionError(ProblemsError):
    """A call definition refused whole, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        summary = n_(
            "{source}: the call definition has {count} problem, no call created",
            "{source}: the call definition has {count} problems, no call created",
            len(problems),
        ).format(source=source, count=len(problems))
        super().__init__(source, problems, summary)


@dataclass(frozen=True)
class CallInfo:
    """The call's administrative identity."""

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
    # The day by which the members send their scores; None: no deadline. A
    # bundle that arrives later is flagged, never refused (docs/formats.md).
    # Not part of the grid hash: it says when, not how, the call is scored.
    evaluation_deadline: dt.date | None = None

    def __post_init__(self) -> None:
        p = "call."
        problems = []
        if not CALL_ID.match(self.id):
            problems.append(
                Problem(
                    p + "id",
                    _("use letters, digits, '.', '_' or '-' (at most 64), starting with one"),
                )
            )
        if not CUP.match(self.cup):
            problems.append(Problem(p + "cup", _("a CUP has 15 capital letters and digits")))
        for name in ("title", "authority", "programme", "project_code"):
            if not getattr(self, name).strip():
                problems.append(Problem(p + name, _("must not be empty")))
        if not self.programmed_amount > 0:
            problems.append(
                Problem(p + "programmed_amount", _("must be greater than {limit}").format(limit=0))
            )
        for name in ("neighbourhoods", "thematic_areas"):
            if not getattr(self, name):
                problems.append(Problem(p + name, _("must not be empty")))
        if (
            self.evaluation_deadline is not None
            and self.evaluation_deadline < self.submission_deadline
        ):
            problems.append(
                Problem(
                    p + "evaluation_deadline",
                    _("must not come before the submission deadline ({date})").format(
                        date=self.submission_deadline.isoformat()
                    ),
                )
            )
        if problems:
            raise RulesError(problems)


@dataclass(frozen=True)
class CallDefinition:
    """A call: its identity and its rulebook; ``source`` is the text it was read
    from; ``acts`` the administrative acts the minutes name (:mod:`app.models.call_acts`)."""

    info: CallInfo
    rules: CallRules
    source: str
    acts: CallActs = field(default_factory=CallActs)
    # The documents besides the ranking: never part of the grid hash.
    outputs: OutputOptions = dataclasses.field(default_factory=OutputOptions)

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def grid(self) -> Grid:
        return self.rules.grid

    @property
    def grid_hash(self) -> str:
        return self.rules.grid.grid_hash

    @staticmethod
    def from_toml(text: str, source: str = "call.toml") -> CallDefinition:
        """A valid definition from TOML text, or :class:`CallDefinitionError`."""
        return _parse(text, source)

    @staticmethod
    def from_document(document: dict[str, Any], source: str = "call.toml") -> CallDefinition:
        """A valid definition from the tables a TOML file holds (the editor's fields)."""
        definition = _read(document, source, "")
        return dataclasses.replace(definition, source=definition.to_toml())

    def to_toml(self) -> str:
        """The definition as TOML text, in the order the example file uses."""
        return to_toml(self)


@lru_cache(maxsize=64)
def _parse(text: str, source: str) -> CallDefinition:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CallDefinitionError(source, [Problem("toml", str(exc))]) from None
    return _read(document, source, text)


def parse_call_definition(text: str, source: str = "call.toml") -> CallDefinition:
    """A valid :class:`CallDefinition` from TOML text, or every problem at once."""
    return CallDefinition.from_toml(text, source)


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
                self.problem(f"{prefix}{echo(str(key))}", _("unknown key"))

    def text(self, table: dict[str, Any], where: str, key: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, _("required"))
            return ""
        if not isinstance(value, str):
            self.problem(where, _("must be text"))
            return ""
        if required and not value.strip():
            self.problem(where, _("must not be empty"))
        return value.strip()

    def number(
        self, value: Any, where: str, *, required: bool = True, amount: bool = False
    ) -> Decimal | None:
        """``value`` as a number; ``amount``: a sum in euro, and its problems say so."""
        if value is None:
            if required:
                self.problem(where, _("required"))
            return None
        if isinstance(value, bool | float):
            self.problem(where, _('write the number as text, e.g. "0.40"'))
            return None
        if isinstance(value, int):
            return Decimal(value)
        if not isinstance(value, str):
            self.problem(where, _("must be a number written as text"))
            return None
        try:
            return read_number(value, negative=True)
        except NumberError as exc:
            if amount:
                exc = NumberError(value, exc.reason, exc.readings, exc.places, amount=True)
            self.problem(where, exc.sentence)
            return None

    def integer(self, table: dict[str, Any], where: str, key: str) -> int | None:
        value = table.get(key)
        if value is None:
            self.problem(where, _("required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, _("must be a whole number"))
            return None
        return value

    def text_list(
        self, table: dict[str, Any], where: str, key: str, *, required: bool = True
    ) -> list[str]:
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
                self.problem(f"{where}[{index}]", _("repeated: {item}").format(item=echo(item)))
                continue
            items.append(item.strip())
        if required and not value:
            self.problem(where, _("must not be empty"))
        return items

    def build(self, factory: Callable[[], T], prefix: str = "") -> T | None:
        """``factory()``, or None with its problems (those of a key already
        refused are dropped: the first word on a key is the useful one)."""
        try:
            return factory()
        except RulesError as exc:
            refused = {p.where for p in self.problems}
            for problem in exc.problems:
                where = prefix + problem.where
                if where not in refused:
                    self.problem(where, problem.message)
            return None


def _read_call(reader: _Reader, table: dict[str, Any]) -> CallInfo | None:
    p = "call."
    reader.unknown(table, p, CALL_KEYS + CALL_OPTIONAL_KEYS)
    deadline = table.get("submission_deadline")
    if deadline is None:
        reader.problem(p + "submission_deadline", _("required"))
    elif not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        reader.problem(p + "submission_deadline", _("must be a date, e.g. 2020-07-15"))
        deadline = None
    evaluation = table.get("evaluation_deadline")
    if evaluation is not None and (
        not isinstance(evaluation, dt.date) or isinstance(evaluation, dt.datetime)
    ):
        reader.problem(p + "evaluation_deadline", _("must be a date, e.g. 2020-07-15"))
        evaluation = None
    text = {
        key: reader.text(table, p + key, key)
        for key in ("id", "title", "authority", "programme", "project_code", "cup")
    }
    amount = reader.number(table.get("programmed_amount"), p + "programmed_amount", amount=True)
    lists = {key: tuple(reader.text_list(table, p + key, key)) for key in CALL_KEYS[-2:]}
    if amount is None or deadline is None:
        return None
    return reader.build(
        lambda: CallInfo(
            id=text["id"],
            title=text["title"],
            authority=text["authority"],
            programme=text["programme"],
            project_code=text["project_code"],
            cup=text["cup"],
            programmed_amount=amount,
            submission_deadline=deadline,
            neighbourhoods=lists["neighbourhoods"],
            thematic_areas=lists["thematic_areas"],
            evaluation_deadline=evaluation,
        )
    )


def _read_criterion(reader: _Reader, table: dict[str, Any], p: str) -> Criterion | None:
    """One ``[[criteria]]`` table (or a ``[[criteria.sub]]`` one: ``p`` names it)."""
    nested = ".sub[" in p
    reader.unknown(table, p, CRITERION_KEYS if nested else (*CRITERION_KEYS, "sub"))
    key = reader.text(table, p + "key", "key")
    title = reader.text(table, p + "title", "title")
    description = reader.text(table, p + "description", "description", required=False)
    max_points = reader.number(table.get("max_points"), p + "max_points")
    min_points = reader.number(table.get("min_points"), p + "min_points", required=False)
    subs: list[Criterion] | None = []
    if not nested and "sub" in table:
        subs = _read_subcriteria(reader, table["sub"], p + "sub")
    if max_points is None or ("min_points" in table and min_points is None) or subs is None:
        return None
    return reader.build(
        partial(Criterion, key, title, max_points, description, min_points, tuple(subs)), p
    )


def _read_subcriteria(reader: _Reader, value: Any, where: str) -> list[Criterion] | None:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        reader.problem(where, _("must be a list of [[criteria.sub]] sections"))
        return None
    subs = [_read_criterion(reader, table, f"{where}[{i}].") for i, table in enumerate(value)]
    return None if None in subs else [s for s in subs if s is not None]


def _read_criteria(reader: _Reader, value: Any) -> list[Criterion] | None:
    if value is None:
        reader.problem("criteria", _("at least one criterion is required"))
        return None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        reader.problem("criteria", _("must be a list of [[criteria]] sections"))
        return None
    criteria = [_read_criterion(reader, table, f"criteria[{i}].") for i, table in enumerate(value)]
    return None if None in criteria else [c for c in criteria if c is not None]


def _read_levels(reader: _Reader, table: dict[str, Any]) -> tuple[Level, ...] | None:
    p = "scoring."
    raw = table.get("levels", [])
    if not isinstance(raw, list):
        reader.problem(p + "levels", _("must be a list"))
        return None
    values = [reader.number(item, f"{p}levels[{i}]") for i, item in enumerate(raw)]
    labels = reader.text_list(table, p + "level_labels", "level_labels", required=False)
    if labels and len(labels) != len(values):
        reader.problem(
            p + "level_labels",
            _("{labels} labels for {levels} levels").format(labels=len(labels), levels=len(values)),
        )
        return None
    if any(value is None for value in values):
        return None
    labels = labels or [""] * len(values)
    return tuple(Level(v, label) for v, label in zip(values, labels, strict=True) if v is not None)


def _read_grid(
    reader: _Reader, table: dict[str, Any], criteria: list[Criterion] | None
) -> Grid | None:
    p = "scoring."
    reader.unknown(table, p, SCORING_KEYS + tuple(SCORING_OPTIONAL_KEYS))
    method = reader.text(table, p + "method", "method")
    levels = _read_levels(reader, table)
    threshold = reader.number(table.get("threshold"), p + "threshold")
    dispersion = reader.number(table.get("dispersion_flag"), p + "dispersion_flag")
    rescale = reader.text(table, p + "rescale", "rescale")
    integers = {
        key: reader.integer(table, p + key, key)
        for key in ("min_evaluators", "decimals", "justification_min_chars")
    }
    tie_break = reader.text_list(table, p + "tie_break", "tie_break", required=False)
    individual = table.get("individual_scores_in_minutes", False)
    if not isinstance(individual, bool):
        reader.problem(p + "individual_scores_in_minutes", _("must be true or false"))
        individual = False
    # A file without the key keeps the meaning it had: the quorum.
    college = table.get("college", "quorum")
    if not isinstance(college, str):
        reader.problem(p + "college", _("must be text"))
        college = "quorum"
    options: dict[str, str] = {}
    for key, default in SCORING_OPTIONAL_KEYS.items():
        value = table.get(key, default)
        if not isinstance(value, str):
            reader.problem(p + key, _("must be text"))
            value = default
        options[key] = value
    if (
        criteria is None
        or levels is None
        or threshold is None
        or dispersion is None
        or None in integers.values()
    ):
        # Check what can be checked without the missing parts.
        if criteria is None and method:
            reader.build(lambda: _partial_grid(method, rescale, levels or (), tie_break, **options))
        return None
    return reader.build(
        lambda: Grid(
            method=method,
            criteria=tuple(criteria),
            levels=levels,
            threshold=threshold,
            rescale=rescale,
            min_evaluators=integers["min_evaluators"] or 0,
            decimals=integers["decimals"] or 0,
            justification_min_chars=integers["justification_min_chars"] or 0,
            dispersion_flag=dispersion,
            tie_break=tuple(tie_break),
            individual_scores_in_minutes=individual,
            college=college,
            rounding=options["rounding"],
            ties=options["ties"],
        )
    )


def _partial_grid(
    method: str,
    rescale: str,
    levels: tuple[Level, ...],
    tie: list[str],
    *,
    rounding: str = TOTAL_OF_UNROUNDED,
    ties: str = FULL_ORDER,
) -> Grid:
    """A grid checked for its method, levels and re-scaling alone (the criteria
    were refused): only those problems are kept."""
    try:
        return Grid(
            method=method,
            criteria=(),
            levels=levels,
            threshold=Decimal(0),
            rescale=rescale,
            min_evaluators=1,
            decimals=0,
            justification_min_chars=0,
            dispersion_flag=Decimal("0.1"),
            rounding=rounding,
            ties=ties,
        )
    except RulesError as exc:
        named = ("scoring.method", "scoring.rescale", "scoring.rounding", "scoring.ties")
        kept = [p for p in exc.problems if p.where in named or p.where.startswith("scoring.lev")]
        raise RulesError(kept) from None


def _read_matchfunding(reader: _Reader, table: dict[str, Any]) -> Matchfunding | None:
    p = "matchfunding."
    reader.unknown(table, p, MATCHFUNDING_KEYS)
    amounts = {
        key: reader.number(table.get(key), p + key, amount=key != "crowd_share")
        for key in ("crowd_share", "cap", "max_project_cost", "fund")
    }
    days = reader.integer(table, p + "campaign_days", "campaign_days")
    allocation = reader.text(table, p + "allocation", "allocation")
    # Absent in files written before it existed: the seed call's rule.
    overshoot = reader.text(table, p + "overshoot", "overshoot", required=False) or "remaining"
    if None in amounts.values() or days is None:
        return None
    return reader.build(
        lambda: Matchfunding(
            crowd_share=amounts["crowd_share"] or Decimal(0),
            cap=amounts["cap"] or Decimal(0),
            max_project_cost=amounts["max_project_cost"] or Decimal(0),
            campaign_days=days,
            fund=amounts["fund"] or Decimal(0),
            allocation=allocation,
            overshoot=overshoot,
        )
    )


def _read(document: dict[str, Any], source: str, text: str) -> CallDefinition:
    reader = _Reader()
    reader.unknown(document, "", SECTIONS + OPTIONAL_SECTIONS)
    info = _read_call(reader, reader.table(document, "call"))
    acts = ActsReader(reader).read(document)
    criteria = _read_criteria(reader, document.get("criteria"))
    grid = _read_grid(reader, reader.table(document, "scoring"), criteria)
    matchfunding = _read_matchfunding(reader, reader.table(document, "matchfunding"))
    outputs = _read_outputs(reader, document)
    if reader.problems or info is None or grid is None or matchfunding is None or outputs is None:
        raise CallDefinitionError(source, reader.problems)
    return CallDefinition(info, CallRules(grid, matchfunding), text, acts, outputs)


def _optional_table(reader: _Reader, document: dict[str, Any], key: str) -> dict[str, Any]:
    if key not in document:
        return {}
    return reader.table(document, key)


def _read_outputs(reader: _Reader, document: dict[str, Any]) -> OutputOptions | None:
    minutes = _optional_table(reader, document, "minutes")
    reader.unknown(minutes, "minutes.", ("individual_sheets",))
    sheets = minutes.get("individual_sheets", False)
    if not isinstance(sheets, bool):
        reader.problem("minutes.individual_sheets", _("must be true or false"))
        sheets = False
    publication = _optional_table(reader, document, "publication")
    reader.unknown(publication, "publication.", ("fields",))
    fields = reader.text_list(publication, "publication.fields", "fields", required=False)
    return reader.build(lambda: OutputOptions(sheets, tuple(fields)))


# -- writing -------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    escaped = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def toml_value(value: object) -> str:
    """A value in TOML: decimals as text, so that no float ever touches them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return toml_string(f"{value:f}")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return toml_string(str(value))


def to_toml(definition: CallDefinition) -> str:
    """The TOML text of ``definition``."""
    info, grid, money = definition.info, definition.rules.grid, definition.rules.matchfunding
    lines = ["[call]"]
    lines += [f"{key} = {toml_value(getattr(info, key))}" for key in CALL_KEYS]
    if info.evaluation_deadline is not None:
        lines.append(f"evaluation_deadline = {toml_value(info.evaluation_deadline)}")
    lines += acts_toml(definition.acts)
    lines += ["", "[scoring]", f"method = {toml_value(grid.method)}"]
    if grid.levels:
        lines.append(f"levels = {toml_value(grid.level_values)}")
        if any(level.label for level in grid.levels):
            lines.append(f"level_labels = {toml_value([level.label for level in grid.levels])}")
    for key in SCORING_KEYS[3:]:
        lines.append(f"{key} = {toml_value(getattr(grid, key))}")
    for key, default in SCORING_OPTIONAL_KEYS.items():
        if getattr(grid, key) != default:
            lines.append(f"{key} = {toml_value(getattr(grid, key))}")
    for criterion in grid.criteria:
        lines += ["", "[[criteria]]", *_criterion_lines(criterion)]
        for sub in criterion.sub:
            lines += ["", "[[criteria.sub]]", *_criterion_lines(sub)]
    lines += ["", "[matchfunding]"]
    lines += [f"{key} = {toml_value(getattr(money, key))}" for key in MATCHFUNDING_KEYS]
    outputs = definition.outputs
    if outputs.individual_sheets_in_minutes:
        lines += ["", "[minutes]", "individual_sheets = true"]
    if outputs.publication_fields:
        lines += ["", "[publication]", f"fields = {toml_value(outputs.publication_fields)}"]
    return "\n".join(lines) + "\n"


def _criterion_lines(criterion: Criterion) -> list[str]:
    return [
        f"{key} = {toml_value(value)}"
        for key in CRITERION_KEYS
        if (value := getattr(criterion, key)) is not None
    ]
