"""A closed call leaves the laptop: removing its material from a member's workspace.

Storage limitation (GDPR art. 5(1)(e)): once the city office has approved the
ranking and said so with its close notice (:mod:`app.services.closing`), a
member no longer needs the applicants' proposals, their PDFs or the working
copy of the evaluation. ``vaglio call purge`` (or *Exchange → Remove the
call's material…*) removes, in one transaction:

- the proposals and their attachments (the PDFs' bytes);
- the member's per-proposal declarations and every score with its motivation;
- the roster's other members (names, e-mail addresses, keys), and any
  substitution;
- the inbox entries (what the sync fetched) and every outbox copy except the
  member's own sealed score bundles;

and keeps, as evidence: the member's own signed score bundles (they carry the
member's own scores, motivations and declarations: that is what they prove),
the office's receipts, the member's own roster entry and general declaration
(which text was declared, and when), the call's row (its published
definition, now with status ``purged``) and the audit log, which cannot be
edited. Then the files: the outbox copies on disk that went with the rows,
and the backups made before migrations (whole copies of the workspace, this
call's material included). Last, ``VACUUM`` and a truncating checkpoint
(:mod:`app.store.scrub`) leave no readable trace of the removed rows in
``vaglio.db`` or its journal.

The secretariat keeps the record of the call and is refused; so is a call
the office has not closed. A purge interrupted after its transaction (the
status is then ``purged``) is finished by running it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from app.errors import echo
from app.i18n import _, n_
from app.models import (
    Attachment,
    CampaignResult,
    CommissionDiscussion,
    CommissionSitting,
    ConflictDeclaration,
    ConflictHistoryEntry,
    FundingRecord,
    GeneralDeclaration,
    InboxEntry,
    Member,
    OutboxItem,
    Proposal,
    RankingRecord,
    ReceiptRecord,
    Score,
    ScoreBundleRecord,
    Substitution,
)
from app.services import package_staging
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.closing import CLOSED_STATUSES
from app.services.errors import ServiceError
from app.services.integrity import require_intact
from app.services.outbox import OUTBOX_FOLDER, bundle_path
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit, integrity, scrub


class SecretariatKeepsRecordError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The secretariat keeps the record of its calls: only a commission member's "
                "workspace removes a call's material."
            )
        )


class CallNotClosedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The city office has not said that call {call_id} is closed: its material stays "
                "until the ranking is approved and the office's notice arrives with a sync."
            ).format(call_id=echo(call_id))
        )


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge removes (or removed)."""

    proposals: int = 0
    attachments: int = 0
    declarations: int = 0
    scores: int = 0
    members: int = 0
    inbox_entries: int = 0
    outbox_items: int = 0
    files: int = 0
    backups: int = 0

    def as_details(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class PurgePlan:
    """What removing a call's material does, before it is done."""

    call_id: str
    closed_at: dt.datetime
    removed: PurgeCounts
    kept_bundles: int
    kept_receipts: int
    again: bool  # the call was purged before: this finishes or repeats it

    def removal(self) -> str:
        """What goes, in words (“6 proposals, 5 attachments (PDF), …”)."""
        r = self.removed
        parts = [
            n_("{count} proposal", "{count} proposals", r.proposals),
            n_("{count} attachment (PDF)", "{count} attachments (PDF)", r.attachments),
            n_("{count} declaration on a proposal", "{count} declarations on proposals",
               r.declarations),
            n_("{count} score with its motivation", "{count} scores with their motivations",
               r.scores),
            n_("{count} other member of the commission", "{count} other members of the commission",
               r.members),
            n_("{count} synchronisation record", "{count} synchronisation records",
               r.inbox_entries),
            n_("{count} copy in the outbox", "{count} copies in the outbox", r.outbox_items),
            n_("{count} backup of the whole workspace", "{count} backups of the whole workspace",
               r.backups),
        ]  # fmt: skip
        counts = [r.proposals, r.attachments, r.declarations, r.scores, r.members,
                  r.inbox_entries, r.outbox_items, r.backups]  # fmt: skip
        said = [part.format(count=n) for part, n in zip(parts, counts, strict=True) if n]
        return ", ".join(said) if said else _("nothing is left to remove")

    def kept(self) -> str:
        """What stays, in words."""
        return _(
            "Kept as evidence: {bundles} and {receipts}, your general declaration, the call's "
            "definition and the audit log."
        ).format(
            bundles=n_(
                "{count} score bundle you signed", "{count} score bundles you signed",
                self.kept_bundles,
            ).format(count=self.kept_bundles),
            receipts=n_(
                "{count} receipt of the city office", "{count} receipts of the city office",
                self.kept_receipts,
            ).format(count=self.kept_receipts),
        )  # fmt: skip


@dataclass(frozen=True)
class Purged:
    """What a purge did."""

    plan: PurgePlan
    changes: Changes = field(
        default_factory=lambda: Changes(
            calls=True, proposals=True, roster=True, declarations=True, scores=True, bundles=True
        )
    )


@dataclass(frozen=True)
class _Scope:
    """The rows of one call in one session, and the files that go with them."""

    call_id: str
    own_key_id: str
    proposals: Select[int]
    members: Select[int]
    others: Select[int]
    kept_paths: frozenset[str]


def _scope(session: Session, call_id: str, own_key_id: str) -> _Scope:
    members = select(Member.id).where(Member.call_id == call_id)
    kept = {
        bundle_path(call_id, r.member_key_id, r.sequence, r.payload_hash)
        for r in session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == call_id,
                ScoreBundleRecord.member_key_id == own_key_id,
                ScoreBundleRecord.direction == "sent",
            )
        )
    }
    return _Scope(
        call_id=call_id,
        own_key_id=own_key_id,
        proposals=select(Proposal.id).where(Proposal.call_id == call_id),
        members=members,
        others=members.where(Member.key_id != own_key_id),
        kept_paths=frozenset(kept),
    )


def _count(session: Session, query: Select[int]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def _stray_files(home: Path, scope: _Scope) -> list[Path]:
    """The files under ``outbox/<call>/`` that are not the member's own bundles."""
    folder = home / OUTBOX_FOLDER / scope.call_id
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.relative_to(home / OUTBOX_FOLDER).as_posix() not in scope.kept_paths
    )


def _backup_files(home: Path) -> list[Path]:
    """Every backup, with any journal a tool left beside it."""
    found = []
    for backup in integrity.backups(home):
        found.append(backup)
        for suffix in ("-wal", "-shm", "-journal"):
            sidecar = backup.with_name(backup.name + suffix)
            if sidecar.is_file():
                found.append(sidecar)
    return found


def _plan(session: Session, home: Path, call_id: str) -> tuple[PurgePlan, _Scope]:
    identity = own_identity(session)
    if identity.role != "member":
        raise SecretariatKeepsRecordError()
    call = get_call(session, call_id)
    if call.status not in CLOSED_STATUSES or call.evaluation_closed_at is None:
        raise CallNotClosedError(call_id)
    scope = _scope(session, call_id, identity.key_id)
    outbox = select(OutboxItem.id).where(
        OutboxItem.call_id == call_id, OutboxItem.remote_path.not_in(scope.kept_paths)
    )
    removed = PurgeCounts(
        proposals=_count(session, scope.proposals),
        attachments=_count(
            session, select(Attachment.id).where(Attachment.proposal_id.in_(scope.proposals))
        ),
        declarations=_count(
            session,
            select(ConflictDeclaration.id).where(ConflictDeclaration.member_id.in_(scope.members)),
        ),
        scores=_count(session, select(Score.id).where(Score.member_id.in_(scope.members))),
        members=_count(session, scope.others),
        inbox_entries=_count(session, select(InboxEntry.id).where(InboxEntry.call_id == call_id)),
        outbox_items=_count(session, outbox),
        files=len(_stray_files(home, scope)),
        backups=len(integrity.backups(home)),
    )
    plan = PurgePlan(
        call_id=call_id,
        closed_at=call.evaluation_closed_at,
        removed=removed,
        kept_bundles=_count(
            session,
            select(ScoreBundleRecord.id).where(
                ScoreBundleRecord.call_id == call_id,
                ScoreBundleRecord.member_key_id == identity.key_id,
            ),
        ),
        kept_receipts=_count(
            session,
            select(ReceiptRecord.id).where(
                ReceiptRecord.call_id == call_id, ReceiptRecord.member_key_id == identity.key_id
            ),
        ),
        again=call.status == "purged",
    )
    return plan, scope


def purge_plan(ws: OpenWorkspace, call_id: str) -> PurgePlan:
    """What :func:`purge_call` would remove and keep; the same refusals, nothing written."""
    with ws.session() as session:
        return _plan(session, ws.home, call_id)[0]


def _delete_rows(session: Session, scope: _Scope) -> None:
    call_id = scope.call_id
    by_member = (Score, ConflictDeclaration, ConflictHistoryEntry)
    for table in by_member:
        session.execute(delete(table).where(table.member_id.in_(scope.members)))
    session.execute(
        delete(GeneralDeclaration).where(GeneralDeclaration.member_id.in_(scope.others))
    )
    # The office's own tables: empty on a member's laptop, named so that no
    # proposal or member is kept by a reference to it.
    office = (Substitution, CampaignResult, FundingRecord, CommissionDiscussion, CommissionSitting,
              RankingRecord)  # fmt: skip
    for by_call in office:
        session.execute(delete(by_call).where(by_call.call_id == call_id))
    session.execute(delete(Attachment).where(Attachment.proposal_id.in_(scope.proposals)))
    session.execute(delete(Proposal).where(Proposal.call_id == call_id))
    session.execute(delete(Member).where(Member.id.in_(scope.others)))
    session.execute(delete(InboxEntry).where(InboxEntry.call_id == call_id))
    session.execute(
        delete(OutboxItem).where(
            OutboxItem.call_id == call_id, OutboxItem.remote_path.not_in(scope.kept_paths)
        )
    )


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _prune_empty(folder: Path) -> None:
    """Remove the folders left empty under ``folder`` (and ``folder``)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            with contextlib.suppress(OSError):
                path.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()


def purge_call(ws: OpenWorkspace, call_id: str) -> Purged:
    """Remove the material of the closed call ``call_id`` from this member's
    workspace, audited, then leave no readable trace of it in the files."""
    purge_plan(ws, call_id)  # the refusals come before the checks' cost
    require_intact(ws)  # the evidence kept must be sound: nothing goes from a damaged workspace
    home = ws.home
    with ws.session() as session:
        plan, scope = _plan(session, home, call_id)
        _delete_rows(session, scope)
        get_call(session, call_id).status = "purged"
        audit.append(
            session,
            actor=scope.own_key_id,
            action="call.purged",
            call_id=call_id,
            details={
                **plan.removed.as_details(),
                "kept_bundles": plan.kept_bundles,
                "kept_receipts": plan.kept_receipts,
                "again": plan.again,
            },
        )
    _remove(_stray_files(home, scope))
    _prune_empty(home / OUTBOX_FOLDER / call_id)
    package_staging.discard(ws, call_id)  # parts of a package that never installed
    _remove(_backup_files(home))
    scrub.vacuum(ws.store.engine)
    return Purged(plan)
