"""Conflicts of interest as facts with a history (office side).

Every declaration a member's bundle carries is compared with the last one the
office holds for that member and proposal; what is new or changed is appended
to ``conflict_history`` (a trigger refuses updates), with the bundle it came
in. The current state stays in ``conflict_declarations``; the history is what
the secretariat sees at intake and in the completeness view, and what the
minutes print: a conflict withdrawn in a later bundle leaves its trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.bundles.score_bundle import BundleDeclaration
from app.i18n import _
from app.labels import category_label
from app.models import ConflictHistoryEntry, Member, Proposal
from app.models.base import core_table

# What an entry did, against the member's previous entry on the proposal.
FIRST_CONFLICT = "conflict"  # the first declaration: a conflict
FIRST_FREE = "no_conflict"  # the first declaration: free of conflict
DECLARED = "declared"  # free of conflict before, in conflict now
WITHDRAWN = "withdrawn"  # in conflict before, free of conflict now
REVISED = "revised"  # the same answer, with another category or reason


@dataclass(frozen=True)
class ConflictEvent:
    """One entry of the history, as people read it."""

    member: str
    proposal: str
    kind: str
    category: str | None
    reason: str
    declared_at: dt.datetime
    bundle_sequence: int | None

    @property
    def is_conflict(self) -> bool:
        return self.kind in (FIRST_CONFLICT, DECLARED) or (
            self.kind == REVISED and self.category is not None
        )

    @property
    def withdrawn(self) -> bool:
        return self.kind == WITHDRAWN

    def sentence(self) -> str:
        """``Elena Colombo dichiara un conflitto su P014: rapporto professionale — …``"""
        what = category_label(self.category)
        if self.reason:
            what += " — " + self.reason
        values = {"member": self.member, "proposal": self.proposal, "what": what}
        if self.kind in (FIRST_CONFLICT, DECLARED):
            return _("{member} declares a conflict on {proposal}: {what}").format(**values)
        if self.kind == WITHDRAWN:
            return _(
                "{member} WITHDRAWS the conflict declared on {proposal}: now free of conflict"
            ).format(**values)
        if self.kind == REVISED and self.category is not None:
            return _("{member} changes the conflict declared on {proposal}: {what}").format(
                **values
            )
        return _("{member} declares no conflict on {proposal}").format(**values)


def _kind(previous: ConflictHistoryEntry | None, declaration: BundleDeclaration) -> str | None:
    """What ``declaration`` does after ``previous``; None when it changes nothing."""
    if previous is None:
        return FIRST_CONFLICT if declaration.conflict else FIRST_FREE
    if previous.has_conflict != declaration.conflict:
        return DECLARED if declaration.conflict else WITHDRAWN
    if (previous.category, previous.reason) != (declaration.category, declaration.reason):
        return REVISED
    return None


def record_declarations(
    session: Session,
    member: Member,
    proposal_ids: dict[str, int],
    declarations: Iterable[BundleDeclaration],
    bundle_sequence: int,
) -> list[ConflictEvent]:
    """Append what is new or changed in ``declarations``; the conflict-related
    events, for the intake report (a first "no conflict" is recorded silently)."""
    latest: dict[int, ConflictHistoryEntry] = {}
    for entry in session.scalars(
        select(ConflictHistoryEntry)
        .where(ConflictHistoryEntry.member_id == member.id)
        .order_by(ConflictHistoryEntry.id)
    ):
        latest[entry.proposal_id] = entry
    rows, events = [], []
    for declaration in declarations:
        proposal_id = proposal_ids[declaration.proposal]
        kind = _kind(latest.get(proposal_id), declaration)
        if kind is None:
            continue
        rows.append(
            {
                "member_id": member.id,
                "proposal_id": proposal_id,
                "has_conflict": declaration.conflict,
                "category": declaration.category,
                "reason": declaration.reason,
                "declared_at": declaration.declared_at,
                "bundle_sequence": bundle_sequence,
            }
        )
        if kind != FIRST_FREE:
            events.append(
                ConflictEvent(member.name, declaration.proposal, kind, declaration.category,
                              declaration.reason, declaration.declared_at, bundle_sequence)
            )  # fmt: skip
    if rows:
        session.execute(insert(core_table(ConflictHistoryEntry)), rows)
    return events


def conflict_events(session: Session, call_id: str) -> list[ConflictEvent]:
    """Every conflict-related entry of the call's history, by proposal, member
    and time: first declarations of a conflict, and every later change."""
    rows = session.execute(
        select(ConflictHistoryEntry, Member.name, Proposal.code)
        .join(Member, Member.id == ConflictHistoryEntry.member_id)
        .join(Proposal, Proposal.id == ConflictHistoryEntry.proposal_id)
        .where(Member.call_id == call_id)
        .order_by(Proposal.code, Member.name, ConflictHistoryEntry.id)
    ).all()
    events: list[ConflictEvent] = []
    previous: dict[tuple[int, int], ConflictHistoryEntry] = {}
    for entry, name, code in rows:
        key = (entry.member_id, entry.proposal_id)
        kind = _entry_kind(previous.get(key), entry)
        previous[key] = entry
        if kind is not None and kind != FIRST_FREE:
            events.append(
                ConflictEvent(name, code, kind, entry.category, entry.reason, entry.declared_at,
                              entry.bundle_sequence)
            )  # fmt: skip
    return events


def _entry_kind(previous: ConflictHistoryEntry | None, entry: ConflictHistoryEntry) -> str | None:
    return _kind(
        previous,
        BundleDeclaration("", entry.has_conflict, entry.category, entry.reason, entry.declared_at),
    )
