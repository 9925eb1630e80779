"""The rulebook of a call: its criteria, its scoring grid and its matchfunding.

One frozen value, :class:`CallRules`, made of a :class:`Grid` (method,
levels, decimals, motivation minimum, threshold and floors, re-scaling,
quorum, dispersion flag, tie cascade, and the :class:`Criterion` rows) and a
:class:`Matchfunding` rule. Each part checks itself in its constructor and
raises :class:`RulesError` with every problem it finds, so an invalid
rulebook cannot exist (sigstore's "invalid objects cannot exist"). The call
file, the editor, the call package, the desk, the ranking and the minutes all
hold this one object; its TOML form lives in :mod:`app.models.definition`.

A problem names where it is the way the call file does (``scoring.levels[2]``,
``criteria[1].max_points``), so the editor can take the keyboard there.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from app.errors import Problem, ProblemsError, echo
from app.i18n import _
from app.labels import COLLEGES
from app.models.methods import METHODS, ScoringMethod, scoring_method
from app.models.subcriteria import grid_places, hashed_criterion, subcriteria_problems

CRITERION_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
RESCALES = ("none", "criterion", "total", "criterion_then_total")
# How published totals are made (issue 13): the default keeps old calls' meaning.
TOTAL_OF_UNROUNDED, SUM_OF_ROUNDED = "total_of_unrounded", "sum_of_rounded"
ROUNDINGS = (TOTAL_OF_UNROUNDED, SUM_OF_ROUNDED)
# Whether equal totals share a position: the default keeps old calls' meaning.
FULL_ORDER, EX_AEQUO = "full_order", "ex_aequo"
TIES = (FULL_ORDER, EX_AEQUO)
ALLOCATIONS = ("strict_order", "skip")
# What a crowd that raised more than its share means for the city's match:
# "remaining" (the city covers the remaining cost, the seed call's words) or
# "kept" (the excess stays with the project, the city still gives its share).
OVERSHOOTS = ("remaining", "kept")
# Tie-break levels besides a criterion key (higher points on it first).
LOWER_REQUEST, LOTTERY = "lower_request", "lottery"
# Earlier submission first (time, then protocol number), imported with the proposal.
SUBMISSION_ORDER = "submission_order"
TIE_BREAK_SPECIAL = (LOWER_REQUEST, SUBMISSION_ORDER, LOTTERY)
MAX_DECIMALS = 6
MAX_EVALUATORS = 50
MAX_MOTIVATION = 5000
MAX_CAMPAIGN_DAYS = 365


class RulesError(ProblemsError):
    """A rulebook that cannot exist, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("rules", problems, _("the rules of the call have problems"))


def one_of(allowed: tuple[str, ...] | list[str]) -> str:
    return _("must be one of {allowed}").format(allowed=", ".join(allowed))


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise RulesError(problems)


@dataclass(frozen=True)
class Level:
    """A value a member may choose, with the call's words for it."""

    value: Decimal
    label: str = ""


@dataclass(frozen=True)
class Criterion:
    """One row of the criteria grid: its key, title and maximum points ``W_k``,
    and the floor (``min_points``) a proposal must reach on it, if any."""

    key: str
    title: str
    max_points: Decimal
    description: str = ""
    min_points: Decimal | None = None
    # The sub-criteria members score instead of the criterion itself; their
    # maximum points add up to the criterion's (app/models/subcriteria.py).
    sub: tuple[Criterion, ...] = ()

    def __post_init__(self) -> None:
        problems = subcriteria_problems(self)
        if not CRITERION_KEY.match(self.key):
            problems.append(Problem("key", _("use lower-case letters, digits and '_'")))
        if not self.title.strip():
            problems.append(Problem("title", _("must not be empty")))
        if not self.max_points > 0:
            problems.append(
                Problem("max_points", _("must be greater than {limit}").format(limit=0))
            )
        if self.min_points is not None:
            if self.min_points < 0:
                problems.append(
                    Problem("min_points", _("must be at least {limit}").format(limit=0))
                )
            elif self.min_points > self.max_points:
                problems.append(
                    Problem(
                        "min_points",
                        _("must be at most {limit}").format(limit=self.max_points),
                    )
                )
        _raise(problems)

    @property
    def leaves(self) -> tuple[Criterion, ...]:
        """What members score for this criterion: its sub-criteria, or itself."""
        return self.sub or (self,)


@dataclass(frozen=True)
class Grid:
    """How the commission scores: the method and its levels, the publication
    decimals, the motivation minimum, the threshold and the criteria's floors,
    re-scaling (riparametrazione), the quorum, the dispersion flag and the tie
    cascade."""

    method: str
    criteria: tuple[Criterion, ...]
    threshold: Decimal
    rescale: str
    min_evaluators: int
    decimals: int
    justification_min_chars: int
    dispersion_flag: Decimal
    levels: tuple[Level, ...] = ()
    tie_break: tuple[str, ...] = ()
    individual_scores_in_minutes: bool = False
    # Not in the grid hash: who evaluates does not change what a score means.
    college: str = "quorum"
    # In the grid hash only when they differ from these defaults (old hashes stay).
    rounding: str = TOTAL_OF_UNROUNDED
    ties: str = FULL_ORDER

    def __post_init__(self) -> None:
        _raise(self._problems())

    def _problems(self) -> list[Problem]:
        p = "scoring."
        problems: list[Problem] = []
        method = METHODS.get(self.method)
        if method is None:
            problems.append(Problem(p + "method", one_of(list(METHODS))))
        problems += self._criteria_problems()
        problems += self._level_problems(method)
        if self.threshold < 0:
            problems.append(Problem(p + "threshold", _("must be at least {limit}").format(limit=0)))
        elif self.threshold > self.max_total:
            problems.append(
                Problem(
                    p + "threshold",
                    _("must be at most {limit}").format(limit=self.max_total)
                    if self.criteria
                    else _("add at least one criterion before setting the threshold"),
                )
            )
        if self.rescale not in RESCALES:
            problems.append(Problem(p + "rescale", one_of(RESCALES)))
        if self.rounding not in ROUNDINGS:
            problems.append(Problem(p + "rounding", one_of(ROUNDINGS)))
        if self.ties not in TIES:
            problems.append(Problem(p + "ties", one_of(TIES)))
        if self.college not in COLLEGES:
            problems.append(Problem(p + "college", one_of(COLLEGES)))
        problems += _whole(p + "min_evaluators", self.min_evaluators, 1, MAX_EVALUATORS)
        problems += _whole(p + "decimals", self.decimals, 0, MAX_DECIMALS)
        problems += _whole(
            p + "justification_min_chars", self.justification_min_chars, 0, MAX_MOTIVATION
        )
        dispersion_limit = method.dispersion_limit() if method else None
        if not self.dispersion_flag > 0:
            problems.append(
                Problem(p + "dispersion_flag", _("must be greater than {limit}").format(limit=0))
            )
        elif dispersion_limit is not None and self.dispersion_flag > dispersion_limit:
            problems.append(
                Problem(
                    p + "dispersion_flag",
                    _("must be at most {limit}").format(limit=dispersion_limit),
                )
            )
        return problems + self._tie_break_problems()

    def _criteria_problems(self) -> list[Problem]:
        if not self.criteria:
            return [Problem("criteria", _("at least one criterion is required"))]
        problems = []
        seen: set[str] = set()
        for where, criterion in grid_places(self.criteria):
            if criterion.key in seen:
                problems.append(
                    Problem(where + ".key", _("repeated: {item}").format(item=echo(criterion.key)))
                )
            seen.add(criterion.key)
        return problems

    def _level_problems(self, method: ScoringMethod | None) -> list[Problem]:
        problems = []
        limit = method.level_limit() if method else None
        for index, level in enumerate(self.levels):
            where = f"scoring.levels[{index}]"
            if level.value < 0:
                problems.append(Problem(where, _("must be at least {limit}").format(limit=0)))
            elif limit is not None and level.value > limit:
                problems.append(Problem(where, _("a coefficient is between 0 and 1")))
            if index and level.value <= self.levels[index - 1].value:
                problems.append(Problem(where, _("levels must increase")))
        labels = [level.label for level in self.levels]
        if any(labels) and not all(label.strip() for label in labels):
            problems.append(Problem("scoring.level_labels", _("every level needs its label")))
        return problems

    def _tie_break_problems(self) -> list[Problem]:
        problems = []
        keys = {c.key for c in self.every_criterion}
        for index, entry in enumerate(self.tie_break):
            where = f"scoring.tie_break[{index}]"
            if entry not in keys and entry not in TIE_BREAK_SPECIAL:
                problems.append(
                    Problem(
                        where,
                        _(
                            "not a criterion key, 'lower_request', 'submission_order' or "
                            "'lottery': {item}"
                        ).format(item=echo(entry)),
                    )
                )
            if entry in self.tie_break[:index]:
                problems.append(Problem(where, _("repeated: {item}").format(item=echo(entry))))
            if entry == LOTTERY and index != len(self.tie_break) - 1:
                problems.append(Problem(where, _("the lottery must come last")))
        return problems

    @property
    def scoring(self) -> ScoringMethod:
        """The scoring method's rules (bounds, places, points, words)."""
        return scoring_method(self.method)

    @property
    def max_total(self) -> Decimal:
        """The highest total a proposal can reach."""
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @cached_property
    def level_values(self) -> tuple[Decimal, ...]:
        """The allowed values (empty: any value in the method's range)."""
        return tuple(level.value for level in self.levels)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    def criterion(self, key: str) -> Criterion | None:
        """The criterion or sub-criterion ``key``, or None."""
        return next((c for c in self.every_criterion if c.key == key), None)

    @property
    def every_criterion(self) -> tuple[Criterion, ...]:
        """Each criterion followed by its sub-criteria, in the call's order."""
        return tuple(c for criterion in self.criteria for c in (criterion, *criterion.sub))

    @cached_property
    def leaves(self) -> tuple[Criterion, ...]:
        """What members score: each criterion's sub-criteria, or the criterion
        itself when it has none (without sub-criteria: the criteria)."""
        return tuple(leaf for criterion in self.criteria for leaf in criterion.leaves)

    @cached_property
    def _leaf_by_key(self) -> dict[str, Criterion]:
        # The office checks every score of every bundle against the grid:
        # 54,000 look-ups for nine members of a 1,000-proposal call.
        return {leaf.key: leaf for leaf in self.leaves}

    @property
    def leaf_keys(self) -> tuple[str, ...]:
        """The keys a member's score may carry."""
        return tuple(leaf.key for leaf in self.leaves)

    def leaf(self, key: str) -> Criterion | None:
        """The criterion or sub-criterion ``key`` if members score it, or None
        (a criterion that has sub-criteria is not scored itself)."""
        return self._leaf_by_key.get(key)

    def parent(self, key: str) -> Criterion | None:
        """The criterion whose sub-criterion is ``key``, or None."""
        return next((c for c in self.criteria if any(s.key == key for s in c.sub)), None)

    @property
    def has_subcriteria(self) -> bool:
        return any(c.sub for c in self.criteria)

    @property
    def cascade(self) -> tuple[str, ...]:
        """The tie-break levels before the lottery, which always ends the cascade."""
        return tuple(level for level in self.tie_break if level != LOTTERY)

    @cached_property
    def grid_hash(self) -> str:
        """SHA-256 of what gives scores their meaning (grid and scoring rules).

        Score bundles carry it, so scores given against one grid are never
        read against another. The canonical form is fixed by docs/formats.md.
        """

        def text(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:f}"

        document = {
            "method": self.method,
            "levels": [text(level.value) for level in self.levels],
            "threshold": text(self.threshold),
            "rescale": self.rescale,
            "min_evaluators": self.min_evaluators,
            "decimals": self.decimals,
            "justification_min_chars": self.justification_min_chars,
            "criteria": [hashed_criterion(c, text) for c in self.criteria],
        }
        # Added only when not the default, so the hashes of older calls stay.
        if self.rounding != TOTAL_OF_UNROUNDED:
            document["rounding"] = self.rounding
        if self.ties != FULL_ORDER:
            document["ties"] = self.ties
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _whole(where: str, value: int, low: int, high: int) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem(where, _("must be a whole number"))]
    if not low <= value <= high:
        return [
            Problem(
                where,
                _("must be between {minimum} and {maximum}").format(minimum=low, maximum=high),
            )
        ]
    return []


@dataclass(frozen=True)
class Matchfunding:
    """The city's matching contribution rule for this edition of the call:
    the crowd must raise ``crowd_share`` (α) of the budget; the city gives up
    to ``cap`` (K) per project from a ``fund`` (F), walking the ranking in
    ``allocation`` order; ``overshoot`` says whether a crowd that raised more
    than its share lowers the match (``"remaining"``, the default) or not."""

    crowd_share: Decimal
    cap: Decimal
    max_project_cost: Decimal
    campaign_days: int
    fund: Decimal
    allocation: str
    overshoot: str = "remaining"

    def __post_init__(self) -> None:
        p = "matchfunding."
        problems = []
        for name in ("crowd_share", "cap", "max_project_cost", "fund"):
            if not getattr(self, name) > 0:
                problems.append(
                    Problem(p + name, _("must be greater than {limit}").format(limit=0))
                )
        if self.crowd_share >= 1:
            problems.append(Problem(p + "crowd_share", _("must be less than 1")))
        problems += _whole(p + "campaign_days", self.campaign_days, 1, MAX_CAMPAIGN_DAYS)
        if self.allocation not in ALLOCATIONS:
            problems.append(Problem(p + "allocation", one_of(ALLOCATIONS)))
        if self.overshoot not in OVERSHOOTS:
            problems.append(Problem(p + "overshoot", one_of(OVERSHOOTS)))
        _raise(problems)

    def max_contribution(self, total_cost: Decimal) -> Decimal:
        """The most the city may give a project of ``total_cost``:
        ``min(K, (1 − α)·B)`` to the cent, since the crowd must raise ``α·B``."""
        share = ((1 - self.crowd_share) * total_cost).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        return min(self.cap, share)


@dataclass(frozen=True)
class CallRules:
    """The whole rulebook of a call: how it is scored and how it is funded."""

    grid: Grid
    matchfunding: Matchfunding

    @property
    def grid_hash(self) -> str:
        return self.grid.grid_hash
