"""Consolidating the accepted score bundles into the ranking, the lottery,
and the approval that freezes it.

The figures come from :func:`app.scoring.ranking.rank`, fed with what each
roster member's newest accepted bundle said (declarations and scores). A
score counts only where its member declared no conflict for that proposal.
Recording the publicly drawn lottery number closes the call to bundles: a
later bundle could change the tie that the number settles.

Approval freezes the ranking: its full document (canonical JSON, with its
SHA-256) is stored, the call stops accepting bundles, and from then on every
view of the ranking is read back from that document, never recomputed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.crypto.keys import format_fingerprint
from app.i18n import _
from app.models import (
    Call,
    ConflictDeclaration,
    Member,
    Proposal,
    RankingRecord,
    Score,
    ScoreBundleRecord,
)
from app.models.base import utc_now
from app.scoring import ranking as rules
from app.scoring.college import CollegeRecord
from app.scoring.collegial import agreed_values
from app.scoring.document import canonical_pieces, from_document, to_document
from app.scoring.views import (
    LOTTERY_NUMBER,
    BundleRef,
    CriterionSpread,
    ExcludedRow,
    LotteryView,
    MemberEvaluation,
    ProposalDrillDown,
    RankedRow,
    RankingView,
)
from app.services import closing
from app.services.call_acts import require_acts
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import college_view, substitute_seats
from app.services.collegial import collegial_decisions, dissent_outside_college
from app.services.collegial_errors import CollegialPendingError, DissenterLeftCollegeError
from app.services.errors import UnknownProposalError
from app.services.integrity import require_intact
from app.services.ranking_errors import (
    ApprovalStoppedError,
    BadLotteryNumberError,
    CollegeIncompleteError,
    LotteryAlreadyDrawnError,
    LotteryPendingError,
    NoBundlesError,
    NoLotteryNeededError,
    RankingApprovedError,
    RankingNotApprovedError,
    RankingStoppedError,
    ReasonTooLongError,
)
from app.services.sitting_errors import MinutesWithoutSittingError
from app.services.step_counts import UnitCounter
from app.services.steps import Cancel, CancelledError, Progress, no_progress
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


def _evaluations(session: Session, call: Call) -> list[rules.Evaluation]:
    """Every roster member's sheets, from the newest bundle of each; a
    substitute's count only in the seat of a member in conflict."""
    roster = session.scalars(select(Member).where(Member.call_id == call.id)).all()
    members = {m.id: m.key_id for m in roster}
    substitutes = {m.id for m in roster if m.commission_role == "substitute"}
    seated = substitute_seats(session, call.id)
    codes = dict(
        session.execute(select(Proposal.id, Proposal.code).where(Proposal.call_id == call.id)).all()
    )
    keys = call.criterion_keys()
    declared = {
        (member_id, proposal_id): conflict
        for member_id, proposal_id, conflict in session.execute(
            select(
                ConflictDeclaration.member_id,
                ConflictDeclaration.proposal_id,
                ConflictDeclaration.has_conflict,
            ).where(ConflictDeclaration.member_id.in_(members))
        )
    }
    # SQLite gathers each member's sheet into one JSON object (a regional
    # call's 1.2 million scores cross the driver as 150,000 rows); the values
    # stay the stored text, read exactly by Decimal (docs/performance.md).
    values: dict[tuple[int, int], dict[str, Decimal]] = {}
    for member_id, proposal_id, sheet in session.execute(
        select(
            Score.member_id,
            Score.proposal_id,
            func.json_group_object(Score.criterion_id, Score.value),
        )
        .where(Score.member_id.in_(members), Score.value.is_not(None))
        .group_by(Score.member_id, Score.proposal_id)
    ):
        values[(member_id, proposal_id)] = {
            keys[int(criterion)]: Decimal(value if isinstance(value, str) else str(value))
            for criterion, value in json.loads(sheet, parse_float=Decimal).items()
        }
    return [
        rules.Evaluation(
            member=members[member_id],
            proposal=codes[proposal_id],
            conflicted=conflict,
            values={} if conflict else values.get((member_id, proposal_id), {}),
        )
        for (member_id, proposal_id), conflict in declared.items()
        if member_id not in substitutes or seated.get((member_id, proposal_id), False)
    ]


def _bundles(session: Session, call: Call) -> tuple[tuple[BundleRef, ...], tuple[str, ...]]:
    members = list(
        session.scalars(select(Member).where(Member.call_id == call.id).order_by(Member.id))
    )
    names = {m.key_id: m.name for m in members}
    roster = {m.key_id: position for position, m in enumerate(members)}
    records = sorted(
        session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == call.id, ScoreBundleRecord.direction == "received"
            )
        ),
        key=lambda r: (roster.get(r.member_key_id, len(roster)), r.member_key_id, r.sequence),
    )
    bundles = tuple(
        BundleRef(
            member=names.get(r.member_key_id, r.member_key_id),
            fingerprint=format_fingerprint(r.member_key_id),
            sequence=r.sequence,
            payload_hash=r.payload_hash,
            sealed_sha256=r.sealed_sha256,
            received_at=r.received_at,
        )
        for r in records
    )
    senders = {r.member_key_id for r in records}
    return bundles, tuple(m.name for m in members if m.key_id not in senders)


def _record(session: Session, call_id: str) -> RankingRecord:
    record = session.get(RankingRecord, call_id)
    if record is None:
        record = RankingRecord(call_id=call_id)
        session.add(record)
    return record


def _compute(
    session: Session,
    call: Call,
    lottery_number: str | None,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> RankingView:
    """The ranking as the bundles give it now; ``cancel`` is checked before
    each proposal is scored (it raises :class:`CancelledError`)."""
    cancel = cancel or Cancel()
    progress(_("Reading the scores…"))
    proposals = session.scalars(select(Proposal).where(Proposal.call_id == call.id)).all()
    by_code = {p.code: p for p in proposals}
    collegial = collegial_decisions(session, call)
    evaluations = _evaluations(session, call)
    cancel.check()
    progress(_("Computing the ranking…"))
    each = UnitCounter(
        progress,
        cancel,
        len(proposals),
        lambda index, total: _("Ranking: proposal {index} of {total}…").format(
            index=index, total=total
        ),
    )
    result = rules.rank(
        call.grid,
        call.id,
        [
            rules.ProposalInput(
                p.code,
                p.admissible,
                p.requested_contribution,
                total_cost=p.total_cost,
                protocol=p.protocol,
                submitted_at=p.submitted_at,
            )
            for p in proposals
        ],
        evaluations,
        lottery_number,
        matchfunding=call.matchfunding,
        agreed=agreed_values(collegial),
        each=each,
    )
    cancel.check()
    bundles, _senders = _bundles(session, call)
    college = college_view(session, call)
    return RankingView(
        call_id=call.id,
        call_title=call.title,
        grid=call.grid,
        rows=tuple(
            RankedRow(
                rank=r.rank,
                proposal=r.proposal,
                title=by_code[r.proposal].title,
                applicant=by_code[r.proposal].applicant,
                total=r.total,
                criteria=dict(r.criteria),
                evaluators=r.evaluators,
                flags=r.flags,
                decided_by=r.decided_by,
                total_cost=by_code[r.proposal].total_cost,
                requested_contribution=by_code[r.proposal].requested_contribution,
            )
            for r in result.ranking
        ),
        excluded=tuple(
            ExcludedRow(
                proposal=e.proposal,
                title=by_code[e.proposal].title,
                applicant=by_code[e.proposal].applicant,
                reason=e.reason,
                total=e.total,
                criteria=dict(e.criteria),
                evaluators=e.evaluators,
                flags=e.flags,
            )
            for e in result.excluded
        ),
        lotteries=tuple(
            LotteryView(lo.number, lo.tied, lo.seed, lo.order) for lo in result.lotteries
        ),
        pending_lottery=result.pending_lottery,
        lottery_number=lottery_number,
        bundles=bundles,
        members_without_bundle=college.silent,
        college=CollegeRecord(
            college.college, college.required, college.incomplete, college.silent, None
        ),
        collegial=collegial,
    )


def _session_view(
    session: Session,
    call_id: str,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> RankingView:
    call = get_call(session, call_id)
    record = session.get(RankingRecord, call_id)
    if record is not None and record.approved_at is not None and record.document is not None:
        progress(_("Reading the approved ranking…"))
        return from_document(json.loads(record.document), call.grid)
    lottery = None if record is None else record.lottery_number
    return _compute(session, call, lottery, progress, cancel)


def approved_view(session: Session, call_id: str) -> RankingView:
    """The approved ranking of ``call_id``, or a refusal if it is not approved yet."""
    call = get_call(session, call_id)
    record = session.get(RankingRecord, call_id)
    if record is None or record.approved_at is None or record.document is None:
        raise RankingNotApprovedError(call_id)
    return from_document(json.loads(record.document), call.grid)


def approved_minutes_facts(session: Session, call_id: str) -> dict[str, Any] | None:
    """The facts of the minutes frozen with the approved ranking of ``call_id``
    (None for a ranking approved before they were frozen with it)."""
    record = session.get(RankingRecord, call_id)
    if record is None or record.document is None:
        return None
    facts = json.loads(record.document).get(MINUTES_FACTS)
    return facts if isinstance(facts, dict) else None


def ranking_view(
    ws: OpenWorkspace,
    call_id: str,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> RankingView:
    """The ranking of ``call_id``: as approved, or as the bundles give it now.

    ``progress`` hears each phase and every so many proposals; ``cancel``
    stops it between two proposals with :class:`RankingStoppedError` (the
    view only reads: nothing changes).
    """
    try:
        with ws.session() as session:
            require_role(session, "secretariat")
            return _session_view(session, call_id, progress, cancel)
    except CancelledError:
        raise RankingStoppedError(call_id) from None


@dataclass(frozen=True)
class RankingDecided:
    """The ranking after a decision on it (the drawn number, the approval)."""

    view: RankingView
    changes: Changes


def record_lottery_number(ws: OpenWorkspace, call_id: str, number: str) -> RankingDecided:
    """Record the publicly drawn number that settles the ties left to the lottery."""
    number = number.strip()
    if not LOTTERY_NUMBER.match(number):
        raise BadLotteryNumberError(number)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        record = _record(session, call_id)
        if record.approved_at is not None:
            raise RankingApprovedError(call_id)
        if record.lottery_number is not None:
            raise LotteryAlreadyDrawnError(call_id, record.lottery_number)
        before = _compute(session, call, None)
        # The number closes the collegial scores too: every one must be in first.
        waiting = [e.proposal for e in before.excluded if e.reason == rules.COLLEGIAL_PENDING]
        if waiting:
            raise CollegialPendingError(call_id, waiting)
        if not before.pending_lottery:
            raise NoLotteryNeededError(call_id)
        after = _compute(session, call, number)
        record.lottery_number = number
        record.lottery_recorded_at = utc_now()
        # A later bundle could change the tie that this public number settles.
        call.evaluation_closed_at = record.lottery_recorded_at
        audit.append(
            session,
            actor=identity.key_id,
            action="ranking.lottery",
            call_id=call_id,
            details={
                "number": number,
                "draws": [
                    {"tied": list(lo.tied), "seed": lo.seed, "order": list(lo.order)}
                    for lo in after.lotteries
                ],
            },
        )
        return RankingDecided(after, Changes(ranking=True, calls=True))


# The reason recorded with an approval is printed in the minutes.
MAX_REASON = 2000
# The key of the approved ranking document that holds the minutes' facts.
MINUTES_FACTS = "minutes"


def college_problems(record: CollegeRecord) -> list[str]:
    """Each member who sent nothing, then each proposal below its college for
    another reason (a conflict with no substitute, or a substitute's)."""
    problems = [_("{member} has sent nothing").format(member=name) for name in record.silent]
    problems += [f"{p.proposal}: {p.why()}" for p in record.shortfalls if not p.only_silence]
    return problems


def approve_ranking(
    ws: OpenWorkspace,
    call_id: str,
    reason: str | None = None,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> RankingDecided:
    """Freeze the ranking: stored as a document, audited, the call closed to bundles.

    Under a complete college, approval is refused while a proposal lacks
    seats or a full member has sent nothing, unless ``reason`` (absence,
    resignation) is recorded; it is frozen with the shortfalls and printed in
    the minutes. Under the quorum, the shortfalls are frozen with their why.
    The workspace's data checks run first: nothing is frozen from a damaged one.

    ``progress`` hears each phase and every so many proposals; ``cancel``
    stops it at the next check (between two proposals, or between two
    phases) with :class:`ApprovalStoppedError`: the one transaction is
    rolled back, so there is no approved ranking, no close notice in the
    outbox and no new line in the audit log.
    """
    reason = " ".join((reason or "").split()) or None
    if reason is not None and len(reason) > MAX_REASON:
        raise ReasonTooLongError(MAX_REASON)
    try:
        return _approve(ws, call_id, reason, progress, cancel or Cancel())
    except CancelledError:
        raise ApprovalStoppedError(call_id) from None


def _approve(
    ws: OpenWorkspace, call_id: str, reason: str | None, progress: Progress, cancel: Cancel
) -> RankingDecided:
    progress(_("Checking the workspace's data…"))
    require_intact(ws)
    cancel.check()
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        record = _record(session, call_id)
        if record.approved_at is not None:
            raise RankingApprovedError(call_id)
        view = _compute(session, call, record.lottery_number, progress, cancel)
        if not view.bundles:
            raise NoBundlesError(call_id)
        if view.pending_lottery:
            raise LotteryPendingError(call_id, view.pending_lottery)
        waiting = [e.proposal for e in view.excluded if e.reason == rules.COLLEGIAL_PENDING]
        if waiting:
            raise CollegialPendingError(call_id, waiting)
        stale = dissent_outside_college(session, call)
        if stale:
            raise DissenterLeftCollegeError(call_id, stale)
        assert view.college is not None
        problems = college_problems(view.college)
        if view.college.college == "complete" and problems and reason is None:
            raise CollegeIncompleteError(call_id, problems)
        # The approval freezes what the minutes print, the acts and the
        # sittings too: without them the ranking could never have its minutes.
        require_acts(call)
        from app.services.minutes import has_sitting

        if not has_sitting(session, call_id):
            raise MinutesWithoutSittingError(call_id)
        now = utc_now()
        college = dataclasses.replace(view.college, reason=reason if problems else None)
        frozen = dataclasses.replace(view, approved_at=now, college=college)
        # Everything the minutes print is frozen with it (docs/minutes.md).
        from app.services.minutes import freeze_minutes_facts

        progress(_("Freezing the facts of the minutes…"))
        document = to_document(frozen)
        document[MINUTES_FACTS] = freeze_minutes_facts(
            session, call, frozen, progress=progress, cancel=cancel
        )
        cancel.check()
        progress(_("Writing the approved ranking…"))
        # A branch at a time, the values let go before the text is joined:
        # a regional call's document is 179 MB of JSON (docs/performance.md).
        pieces = canonical_pieces(document)
        del document
        hasher = hashlib.sha256()
        for piece in pieces:
            hasher.update(piece.encode("utf-8"))
        digest = hasher.hexdigest()
        text = "".join(pieces)
        del pieces
        record.approved_at = now
        record.document = text
        record.sha256 = digest
        # The last point where a Stop is heard: after it the approval is
        # written whole (the rows, the audit line, the close notice) and committed.
        cancel.check()
        call.evaluation_closed_at = call.evaluation_closed_at or now
        call.status = "closed"
        audit.append(
            session,
            actor=identity.key_id,
            action="ranking.approve",
            call_id=call_id,
            details={
                "sha256": digest,
                "ranked": len(view.rows),
                "excluded": len(view.excluded),
                "bundles": [f"{b.fingerprint}#{b.sequence}:{b.payload_hash}" for b in view.bundles],
                "college": view.college.college,
                "shortfalls": problems,
                "reason": college.reason,
            },
        )
        # The members learn it from the signed close notice the next sync uploads.
        closing.issue(session, ws, identity, call_id, approved_at=now, ranking_sha256=digest)
        approved = dataclasses.replace(frozen, document_sha256=digest)
        return RankingDecided(approved, Changes(ranking=True, calls=True, funding=True))


def drill_down(ws: OpenWorkspace, call_id: str, proposal_id: str) -> ProposalDrillDown:
    """One proposal's place in the ranking with each member's values and motivations."""
    with ws.session() as session:
        require_role(session, "secretariat")
        call = get_call(session, call_id)
        proposal = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id, Proposal.code == proposal_id)
        ).first()
        if proposal is None:
            raise UnknownProposalError(call_id, proposal_id)
        view = _session_view(session, call_id)
        keys = call.criterion_keys()
        evaluations = []
        seated = substitute_seats(session, call_id)
        for member in session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        ):
            if member.commission_role == "substitute" and not seated.get((member.id, proposal.id)):
                continue  # a substitute counts only in the seat assigned to them
            declaration = session.scalars(
                select(ConflictDeclaration).where(
                    ConflictDeclaration.member_id == member.id,
                    ConflictDeclaration.proposal_id == proposal.id,
                )
            ).first()
            values: dict[str, Decimal] = {}
            motivations: dict[str, str] = {}
            for score in session.scalars(
                select(Score).where(Score.member_id == member.id, Score.proposal_id == proposal.id)
            ):
                if score.value is not None:
                    values[keys[score.criterion_id]] = score.value
                motivations[keys[score.criterion_id]] = score.justification
            conflicted = declaration is not None and declaration.has_conflict
            evaluations.append(
                MemberEvaluation(
                    member=member.name,
                    fingerprint=format_fingerprint(member.key_id),
                    declared=declaration is not None,
                    conflicted=conflicted,
                    conflict_category=declaration.category if declaration else None,
                    conflict_reason=declaration.reason if declaration else "",
                    values={} if conflicted else values,
                    motivations={} if conflicted else motivations,
                )
            )
    ranked = next((r for r in view.rows if r.proposal == proposal_id), None)
    excluded = next((e for e in view.excluded if e.proposal == proposal_id), None)
    points = ranked.criteria if ranked else excluded.criteria if excluded else {}
    flags = ranked.flags if ranked else excluded.flags if excluded else ()
    counted = [e for e in evaluations if e.declared and not e.conflicted]
    spreads = []
    for criterion in view.grid.every_criterion:
        given = [e.values[criterion.key] for e in counted if criterion.key in e.values]
        spreads.append(
            CriterionSpread(
                key=criterion.key,
                title=criterion.title,
                points=points.get(criterion.key),
                lowest=min(given) if given else None,
                highest=max(given) if given else None,
                evaluators=len(given),
                flagged=criterion.key in flags,
                scored=not criterion.sub,
            )
        )
    return ProposalDrillDown(
        call_id=call_id,
        proposal=proposal_id,
        title=proposal.title,
        applicant=proposal.applicant,
        rank=ranked.rank if ranked else None,
        reason=excluded.reason if excluded else None,
        total=ranked.total if ranked else excluded.total if excluded else None,
        criteria=tuple(spreads),
        evaluations=tuple(evaluations),
    )
