"""Completeness and exchange status of a call.

For the secretariat: the matrix member × proposal (declared, conflicted,
scored) from the accepted bundles, and per member the last bundle, when it was
received, whether its receipt was sent, and any missing sequence numbers. For
a member: each submitted bundle and whether the city office has received it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.policy import SequenceGap, describe_gaps
from app.clock import day_in_rome, today_in_rome
from app.crypto.keys import format_fingerprint
from app.models import (
    Call,
    ConflictDeclaration,
    GeneralDeclaration,
    Member,
    OutboxItem,
    Proposal,
    Score,
    ScoreBundleRecord,
)
from app.scoring.sheet import sheet_status
from app.services.calls import get_call
from app.services.college import assigned_proposals
from app.services.conflict_history import ConflictEvent, conflict_events
from app.services.member_desk import desk
from app.services.outbox import bundle_path, receipt_path
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity

# A substitute's cell on a proposal not assigned to them (the matrix only).
NOT_ASSIGNED = "not_assigned"
# Cells that are nobody's work: a conflict, an inadmissible proposal, a
# proposal not assigned to a substitute. Every other cell is expected.
NOT_EXPECTED = frozenset({"conflicted", "inadmissible", NOT_ASSIGNED})


@dataclass(frozen=True)
class Tally:
    """How many evaluation sheets are complete out of those expected."""

    done: int = 0
    expected: int = 0

    def __str__(self) -> str:
        return f"{self.done}/{self.expected}"

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.done + other.done, self.expected + other.expected)


def tally(states: list[str]) -> Tally:
    """The complete cells out of the expected ones among ``states``."""
    expected = [state for state in states if state not in NOT_EXPECTED]
    return Tally(sum(1 for state in expected if state == "complete"), len(expected))


@dataclass(frozen=True)
class MemberStatus:
    key_id: str
    name: str
    fingerprint: str
    commission_role: str
    general_declared: bool
    bundle_sequence: int | None
    received_at: dt.datetime | None
    receipt_sent: bool
    missing: tuple[SequenceGap, ...]
    cells: dict[str, str]  # proposal id -> sheet status
    # The proposals this member completed out of those expected of them.
    completed: Tally = Tally()
    # The last bundle arrived after the call's evaluation deadline (a flag, never a refusal).
    late: bool = False

    @property
    def missing_text(self) -> str:
        """The sequence numbers that never arrived, as ranges: ``2, 5–9``."""
        return describe_gaps(self.missing)


@dataclass(frozen=True)
class SentBundle:
    sequence: int
    created_at: dt.datetime
    uploaded: bool
    receipt_at: dt.datetime | None

    @property
    def state(self) -> str:
        """``outbox``, ``sent`` or ``received`` (app.labels.RECEIPT_STATES)."""
        if self.receipt_at is not None:
            return "received"
        return "sent" if self.uploaded else "outbox"


@dataclass(frozen=True)
class CallStatus:
    call_id: str
    role: str
    proposals: tuple[str, ...]
    members: tuple[MemberStatus, ...] = ()
    bundles: tuple[SentBundle, ...] = ()
    complete: int = 0
    scorable: int = 0
    ready_to_submit: bool = False
    # Secretariat: every conflict declared, changed or withdrawn, by proposal.
    conflicts: tuple[ConflictEvent, ...] = ()
    # Secretariat: per proposal, the members who completed it out of those expected.
    scored_by: dict[str, Tally] = field(default_factory=dict)
    # Secretariat: every complete sheet out of every expected one.
    totals: Tally = Tally()
    # The call's evaluation deadline, if it sets one, and today in Rome.
    deadline: dt.date | None = None
    today: dt.date | None = None

    @property
    def received_any(self) -> bool:
        """Whether any member's bundle has arrived (secretariat)."""
        return any(member.bundle_sequence is not None for member in self.members)


def call_status(ws: OpenWorkspace, call_id: str) -> CallStatus:
    """The status of ``call_id`` as this workspace's role sees it."""
    with ws.session() as session:
        identity = own_identity(session)
        call = get_call(session, call_id)
        proposals = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id).order_by(Proposal.code)
        ).all()
        codes = tuple(p.code for p in proposals)
        if identity.role == "member":
            records = session.scalars(
                select(ScoreBundleRecord)
                .where(ScoreBundleRecord.call_id == call_id, ScoreBundleRecord.direction == "sent")
                .order_by(ScoreBundleRecord.sequence)
            ).all()
            uploaded = {
                item.remote_path
                for item in session.scalars(
                    select(OutboxItem).where(
                        OutboxItem.call_id == call_id, OutboxItem.uploaded_at.is_not(None)
                    )
                )
            }
            bundles = tuple(
                SentBundle(
                    r.sequence,
                    r.created_at,
                    bundle_path(call_id, r.member_key_id, r.sequence, r.payload_hash) in uploaded,
                    r.receipt_at,
                )
                for r in records
            )
        deadline = call.parsed.info.evaluation_deadline
    today = today_in_rome()
    if identity.role == "member":
        view = desk(ws, call_id)
        return CallStatus(call_id, "member", codes, bundles=bundles, complete=view.complete,
                          scorable=view.scorable, ready_to_submit=view.ready_to_submit,
                          deadline=deadline, today=today)  # fmt: skip
    with ws.session() as session:
        call = get_call(session, call_id)
        members = tuple(
            _member_status(session, call, member, deadline)
            for member in session.scalars(
                select(Member).where(Member.call_id == call_id).order_by(Member.id)
            )
        )
        scored_by = {code: tally([m.cells[code] for m in members]) for code in codes}
        return CallStatus(
            call_id,
            "secretariat",
            codes,
            members=members,
            conflicts=tuple(conflict_events(session, call_id)),
            scored_by=scored_by,
            totals=sum(scored_by.values(), Tally()),
            deadline=deadline,
            today=today,
        )


def _member_status(
    session: Session, call: Call, member: Member, deadline: dt.date | None
) -> MemberStatus:
    """One row of the secretariat's matrix, from what the member's bundles said."""
    grid = call.grid
    keys = call.criterion_keys()
    general = session.scalars(
        select(GeneralDeclaration).where(GeneralDeclaration.member_id == member.id)
    ).first()
    declarations = {
        d.proposal_id: d
        for d in session.scalars(
            select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id)
        )
    }
    values: dict[int, dict[str, Decimal]] = {}
    texts: dict[int, dict[str, str]] = {}
    for score in session.scalars(select(Score).where(Score.member_id == member.id)):
        key = keys[score.criterion_id]
        if score.value is not None:
            values.setdefault(score.proposal_id, {})[key] = score.value
        texts.setdefault(score.proposal_id, {})[key] = score.justification
    proposals = session.scalars(
        select(Proposal).where(Proposal.call_id == call.id).order_by(Proposal.code)
    ).all()
    assigned = (
        assigned_proposals(session, call.id, member)
        if member.commission_role == "substitute"
        else None
    )
    cells = {
        p.code: sheet_status(
            grid,
            admissible=p.admissible,
            declared=p.id in declarations,
            conflicted=p.id in declarations and declarations[p.id].has_conflict,
            values=values.get(p.id, {}),
            justifications=texts.get(p.id, {}),
        ).value
        if assigned is None or p.code in assigned or not p.admissible
        else NOT_ASSIGNED
        for p in proposals
    }
    records = session.scalars(
        select(ScoreBundleRecord).where(
            ScoreBundleRecord.call_id == call.id,
            ScoreBundleRecord.member_key_id == member.key_id,
            ScoreBundleRecord.direction == "received",
        )
    ).all()
    last = max(records, key=lambda r: r.sequence, default=None)
    missing = [
        SequenceGap(r.missing_from, r.missing_to)
        for r in sorted(records, key=lambda r: r.sequence)
        if r.missing_from is not None and r.missing_to is not None
    ]
    receipt_sent = False
    if last is not None:
        path = receipt_path(call.id, member.key_id, last.sequence)
        receipt_sent = (
            session.scalars(
                select(OutboxItem).where(
                    OutboxItem.call_id == call.id,
                    OutboxItem.remote_path == path,
                    OutboxItem.uploaded_at.is_not(None),
                )
            ).first()
            is not None
        )
    return MemberStatus(
        key_id=member.key_id,
        name=member.name,
        fingerprint=format_fingerprint(member.key_id),
        commission_role=member.commission_role,
        general_declared=general is not None,
        bundle_sequence=None if last is None else last.sequence,
        received_at=None if last is None else last.received_at,
        receipt_sent=receipt_sent,
        missing=tuple(missing),
        cells=cells,
        completed=tally(list(cells.values())),
        late=deadline is not None
        and last is not None
        and last.received_at is not None
        and day_in_rome(last.received_at) > deadline,
    )
