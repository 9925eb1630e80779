"""What the evaluation minutes (verbale) show, as plain values.

The services build a :class:`MinutesView` from the workspace once the ranking
is approved; :mod:`app.reports.minutes` lays it out. Nothing here knows about
the database: the ranking itself is the frozen :class:`RankingView`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.models.call_acts import CallActs
from app.models.definition import CallInfo
from app.models.rules import Grid, Matchfunding
from app.reports.minutes_discussions import Discussion
from app.reports.sheet_view import SheetView
from app.scoring.collegial import CollegialDecision
from app.scoring.views import RankingView


@dataclass(frozen=True)
class CommissionMember:
    """A member of the commission and what the office received from them."""

    name: str
    role: str  # "president", "member" or "substitute"
    fingerprint: str
    declared_at: dt.datetime | None  # the declaration of no incompatibility
    declaration_version: str
    bundles: int  # accepted score bundles


@dataclass(frozen=True)
class Secretary:
    """The secretary who takes the minutes (segretario verbalizzante), named
    in the call file, and the secretariat's workspace (segreteria tecnica)
    whose key signed the ranking."""

    name: str
    fingerprint: str
    office: str = ""  # the secretariat workspace's name


@dataclass(frozen=True)
class Sitting:
    """A sitting of the commission as the secretariat recorded it.

    ``place`` is the place of an in-person sitting or the tool of a telematic
    one. A sitting recorded before Vaglio asked for times, mode, absences and
    the secretary (migration 0011) has None in those: the minutes say so.
    """

    held_on: dt.date
    place: str
    present: tuple[str, ...]
    absent: tuple[str, ...]
    notes: str
    starts_at: str | None = None  # "HH:MM"
    ends_at: str | None = None
    mode: str | None = None  # "in_person", "telematic"
    secretary: str | None = None  # who took the minutes of the sitting
    full_members: tuple[str, ...] = ()  # the commission's president and members


@dataclass(frozen=True)
class ConflictEntry:
    """A member's declared conflict of interest on one proposal, or a later
    change of it (the history is printed, not only the latest state)."""

    member: str
    proposal: str
    title: str
    category: str | None
    reason: str
    declared_at: dt.datetime | None
    # app.services.conflict_history: "conflict" (first declared), "declared"
    # (after a declaration of no conflict), "withdrawn", "revised".
    kind: str = "conflict"
    bundle: int | None = None  # the score bundle that carried it


@dataclass(frozen=True)
class MemberScores:
    """One member's values and motivations on a proposal."""

    member: str
    values: dict[str, Decimal]
    motivations: dict[str, str]


@dataclass(frozen=True)
class ProposalScores:
    """A proposal as the commission scored it: collegial points and motivations."""

    proposal: str
    title: str
    applicant: str
    rank: int | None
    reason: str | None  # exclusion reason, None when ranked
    total: Decimal | None
    points: dict[str, Decimal]  # collegial (published) points per criterion
    evaluators: int
    flags: tuple[str, ...]
    members: tuple[MemberScores, ...]  # non-conflicted members who scored it
    abstained: tuple[str, ...]  # members who declared a conflict
    # (member in conflict, the substitute who evaluated in their place)
    substitutes: tuple[tuple[str, str], ...] = ()
    # The commission's agreed scores (method "collegial"), from the frozen ranking.
    collegial: tuple[CollegialDecision, ...] = ()


@dataclass(frozen=True)
class MinutesView:
    """Everything the minutes of one call show."""

    call: CallInfo
    proposals_received: int
    rules: Grid
    commission: tuple[CommissionMember, ...]
    secretary: Secretary
    sittings: tuple[Sitting, ...]
    conflicts: tuple[ConflictEntry, ...]
    proposals: tuple[ProposalScores, ...]
    ranking: RankingView
    reason_labels: dict[str, str]  # exclusion code -> wording
    # The call's matchfunding rule: stated with the others, and the funding
    # line of ``ties = "ex_aequo"``.
    matchfunding: Matchfunding | None = None
    # The call's acts, the RUP, the place of signature and the named secretary.
    acts: CallActs = dataclasses.field(default_factory=CallActs)
    # Why each inadmissible proposal is out, as recorded (proposal id -> sentences).
    inadmissible: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    # What was recorded of the commission's discussion of each dispersion flag.
    discussions: tuple[Discussion, ...] = ()
    # The members' individual sheets annexed when the call asks for them
    # (``[minutes] individual_sheets``), printed from the accepted bundles.
    individual_sheets: tuple[SheetView, ...] = ()

    @property
    def approved_at(self) -> dt.datetime:
        assert self.ranking.approved_at is not None
        return self.ranking.approved_at
