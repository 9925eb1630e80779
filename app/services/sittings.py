"""The commission's sittings (sedute), as the secretariat records them for the minutes.

The members evaluate offline, so the app cannot see the meetings: the
secretariat writes down those that took place — day, start and end, place or
telematic tool, who was present and who absent, the secretary who took the
minutes. Every full member is either present or absent: the record says which.
Sittings are not part of the evaluation, so they can be recorded after the
ranking is approved, until the minutes are signed. Audited. Nothing here is
ever inferred: the minutes need at least one recorded sitting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today_in_rome
from app.i18n import format_date
from app.models import CollegialScore, CommissionDiscussion, CommissionSitting, Member
from app.models.minutes import IN_PERSON, TELEMATIC
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import expected_members
from app.services.collegial_errors import SittingHasCollegialScoresError
from app.services.minutes_errors import (
    FutureSittingError,
    UnknownAttendeeError,
    UnknownSittingError,
)
from app.services.sitting_errors import (
    AttendanceBothError,
    AttendanceIncompleteError,
    SittingModeError,
    SittingSecretaryMissingError,
    SittingTimeError,
    SittingTimesOrderError,
)
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

FULL_ROLES = ("president", "member")


@dataclass(frozen=True)
class SittingView:
    id: int
    held_on: dt.date
    place: str  # the place, or the telematic tool
    present: tuple[str, ...]  # names
    absent: tuple[str, ...]
    notes: str
    starts_at: str | None = None  # "HH:MM"; None in sittings recorded before 0011
    ends_at: str | None = None
    mode: str | None = None  # "in_person", "telematic"; None: recorded before 0011
    secretary: str | None = None
    full_members: tuple[str, ...] = ()  # the commission's full members (president, members)

    @property
    def telematic(self) -> bool:
        return self.mode == TELEMATIC

    @property
    def everyone_present(self) -> bool:
        """Every full member of the commission is recorded present."""
        return all(name in self.present for name in self.full_members)


def _view(row: CommissionSitting, members: Sequence[Member], expected: set[int]) -> SittingView:
    """Absent as recorded; for a sitting recorded before the absences were
    (migration 0011), an expected member not recorded present, as then."""
    if row.absent is not None:
        absent = tuple(m.name for m in members if m.key_id in row.absent)
    else:
        absent = tuple(m.name for m in members if m.id in expected and m.key_id not in row.present)
    return SittingView(
        id=row.id,
        held_on=row.held_on,
        place=row.place,
        present=tuple(m.name for m in members if m.key_id in row.present),
        absent=absent,
        notes=row.notes,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        mode=row.mode,
        secretary=row.secretary,
        full_members=tuple(m.name for m in members if m.commission_role in FULL_ROLES),
    )


def _roster(session: Session, call_id: str) -> list[Member]:
    return list(
        session.scalars(select(Member).where(Member.call_id == call_id).order_by(Member.id))
    )


@dataclass(frozen=True)
class SittingRecorded:
    sitting: SittingView
    changes: Changes


def sittings_of(session: Session, call_id: str) -> list[SittingView]:
    """The sittings recorded for ``call_id``, oldest first (within a session)."""
    members = _roster(session, call_id)
    rows = session.scalars(
        select(CommissionSitting)
        .where(CommissionSitting.call_id == call_id)
        .order_by(CommissionSitting.held_on, CommissionSitting.id)
    )
    expected = {m.id for m in expected_members(session, call_id)}
    return [_view(row, members, expected) for row in rows]


def list_sittings(ws: OpenWorkspace, call_id: str) -> list[SittingView]:
    """The sittings recorded for ``call_id``, oldest first."""
    with ws.session() as session:
        require_role(session, "secretariat")
        get_call(session, call_id)
        return sittings_of(session, call_id)


def parse_time(text: str) -> dt.time:
    """``HH:MM`` as a time, or a refusal naming the text."""
    try:
        hours, minutes = text.strip().split(":")
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError(text)
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise SittingTimeError(text) from None


def add_sitting(
    ws: OpenWorkspace,
    call_id: str,
    *,
    held_on: dt.date,
    starts_at: str,
    ends_at: str,
    place: str = "",
    telematic: str = "",
    present: Sequence[str],
    absent: Sequence[str] = (),
    secretary: str,
    notes: str = "",
) -> SittingRecorded:
    """Record a sitting held in ``place`` or with the telematic tool ``telematic``
    (one of the two); ``present`` and ``absent`` name members (by name or key
    id), and every full member is in one of them. Refused with nothing written."""
    start, end = parse_time(starts_at), parse_time(ends_at)
    if start >= end:
        raise SittingTimesOrderError(starts_at, ends_at)
    place, telematic = place.strip(), telematic.strip()
    if bool(place) == bool(telematic):
        raise SittingModeError()
    secretary = secretary.strip()
    if not secretary:
        raise SittingSecretaryMissingError()
    if held_on > today_in_rome():
        raise FutureSittingError(format_date(held_on))
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        members = _roster(session, call_id)

        def resolve(names: Sequence[str]) -> list[Member]:
            found = []
            for who in names:
                member = next((m for m in members if who.strip() in (m.name, m.key_id)), None)
                if member is None:
                    raise UnknownAttendeeError(who, call_id)
                found.append(member)
            return found

        there, away = resolve(present), resolve(absent)
        both = next((m for m in there if m in away), None)
        if both is not None:
            raise AttendanceBothError(both.name)
        missing = [
            m.name
            for m in members
            if m.commission_role in FULL_ROLES and m not in there and m not in away
        ]
        if missing:
            raise AttendanceIncompleteError(missing)
        present_keys = [m.key_id for m in members if m in there]
        absent_keys = [m.key_id for m in members if m in away]
        row = CommissionSitting(
            call_id=call_id,
            held_on=held_on,
            starts_at=start.strftime("%H:%M"),
            ends_at=end.strftime("%H:%M"),
            mode=TELEMATIC if telematic else IN_PERSON,
            place=telematic or place,
            present=present_keys,
            absent=absent_keys,
            secretary=secretary,
            notes=notes.strip(),
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor=identity.key_id,
            action="sitting.add",
            call_id=call_id,
            subject=str(row.id),
            details={
                "held_on": held_on.isoformat(),
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "mode": row.mode,
                "place": row.place,
                "present": present_keys,
                "absent": absent_keys,
                "secretary": secretary,
            },
        )
        expected = {m.id for m in expected_members(session, call_id)}
        return SittingRecorded(_view(row, members, expected), Changes(sittings=True))


def _count(session: Session, model: type, sitting_id: int) -> int:
    column = model.sitting_id  # type: ignore[attr-defined]
    return int(
        session.scalar(select(func.count()).select_from(model).where(column == sitting_id)) or 0
    )


def remove_sitting(ws: OpenWorkspace, call_id: str, sitting_id: int) -> Changes:
    """Remove a sitting recorded by mistake (audited); not one that the
    minutes name for an agreed score or a discussion."""
    from app.services.sitting_errors import SittingHasDiscussionsError

    with ws.session() as session:
        identity = require_role(session, "secretariat")
        row = session.get(CommissionSitting, sitting_id)
        if row is None or row.call_id != call_id:
            raise UnknownSittingError(sitting_id)
        agreed = _count(session, CollegialScore, sitting_id)
        if agreed:  # the minutes name the sitting where each was agreed
            raise SittingHasCollegialScoresError(sitting_id, agreed)
        discussed = _count(session, CommissionDiscussion, sitting_id)
        if discussed:
            raise SittingHasDiscussionsError(sitting_id, discussed)
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
