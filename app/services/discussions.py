"""The commission's discussions of dispersion flags, as the secretariat records them.

The ranking flags a criterion of a proposal when the members' values on it
are further apart than the call allows (``dispersion_flag``); a flag informs
and never changes a score. What the commission did about it happens in a
sitting: it *confirmed* the values, or a member *revised* theirs — the
revision reaches the office as a new signed bundle, which the ranking reads
as any other; the record only says it happened. Each record names the sitting
(the latest recorded one unless another is chosen) and carries a short note.
The minutes print these records; a flag without one reads "flagged, not
discussed". Audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CommissionDiscussion, CommissionSitting, Proposal
from app.models.minutes import CONFIRMED, REVISED
from app.reports.minutes_discussions import Discussion
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import UnknownProposalError
from app.services.minutes_errors import UnknownSittingError
from app.services.sitting_errors import (
    NOTE_LIMIT,
    DiscussionNoteError,
    DiscussionOutcomeError,
    DiscussionWithoutSittingError,
    NotAFlagError,
)
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

OUTCOMES = (CONFIRMED, REVISED)


@dataclass(frozen=True)
class FlagView:
    """One dispersion flag of the ranking, the members' values behind it and
    what was recorded of its discussion."""

    proposal: str
    title: str
    criterion: str  # key
    criterion_title: str
    values: tuple[tuple[str, Decimal], ...]  # (member, value), roster order
    discussions: tuple[Discussion, ...]

    @property
    def spread(self) -> Decimal | None:
        given = [v for _m, v in self.values]
        return max(given) - min(given) if given else None

    @property
    def discussed(self) -> bool:
        return bool(self.discussions)


@dataclass(frozen=True)
class DiscussionRecorded:
    discussion: Discussion
    changes: Changes


def _sitting_numbers(session: Session, call_id: str) -> dict[int, tuple[int, dt.date]]:
    """Sitting id -> (its number in the minutes, its day)."""
    rows = session.scalars(
        select(CommissionSitting)
        .where(CommissionSitting.call_id == call_id)
        .order_by(CommissionSitting.held_on, CommissionSitting.id)
    )
    return {row.id: (number, row.held_on) for number, row in enumerate(rows, start=1)}


def discussions_of(session: Session, call_id: str) -> list[Discussion]:
    """Every recorded discussion of ``call_id``, by sitting then as recorded."""
    numbers = _sitting_numbers(session, call_id)
    codes: dict[int, str] = {
        pid: code
        for pid, code in session.execute(
            select(Proposal.id, Proposal.code).where(Proposal.call_id == call_id)
        )
    }
    rows = session.scalars(
        select(CommissionDiscussion)
        .where(CommissionDiscussion.call_id == call_id)
        .order_by(CommissionDiscussion.id)
    )
    result = [
        Discussion(
            proposal=codes[row.proposal_id],
            criterion=row.criterion_key,
            sitting=numbers[row.sitting_id][0],
            held_on=numbers[row.sitting_id][1],
            outcome=row.outcome,
            note=row.note,
            sitting_id=row.sitting_id,
        )
        for row in rows
    ]
    return sorted(result, key=lambda d: d.sitting)


def _flags(ws: OpenWorkspace, call_id: str) -> list[tuple[str, str, str]]:
    """(proposal, its title, criterion key) of every flag in the ranking."""
    from app.services.ranking import ranking_view

    view = ranking_view(ws, call_id)
    lines = [(r.proposal, r.title, r.flags) for r in view.rows]
    lines += [(e.proposal, e.title, e.flags) for e in view.excluded]
    return [(proposal, title, key) for proposal, title, keys in sorted(lines) for key in keys]


def list_flags(ws: OpenWorkspace, call_id: str) -> list[FlagView]:
    """Every dispersion flag of the ranking of ``call_id`` with its discussions."""
    from app.services.ranking import drill_down

    flags = _flags(ws, call_id)
    drills = {code: drill_down(ws, call_id, code) for code in {p for p, _t, _k in flags}}
    with ws.session() as session:
        require_role(session, "secretariat")
        grid = get_call(session, call_id).grid
        recorded = discussions_of(session, call_id)
    result = []
    for proposal, title, key in flags:
        criterion = grid.criterion(key)
        values = tuple(
            (e.member, e.values[key])
            for e in drills[proposal].evaluations
            if e.declared and not e.conflicted and key in e.values
        )
        result.append(
            FlagView(
                proposal=proposal,
                title=title,
                criterion=key,
                criterion_title=criterion.title if criterion else key,
                values=values,
                discussions=tuple(
                    d for d in recorded if (d.proposal, d.criterion) == (proposal, key)
                ),
            )
        )
    return result


def undiscussed_flags(ws: OpenWorkspace, call_id: str) -> list[FlagView]:
    """The flags no discussion was recorded for (asked about before approving)."""
    return [f for f in list_flags(ws, call_id) if not f.discussed]


def record_discussion(
    ws: OpenWorkspace,
    call_id: str,
    proposal: str,
    criterion: str,
    *,
    outcome: str,
    note: str,
    sitting: int | None = None,
) -> DiscussionRecorded:
    """Record what the commission did about the flag on ``criterion`` of
    ``proposal`` in sitting ``sitting`` (its id; the latest recorded sitting
    when None). Refused with nothing written."""
    if outcome not in OUTCOMES:
        raise DiscussionOutcomeError(outcome)
    note = " ".join(note.split())
    if not note or len(note) > NOTE_LIMIT:
        raise DiscussionNoteError()
    flags = {(p, k) for p, _t, k in _flags(ws, call_id)}
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        row = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id, Proposal.code == proposal)
        ).first()
        if row is None:
            raise UnknownProposalError(call_id, proposal)
        if (proposal, criterion) not in flags:
            raise NotAFlagError(proposal, criterion)
        numbers = _sitting_numbers(session, call_id)
        if not numbers:
            raise DiscussionWithoutSittingError(call_id)
        if sitting is None:
            sitting = max(numbers, key=lambda s: numbers[s])
        elif sitting not in numbers:
            raise UnknownSittingError(sitting)
        session.add(
            CommissionDiscussion(
                call_id=call_id,
                proposal_id=row.id,
                criterion_key=criterion,
                sitting_id=sitting,
                outcome=outcome,
                note=note,
            )
        )
        audit.append(
            session,
            actor=identity.key_id,
            action="discussion.add",
            call_id=call_id,
            subject=f"{proposal}/{criterion}",
            details={"sitting": sitting, "outcome": outcome, "note": note},
        )
        number, day = numbers[sitting]
        recorded = Discussion(proposal, criterion, number, day, outcome, note, sitting)
    return DiscussionRecorded(recorded, Changes(sittings=True))
