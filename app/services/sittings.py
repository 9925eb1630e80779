"""The commission's sittings (sedute), as the secretariat records them for the minutes.

The members evaluate offline, so the app cannot see the meetings: the
secretariat writes down those that took place (day, place or mode, who was
present). Sittings are not part of the evaluation, so they can be recorded
after the ranking is approved, until the minutes are signed. Audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today_in_rome
from app.i18n import format_date
from app.models import CommissionSitting, Member
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import expected_members
from app.services.collegial_errors import SittingHasCollegialScoresError
from app.services.minutes_errors import (
    FutureSittingError,
    SittingPlaceMissingError,
    UnknownAttendeeError,
    UnknownSittingError,
)
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


@dataclass(frozen=True)
class SittingView:
    id: int
    held_on: dt.date
    place: str
    present: tuple[str, ...]  # names
    absent: tuple[str, ...]
    notes: str


def _view(row: CommissionSitting, members: Sequence[Member], expected: set[int]) -> SittingView:
    """Absent: an expected member (a full one, or a seated substitute) not present."""
    return SittingView(
        id=row.id,
        held_on=row.held_on,
        place=row.place,
        present=tuple(m.name for m in members if m.key_id in row.present),
        absent=tuple(m.name for m in members if m.id in expected and m.key_id not in row.present),
        notes=row.notes,
    )


def _roster(session: Session, call_id: str) -> list[Member]:
    return list(
        session.scalars(select(Member).where(Member.call_id == call_id).order_by(Member.id))
    )


@dataclass(frozen=True)
class SittingRecorded:
    sitting: SittingView
    changes: Changes


def list_sittings(ws: OpenWorkspace, call_id: str) -> list[SittingView]:
    """The sittings recorded for ``call_id``, oldest first."""
    with ws.session() as session:
        require_role(session, "secretariat")
        get_call(session, call_id)
        members = _roster(session, call_id)
        rows = session.scalars(
            select(CommissionSitting)
            .where(CommissionSitting.call_id == call_id)
            .order_by(CommissionSitting.held_on, CommissionSitting.id)
        )
        expected = {m.id for m in expected_members(session, call_id)}
        return [_view(row, members, expected) for row in rows]


def add_sitting(
    ws: OpenWorkspace,
    call_id: str,
    *,
    held_on: dt.date,
    place: str,
    present: Sequence[str],
    notes: str = "",
) -> SittingRecorded:
    """Record a sitting; ``present`` names members (by name or key id)."""
    place = place.strip()
    if not place:
        raise SittingPlaceMissingError()
    if held_on > today_in_rome():
        raise FutureSittingError(format_date(held_on))
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        members = _roster(session, call_id)
        keys = []
        for who in present:
            member = next((m for m in members if who in (m.name, m.key_id)), None)
            if member is None:
                raise UnknownAttendeeError(who, call_id)
            keys.append(member.key_id)
        row = CommissionSitting(
            call_id=call_id, held_on=held_on, place=place, present=keys, notes=notes.strip()
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=identity.key_id,
            action="sitting.add",
            call_id=call_id,
            subject=str(row.id),
            details={"held_on": held_on.isoformat(), "place": place, "present": keys},
        )
        expected = {m.id for m in expected_members(session, call_id)}
        return SittingRecorded(_view(row, members, expected), Changes(sittings=True))


def _collegial_count(session: Session, sitting_id: int) -> int:
    from sqlalchemy import func

    from app.models import CollegialScore

    return int(
        session.scalar(
            select(func.count())
            .select_from(CollegialScore)
            .where(CollegialScore.sitting_id == sitting_id)
        )
        or 0
    )


def remove_sitting(ws: OpenWorkspace, call_id: str, sitting_id: int) -> Changes:
    """Remove a sitting recorded by mistake (audited)."""
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        row = session.get(CommissionSitting, sitting_id)
        if row is None or row.call_id != call_id:
            raise UnknownSittingError(sitting_id)
        agreed = _collegial_count(session, sitting_id)
        if agreed:  # the minutes name the sitting where each was agreed
            raise SittingHasCollegialScoresError(sitting_id, agreed)
        audit.append(
            session,
            actor=identity.key_id,
            action="sitting.remove",
            call_id=call_id,
            subject=str(sitting_id),
            details={"held_on": row.held_on.isoformat(), "place": row.place},
        )
        session.delete(row)
    return Changes(sittings=True)
