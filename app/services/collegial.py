"""The commission's collegial scores: recorded by the secretariat in a sitting.

Under ``method = "collegial"`` (app/models/methods.py) the members score
alone and send their signed bundles as the preparatory work; those bundles
stay sealed evidence, taken in as for any call. In a sitting the commission
then agrees, per proposal and criterion, one coefficient and its motivation,
unanimously or by majority, and the secretariat records it here:

- the value obeys the call (its levels, or a coefficient in [0, 1] to the
  hundredth) and the motivation its minimum length;
- a majority names the members who voted against; each must belong to the
  proposal's college (enrolled in the call, not in conflict on it, a
  substitute only in the seat assigned to them) and, when the decision is
  tied to a recorded sitting, have been present; they must be fewer than
  half the college;
- when the call has recorded sittings, the decision names the one where it
  was taken (the minutes print it);
- recording again replaces the decision, until the lottery number is
  recorded or the ranking approved. Every write is audited.

The ranking (app/services/ranking.py) reads the decisions through
:func:`collegial_decisions`; a proposal lacking one on some criterion is not
ranked yet and approval is refused, naming it. Approval freezes the decisions
inside the ranking document, so the minutes print what the ranking used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import echo
from app.i18n import format_date, format_decimal
from app.labels import FULL_MEMBER_ROLES
from app.models import (
    Call,
    CollegialScore,
    CommissionSitting,
    ConflictDeclaration,
    Member,
    Proposal,
    RankingRecord,
    Score,
)
from app.models.base import utc_now
from app.models.numbers import places_of
from app.models.rules import MAX_MOTIVATION, Criterion, Grid
from app.reports.minutes_collegial import decision_sentence
from app.scoring.collegial import MAJORITY, UNANIMOUS, CollegialDecision
from app.scoring.sheet import motivation_ok, value_problem
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import substitute_seats
from app.services.collegial_errors import (
    CollegialClosedError,
    DissenterAbsentError,
    MajorityWithoutDissentError,
    NoMajorityError,
    NotCollegialError,
    NotInCollegeError,
    SittingRequiredError,
    UnanimousWithDissentError,
    UnknownVoteError,
)
from app.services.evaluation_errors import (
    InadmissibleProposalError,
    MotivationTooShortError,
    UnknownCriterionError,
    ValueNotAllowedError,
)
from app.services.minutes_errors import UnknownSittingError
from app.services.proposals import get_proposal
from app.services.scores import allowed_values, parse_value
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

VOTES = (UNANIMOUS, MAJORITY)


def college_of(session: Session, call_id: str, proposal: Proposal) -> list[Member]:
    """The members who evaluate ``proposal``, in roster order: the full members
    not in conflict on it, and a substitute seated on it in someone's place."""
    conflicted = set(
        session.scalars(
            select(ConflictDeclaration.member_id).where(
                ConflictDeclaration.proposal_id == proposal.id, ConflictDeclaration.has_conflict
            )
        )
    )
    seated = substitute_seats(session, call_id)
    return [
        m
        for m in session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        )
        if m.id not in conflicted
        and (m.commission_role in FULL_MEMBER_ROLES or seated.get((m.id, proposal.id), False))
    ]


def collegial_decisions(session: Session, call: Call) -> tuple[CollegialDecision, ...]:
    """Every decision recorded for ``call``, by proposal code then criterion order."""
    if not call.grid.scoring.collegial:
        return ()
    keys = call.criterion_keys()
    order = {key: position for position, key in enumerate(call.grid.keys)}
    names = dict(
        session.execute(select(Member.key_id, Member.name).where(Member.call_id == call.id)).all()
    )
    roster = {
        key: position
        for position, key in enumerate(
            session.scalars(
                select(Member.key_id).where(Member.call_id == call.id).order_by(Member.id)
            )
        )
    }
    codes = dict(
        session.execute(select(Proposal.id, Proposal.code).where(Proposal.call_id == call.id)).all()
    )
    sittings = {
        s.id: s
        for s in session.scalars(
            select(CommissionSitting).where(CommissionSitting.call_id == call.id)
        )
    }
    result = []
    for row in session.scalars(select(CollegialScore).where(CollegialScore.call_id == call.id)):
        sitting = sittings.get(row.sitting_id) if row.sitting_id is not None else None
        result.append(
            CollegialDecision(
                proposal=codes[row.proposal_id],
                criterion=keys[row.criterion_id],
                value=row.value,
                motivation=row.motivation,
                vote=row.vote,
                dissent=tuple(
                    names.get(k, k) for k in sorted(row.dissent, key=lambda k: roster.get(k, 0))
                ),
                sitting_on=sitting.held_on if sitting else None,
                sitting_place=sitting.place if sitting else "",
            )
        )
    result.sort(key=lambda d: (d.proposal, order.get(d.criterion, 0)))
    return tuple(result)


def dissent_outside_college(session: Session, call: Call) -> list[str]:
    """``P001/innovation: Name`` for each recorded dissenter no longer in the
    proposal's college (a conflict declared after the decision)."""
    if not call.grid.scoring.collegial:
        return []
    keys = call.criterion_keys()
    names = dict(
        session.execute(select(Member.key_id, Member.name).where(Member.call_id == call.id)).all()
    )
    cases = []
    colleges: dict[int, set[str]] = {}
    for row in session.scalars(
        select(CollegialScore).where(CollegialScore.call_id == call.id).order_by(CollegialScore.id)
    ):
        if not row.dissent:
            continue
        proposal = session.get(Proposal, row.proposal_id)
        assert proposal is not None
        if row.proposal_id not in colleges:
            colleges[row.proposal_id] = {m.key_id for m in college_of(session, call.id, proposal)}
        for key in row.dissent:
            if key not in colleges[row.proposal_id]:
                cases.append(f"{proposal.code}/{keys[row.criterion_id]}: {names.get(key, key)}")
    return cases


@dataclass(frozen=True)
class CollegialRecorded:
    decision: CollegialDecision
    replaced: bool  # a decision on that criterion existed and was replaced
    changes: Changes = field(default_factory=lambda: Changes(ranking=True))


def _closed(session: Session, call_id: str) -> bool:
    record = session.get(RankingRecord, call_id)
    return record is not None and (
        record.approved_at is not None or record.lottery_number is not None
    )


def _dissenters(
    session: Session,
    call_id: str,
    proposal: Proposal,
    names: Sequence[str],
    sitting: CommissionSitting | None,
) -> list[Member]:
    college = college_of(session, call_id, proposal)
    chosen: list[Member] = []
    for name in names:
        who = name.strip()
        member = next((m for m in college if who in (m.name, m.key_id)), None)
        if member is None:
            raise NotInCollegeError(who, proposal.code, [m.name for m in college])
        if sitting is not None and member.key_id not in sitting.present:
            raise DissenterAbsentError(member.name, format_date(sitting.held_on))
        if member not in chosen:
            chosen.append(member)
    if chosen and 2 * len(chosen) >= len(college):
        raise NoMajorityError(len(chosen), len(college))
    return chosen


def _checked(grid: Grid, key: str, value: str, motivation: str) -> tuple[Criterion, Decimal]:
    """The criterion and the value, if the value obeys the call and the motivation is long
    enough."""
    rule = grid.criterion(key)
    if rule is None:
        raise UnknownCriterionError(echo(key), list(grid.keys))
    number = parse_value(value, rule.title)
    if value_problem(grid, rule, number) is not None:
        raise ValueNotAllowedError(
            rule.title,
            format_decimal(number, places_of(number.normalize())),
            allowed_values(grid, rule.key),
        )
    if not motivation_ok(grid, motivation) or len(motivation) > MAX_MOTIVATION:
        raise MotivationTooShortError(rule.title, grid.justification_min_chars, len(motivation))
    return rule, number


def _vote_checked(vote: str, dissent: Sequence[str]) -> list[str]:
    """The dissenting names, if they fit the vote."""
    names = [d for d in (d.strip() for d in dissent) if d]
    if vote not in VOTES:
        raise UnknownVoteError(vote)
    if vote == UNANIMOUS and names:
        raise UnanimousWithDissentError(names)
    if vote == MAJORITY and not names:
        raise MajorityWithoutDissentError()
    return names


def record_collegial(
    ws: OpenWorkspace,
    call_id: str,
    proposal_id: str,
    criterion: str,
    *,
    value: str,
    motivation: str,
    vote: str,
    dissent: Sequence[str] = (),
    sitting: int | None = None,
) -> CollegialRecorded:
    """Record (or replace) the commission's agreed value on one criterion of one proposal.

    Every check runs before anything is written; a refusal writes nothing.
    """
    motivation = motivation.strip()
    dissent = _vote_checked(vote, dissent)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        grid = call.grid
        if not grid.scoring.collegial:
            raise NotCollegialError(call_id)
        if _closed(session, call_id):
            raise CollegialClosedError(call_id)
        proposal = get_proposal(session, call_id, proposal_id)
        if not proposal.admissible:
            raise InadmissibleProposalError(proposal.code)
        rule = grid.criterion(criterion)
        if rule is None:
            raise UnknownCriterionError(echo(criterion), list(grid.keys))
        number = parse_value(value, rule.title)
        if value_problem(grid, rule, number) is not None:
            raise ValueNotAllowedError(
                rule.title,
                format_decimal(number, places_of(number.normalize())),
                allowed_values(grid, rule.key),
            )
        if not motivation_ok(grid, motivation) or len(motivation) > MAX_MOTIVATION:
            raise MotivationTooShortError(rule.title, grid.justification_min_chars, len(motivation))
        row_sitting = None
        if sitting is not None:
            row_sitting = session.get(CommissionSitting, sitting)
            if row_sitting is None or row_sitting.call_id != call_id:
                raise UnknownSittingError(sitting)
        elif session.scalar(
            select(func.count())
            .select_from(CommissionSitting)
            .where(CommissionSitting.call_id == call_id)
        ):
            raise SittingRequiredError(call_id)
        members = _dissenters(session, call_id, proposal, dissent, row_sitting)
        criterion_id = next(r.id for r in call.criteria if r.key == rule.key)
        row = session.scalars(
            select(CollegialScore).where(
                CollegialScore.proposal_id == proposal.id,
                CollegialScore.criterion_id == criterion_id,
            )
        ).first()
        replaced = row is not None
        if row is None:
            row = CollegialScore(
                call_id=call_id, proposal_id=proposal.id, criterion_id=criterion_id
            )
            session.add(row)
        row.value = number
        row.motivation = motivation
        row.vote = vote
        row.dissent = [m.key_id for m in members]
        row.sitting_id = sitting
        row.recorded_at = utc_now()
        audit.append(
            session,
            actor=identity.key_id,
            action="collegial.record",
            call_id=call_id,
            subject=f"{proposal.code}/{rule.key}",
            details={
                "value": f"{number:f}",
                "vote": vote,
                "dissent": row.dissent,
                "sitting": sitting,
                "replaced": replaced,
            },
        )
        decision = CollegialDecision(
            proposal=proposal.code,
            criterion=rule.key,
            value=number,
            motivation=motivation,
            vote=vote,
            dissent=tuple(m.name for m in members),
            sitting_on=row_sitting.held_on if row_sitting else None,
            sitting_place=row_sitting.place if row_sitting else "",
        )
        return CollegialRecorded(decision, replaced)


@dataclass(frozen=True)
class CollegialCriterion:
    """One criterion of a proposal: the members' own values and the agreed one."""

    key: str
    title: str
    individual: tuple[tuple[str, Decimal | None], ...]  # (member, value) in roster order
    decision: CollegialDecision | None


@dataclass(frozen=True)
class CollegialProposal:
    proposal: str
    title: str
    college: tuple[str, ...]  # who may vote against
    criteria: tuple[CollegialCriterion, ...]

    @property
    def complete(self) -> bool:
        return all(c.decision is not None for c in self.criteria)


@dataclass(frozen=True)
class SittingChoice:
    id: int
    held_on: dt.date
    place: str
    present: tuple[str, ...]


@dataclass(frozen=True)
class CollegialSheet:
    """What the secretariat sees to record a call's collegial scores."""

    call_id: str
    grid: Grid  # the levels, their labels and the motivation minimum
    proposals: tuple[CollegialProposal, ...]
    sittings: tuple[SittingChoice, ...]
    closed: bool  # approved, or the lottery number recorded

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(p.proposal for p in self.proposals if not p.complete)


def collegial_sheet(ws: OpenWorkspace, call_id: str) -> CollegialSheet:
    """Every admissible proposal with the members' values and the agreed ones."""
    with ws.session() as session:
        require_role(session, "secretariat")
        call = get_call(session, call_id)
        if not call.grid.scoring.collegial:
            raise NotCollegialError(call_id)
        decisions = {(d.proposal, d.criterion): d for d in collegial_decisions(session, call)}
        keys = call.criterion_keys()
        values: dict[tuple[int, int], dict[str, Decimal]] = {}
        for member_id, proposal_id, criterion_id, value in session.execute(
            select(Score.member_id, Score.proposal_id, Score.criterion_id, Score.value)
            .join(Member, Member.id == Score.member_id)
            .where(Member.call_id == call_id, Score.value.is_not(None))
        ):
            if value is not None:
                values.setdefault((member_id, proposal_id), {})[keys[criterion_id]] = value
        members = {
            m.key_id: m.name
            for m in session.scalars(select(Member).where(Member.call_id == call_id))
        }
        proposals = []
        for proposal in session.scalars(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.admissible)
            .order_by(Proposal.code)
        ):
            college = college_of(session, call_id, proposal)
            proposals.append(
                CollegialProposal(
                    proposal=proposal.code,
                    title=proposal.title,
                    college=tuple(m.name for m in college),
                    criteria=tuple(
                        CollegialCriterion(
                            key=c.key,
                            title=c.title,
                            individual=tuple(
                                (m.name, values.get((m.id, proposal.id), {}).get(c.key))
                                for m in college
                            ),
                            decision=decisions.get((proposal.code, c.key)),
                        )
                        for c in call.grid.criteria
                    ),
                )
            )
        sittings = tuple(
            SittingChoice(s.id, s.held_on, s.place, tuple(members.get(k, k) for k in s.present))
            for s in session.scalars(
                select(CommissionSitting)
                .where(CommissionSitting.call_id == call_id)
                .order_by(CommissionSitting.held_on, CommissionSitting.id)
            )
        )
        return CollegialSheet(
            call_id, call.grid, tuple(proposals), sittings, _closed(session, call_id)
        )


def decision_words(decision: CollegialDecision) -> str:
    """The decision as the minutes will say it (the CLI and the dialog echo it)."""
    return decision_sentence(decision)
