"""The evaluation minutes (verbale): built from the workspace once the ranking
is approved, rendered as a PDF, signed and verified.

The minutes read the frozen ranking document (never a recomputation) and,
for what the ranking document does not hold, the tables the approval froze:
after approval the office accepts no bundle, so the declarations, scores and
motivations are those the ranking was computed from. Refused before approval.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.crypto.keys import format_fingerprint
from app.i18n import _
from app.labels import exclusion_label
from app.models import (
    Call,
    CommissionSitting,
    ConflictDeclaration,
    GeneralDeclaration,
    Member,
    Proposal,
    Score,
    ScoreBundleRecord,
    Substitution,
)
from app.reports import minutes_snapshot as snapshot
from app.reports.minutes import MinutesPdf, render_minutes
from app.reports.minutes_progress import LayoutWatch, SigningWatch
from app.reports.minutes_view import (
    CommissionMember,
    ConflictEntry,
    MemberScores,
    MinutesView,
    ProposalScores,
    Secretary,
    Sitting,
)
from app.reports.sheet_view import SheetView
from app.reports.signature_check import SignatureReport, load_certificates, verify_pdf
from app.reports.signing import LEVELS as SIGNATURE_LEVELS
from app.reports.signing import Pkcs11Key, Pkcs12Key, SignedPdf, SignerKey, read_pdf, sign_pdf
from app.reports.signing import resolve_level as signature_level
from app.reports.signing import signature_fields as fields_of
from app.scoring.views import RankingView
from app.services.call_acts import CallActsMissingError, require_acts
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import substitute_seats
from app.services.conflict_history import conflict_events
from app.services.discussions import discussions_of
from app.services.files import read_input, write_output
from app.services.minutes_errors import (
    MinutesBeforeApprovalError,
    MinutesStoppedError,
    SigningStoppedError,
)
from app.services.ranking import approved_minutes_facts, approved_view
from app.services.sitting_errors import MinutesWithoutSittingError, minutes_need_a_sitting
from app.services.step_counts import UnitCounter
from app.services.steps import Cancel, CancelledError, Progress, no_progress
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role

__all__ = [
    "SIGNATURE_LEVELS",
    "MinutesPdf",
    "Pkcs11Key",
    "Pkcs12Key",
    "SignatureReport",
    "SignedPdf",
    "SignerKey",
    "signature_level",
]


@dataclass(frozen=True)
class MinutesState:
    """Whether the minutes of a call can be printed, and if not why."""

    call_id: str
    approved: bool
    reason: str  # empty when approved


def minutes_state(ws: OpenWorkspace, call_id: str) -> MinutesState:
    """Whether the ranking of ``call_id`` is approved and a sitting recorded
    (the minutes need both)."""
    from app.services.ranking_errors import RankingNotApprovedError

    with ws.session() as session:
        require_role(session, "secretariat")
        try:
            approved_view(session, call_id)
        except RankingNotApprovedError:
            reason = _("The minutes of {call_id} come after the ranking: approve it first.")
            return MinutesState(call_id, False, reason.format(call_id=call_id))
        try:
            require_acts(get_call(session, call_id))
        except CallActsMissingError as exc:
            return MinutesState(call_id, False, str(exc))
        if not _sitting_recorded(session, call_id):
            return MinutesState(call_id, False, minutes_need_a_sitting(call_id))
        return MinutesState(call_id, True, "")


def _members(session: Session, call_id: str) -> list[Member]:
    members = session.scalars(
        select(Member).where(Member.call_id == call_id).order_by(Member.id)
    ).all()
    # The president first, then the members in the order they were enrolled,
    # then the substitutes.
    order = {"president": 0, "member": 1, "substitute": 2}
    return sorted(members, key=lambda m: (order.get(m.commission_role, 1), m.id))


def _commission(session: Session, call_id: str, members: list[Member]) -> list[CommissionMember]:
    declared = {
        g.member_id: g
        for g in session.scalars(
            select(GeneralDeclaration).where(
                GeneralDeclaration.member_id.in_([m.id for m in members])
            )
        )
    }
    bundles = dict(
        session.execute(
            select(ScoreBundleRecord.member_key_id, func.count())
            .where(ScoreBundleRecord.call_id == call_id, ScoreBundleRecord.direction == "received")
            .group_by(ScoreBundleRecord.member_key_id)
        ).all()
    )
    result = []
    for m in members:
        general = declared.get(m.id)
        result.append(
            CommissionMember(
                name=m.name,
                role=m.commission_role,
                fingerprint=format_fingerprint(m.key_id),
                declared_at=general.declared_at if general else None,
                declaration_version=general.text_version if general else "",
                bundles=int(bundles.get(m.key_id, 0)),
            )
        )
    return result


def _sittings(session: Session, call_id: str) -> list[Sitting]:
    """The sittings as recorded, oldest first; none is ever inferred."""
    from app.services.sittings import sittings_of

    return [
        Sitting(s.held_on, s.place, s.present, s.absent, s.notes, s.starts_at, s.ends_at,
                s.mode, s.secretary, s.full_members)
        for s in sittings_of(session, call_id)
    ]  # fmt: skip


def _sitting_recorded(session: Session, call_id: str) -> bool:
    """Whether the minutes have a sitting to state: among the facts the
    approval froze or, for a ranking approved before it froze them, recorded."""
    facts = approved_minutes_facts(session, call_id)
    if facts is not None and "sittings" in facts:
        return bool(facts["sittings"])
    return _has_sitting(session, call_id)


def has_sitting(session: Session, call_id: str) -> bool:
    """Whether a sitting of ``call_id`` is recorded (the approval needs one)."""
    return _has_sitting(session, call_id)


def _has_sitting(session: Session, call_id: str) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(CommissionSitting)
            .where(CommissionSitting.call_id == call_id)
        )
    )


def _proposals(
    session: Session,
    call: Call,
    members: list[Member],
    ranking: RankingView,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> tuple[list[ConflictEntry], list[ProposalScores]]:
    proposals = {
        p.id: p for p in session.scalars(select(Proposal).where(Proposal.call_id == call.id))
    }
    by_member = {m.id: m for m in members}
    keys = {c.id: c.key for c in call.criteria}
    titles = {p.code: p.title for p in proposals.values()}
    conflicts = [
        ConflictEntry(e.member, e.proposal, titles.get(e.proposal, ""), e.category, e.reason,
                      e.declared_at, e.kind, e.bundle_sequence)
        for e in conflict_events(session, call.id)
    ]  # fmt: skip
    abstained: dict[int, list[str]] = {}
    conflicted: set[tuple[int, int]] = set()
    for d in session.scalars(
        select(ConflictDeclaration)
        .where(ConflictDeclaration.member_id.in_(by_member), ConflictDeclaration.has_conflict)
        .order_by(ConflictDeclaration.proposal_id, ConflictDeclaration.member_id)
    ):
        conflicted.add((d.member_id, d.proposal_id))
        abstained.setdefault(d.proposal_id, []).append(by_member[d.member_id].name)
    seated = substitute_seats(session, call.id)
    replaced: dict[int, list[tuple[str, str]]] = {}
    for seat in session.scalars(select(Substitution).where(Substitution.call_id == call.id)):
        if seated.get((seat.substitute_id, seat.proposal_id)):
            replaced.setdefault(seat.proposal_id, []).append(
                (by_member[seat.replaces_id].name, by_member[seat.substitute_id].name)
            )
    values: dict[tuple[int, int], dict[str, object]] = {}
    motivations: dict[tuple[int, int], dict[str, str]] = {}
    # Columns, not ORM objects: a regional call has over a million scores,
    # and an identity map of them took more memory than the whole minutes.
    for member_id, proposal_id, criterion_id, value, justification in session.execute(
        select(Score.member_id, Score.proposal_id, Score.criterion_id, Score.value,
               Score.justification).where(Score.member_id.in_(by_member))
    ):  # fmt: skip
        pair = (member_id, proposal_id)
        if pair in conflicted:
            continue
        if value is not None:
            values.setdefault(pair, {})[keys[criterion_id]] = value
        motivations.setdefault(pair, {})[keys[criterion_id]] = justification
    ranked = {r.proposal: r for r in ranking.rows}
    excluded = {e.proposal: e for e in ranking.excluded}
    result = []
    each = UnitCounter(
        progress,
        cancel or Cancel(),
        len(proposals),
        lambda index, total: _("Minutes: proposal {index} of {total}…").format(
            index=index, total=total
        ),
    )
    for index, proposal in enumerate(sorted(proposals.values(), key=lambda p: p.code), start=1):
        each(index)
        if not proposal.admissible:
            continue  # not scored: the ranking lists it with its reason
        scorers = [
            MemberScores(m.name, dict(values.get((m.id, proposal.id), {})),  # type: ignore[arg-type]
                         motivations.get((m.id, proposal.id), {}))
            for m in members
            if (m.id, proposal.id) in values or (m.id, proposal.id) in motivations
        ]  # fmt: skip
        row = ranked.get(proposal.code)
        out = excluded.get(proposal.code)
        if row is None and out is None:
            continue
        result.append(
            ProposalScores(
                proposal=proposal.code,
                title=proposal.title,
                applicant=proposal.applicant,
                rank=row.rank if row else None,
                reason=out.reason if out else None,
                total=row.total if row else out.total if out else None,
                points=dict(row.criteria if row else out.criteria if out else {}),
                evaluators=row.evaluators if row else out.evaluators if out else 0,
                flags=row.flags if row else out.flags if out else (),
                members=tuple(scorers),
                abstained=tuple(abstained.get(proposal.id, ())),
                substitutes=tuple(replaced.get(proposal.id, ())),
                collegial=tuple(d for d in ranking.collegial if d.proposal == proposal.code),
            )
        )
    return conflicts, result


def _inadmissible(session: Session, call_id: str) -> dict[str, tuple[str, ...]]:
    """Each inadmissible proposal's recorded reasons, as sentences."""
    from app.services.reason_sentences import describe_reason

    return {
        p.code: tuple(describe_reason(r) for r in p.inadmissible_reasons)
        for p in session.scalars(
            select(Proposal).where(Proposal.call_id == call_id, Proposal.admissible.is_(False))
        )
    }


def _live_view(
    session: Session,
    call: Call,
    ranking: RankingView,
    *,
    with_scores: bool = True,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> MinutesView:
    """The minutes' view from the workspace's tables as they are now; without
    the conflicts and each proposal's scores unless ``with_scores`` (when the
    approval froze them, reading a million scores again would be wasted)."""
    identity = require_role(session, "secretariat")
    acts = call.parsed.acts
    members = _members(session, call.id)
    received = session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.call_id == call.id)
    )
    conflicts: list[ConflictEntry] = []
    proposals: list[ProposalScores] = []
    if with_scores:
        conflicts, proposals = _proposals(
            session, call, members, ranking, progress=progress, cancel=cancel
        )
    sheets: tuple[SheetView, ...] = ()
    if call.parsed.outputs.individual_sheets_in_minutes:
        from app.services.member_sheet import accepted_sheets

        sheets = accepted_sheets(session, call, ranking)
    return MinutesView(
        call=call.parsed.info,
        proposals_received=int(received or 0),
        rules=call.grid,
        matchfunding=call.matchfunding,
        commission=tuple(_commission(session, call.id, members)),
        secretary=Secretary(acts.secretary, format_fingerprint(identity.key_id), identity.name),
        sittings=tuple(_sittings(session, call.id)),
        discussions=tuple(discussions_of(session, call.id)),
        conflicts=tuple(conflicts),
        proposals=tuple(proposals),
        ranking=ranking,
        acts=acts,
        inadmissible=_inadmissible(session, call.id),
        reason_labels={
            code: exclusion_label(code)
            for code in ("below_threshold", "below_criterion_floor", "no_quorum", "inadmissible")
        },
        individual_sheets=sheets,
    )


def freeze_minutes_facts(
    session: Session,
    call: Call,
    ranking: RankingView,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """What the minutes will print besides the ranking, as the approval of
    ``ranking`` freezes it (inside the approved ranking document); ``cancel``
    is checked at each proposal."""
    return snapshot.freeze(_live_view(session, call, ranking, progress=progress, cancel=cancel))


def build_minutes_view(session: Session, call_id: str) -> MinutesView:
    """Everything the minutes of ``call_id`` show; refused before approval.

    Built from the approved ranking document only: the ranking and the facts
    its approval froze. A ranking approved before the facts were frozen with
    it (an older workspace) reads them from the tables, as it always did.
    """
    from app.services.ranking_errors import RankingNotApprovedError

    require_role(session, "secretariat")
    try:
        ranking = approved_view(session, call_id)
    except RankingNotApprovedError:
        raise MinutesBeforeApprovalError(call_id) from None
    call = get_call(session, call_id)
    require_acts(call)
    if not _sitting_recorded(session, call_id):
        raise MinutesWithoutSittingError(call_id)
    facts = approved_minutes_facts(session, call_id)
    frozen = facts is not None and {"conflicts", "proposals"} <= facts.keys()
    view = _live_view(session, call, ranking, with_scores=not frozen)
    return view if facts is None else snapshot.thaw(view, facts)


def minutes_view(ws: OpenWorkspace, call_id: str) -> MinutesView:
    """The plain view of the minutes of ``call_id`` (secretariat, after approval)."""
    with ws.session() as session:
        return build_minutes_view(session, call_id)


def make_minutes(
    ws: OpenWorkspace,
    call_id: str,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> MinutesPdf:
    """The minutes of ``call_id`` as a PDF with one empty signature field per signer.

    ``progress`` hears each phase and the pages as they are laid out;
    ``cancel`` stops it at the next page or proposal with
    :class:`MinutesStoppedError` (the PDF is made in memory: nothing was
    written).
    """
    try:
        return _make(ws, call_id, progress, cancel or Cancel())
    except CancelledError:
        raise MinutesStoppedError(call_id) from None


def _make(ws: OpenWorkspace, call_id: str, progress: Progress, cancel: Cancel) -> MinutesPdf:
    progress(_("Reading the approved ranking…"))
    view = minutes_view(ws, call_id)
    cancel.check()
    return render_minutes(view, watch=LayoutWatch(progress, cancel.check))


@dataclass(frozen=True)
class MinutesWritten:
    """What ``write_minutes`` produced."""

    path: Path
    pages: int
    fields: tuple[str, ...]
    signed_by: str | None
    field: str | None
    sha256: str
    changes: Changes = dataclasses.field(default_factory=lambda: Changes(minutes=True))


def write_minutes(
    ws: OpenWorkspace,
    call_id: str,
    out: Path,
    *,
    key: SignerKey | None = None,
    field: str | None = None,
    timestamp_url: str | None = None,
    level: str | None = None,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> MinutesWritten:
    """Make the minutes, sign them if ``key`` is given, write ``out`` atomically.

    Everything that can be refused (approval, key, PIN, time-stamp server)
    is refused before ``out`` is touched; the audit log notes the digest.
    ``cancel`` stops it at the next page, proposal or phase with
    :class:`MinutesStoppedError`, before ``out`` is touched.
    """
    cancel = cancel or Cancel()
    pdf = make_minutes(ws, call_id, progress=progress, cancel=cancel)
    content = pdf.content
    signed = None
    try:
        if key is not None:
            signed = _signed(
                content,
                key,
                field=field,
                timestamp_url=timestamp_url,
                level=level,
                progress=progress,
                cancel=cancel,
            )
            content = signed.content
        cancel.check()
    except CancelledError:
        raise MinutesStoppedError(call_id) from None
    progress(_("Writing the file…"))
    digest = hashlib.sha256(content).hexdigest()
    write_output(out, content)  # the minutes are published
    record_written(ws, call_id, digest, pdf.pages, 0 if signed is None else 1)
    return MinutesWritten(
        path=out,
        pages=pdf.pages,
        fields=pdf.fields,
        signed_by=signed.signer if signed else None,
        field=signed.field if signed else None,
        sha256=digest,
    )


@dataclass(frozen=True)
class MinutesSaved:
    path: Path
    sha256: str
    changes: Changes


def save_minutes(ws: OpenWorkspace, call_id: str, out: Path, content: bytes) -> MinutesSaved:
    """Write minutes already made (perhaps signed) to ``out`` atomically; audited.

    Refused before approval, and for bytes that are not a PDF.
    """
    minutes_view(ws, call_id)  # the same refusal as making them
    reader = read_pdf(content)
    pages = int(reader.root["/Pages"]["/Count"])
    signatures = sum(1 for _name, signed in fields_of(content) if signed)
    digest = hashlib.sha256(content).hexdigest()
    write_output(out, content)
    record_written(ws, call_id, digest, pages, signatures)
    return MinutesSaved(out, digest, Changes(minutes=True))


def sign_minutes(
    pdf: bytes,
    key: SignerKey,
    *,
    field: str | None = None,
    timestamp_url: str | None = None,
    level: str | None = None,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> SignedPdf:
    """Add one signature to the minutes (or any PDF): an incremental update,
    checked before it is returned.

    ``progress`` hears each phase (reading, signing, the time-stamp, the
    check); ``cancel`` stops it between two phases with
    :class:`SigningStoppedError`. pyHanko signs in one call that cannot be
    interrupted inside: a Stop during it takes effect when it returns (or
    just before the time-stamp server is asked).
    """
    try:
        return _signed(
            pdf,
            key,
            field=field,
            timestamp_url=timestamp_url,
            level=level,
            progress=progress,
            cancel=cancel or Cancel(),
        )
    except CancelledError:
        raise SigningStoppedError() from None


def _signed(
    pdf: bytes,
    key: SignerKey,
    *,
    field: str | None,
    timestamp_url: str | None,
    level: str | None,
    progress: Progress,
    cancel: Cancel,
) -> SignedPdf:
    signed = sign_pdf(
        pdf,
        key,
        field=field,
        timestamp_url=timestamp_url,
        level=level,
        watch=SigningWatch(progress, cancel.check),
    )
    cancel.check()
    progress(_("Checking the signature…"))
    check_new_signature(signed)
    cancel.check()
    return signed


def sign_file(
    pdf: Path,
    out: Path,
    key: SignerKey,
    *,
    field: str | None = None,
    timestamp_url: str | None = None,
    level: str | None = None,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> SignedPdf:
    """Add a signature to the PDF in ``pdf`` and write the result to ``out``
    (atomically, at the end: a Stop before it leaves nothing)."""
    signed = sign_minutes(
        read_input(pdf),
        key,
        field=field,
        timestamp_url=timestamp_url,
        level=level,
        progress=progress,
        cancel=cancel,
    )
    progress(_("Writing the file…"))
    write_output(out, signed.content)
    return signed


def check_new_signature(signed: SignedPdf) -> None:
    """Refuse a signature that does not verify in the bytes just made (its
    digest over the signed ranges, and the cryptographic signature)."""
    from app.reports.signing_errors import SigningFailedError

    reports = {r.field: r for r in verify_pdf(signed.content)}
    report = reports.get(signed.field)
    if report is None or not report.intact or not report.valid:
        problem = report.problem if report is not None and report.problem else signed.field
        raise SigningFailedError(problem)


def verify_signatures(data: bytes, trust_files: Sequence[Path] = ()) -> list[SignatureReport]:
    """Every signature of a signed PDF, checked against the trust roots in ``trust_files``."""
    from app.services.errors import InputFileError

    blobs = []
    for path in trust_files:
        try:
            blobs.append((path.name, Path(path).read_bytes()))
        except OSError as exc:
            raise InputFileError(str(path), exc.strerror or type(exc).__name__) from None
    return verify_pdf(data, load_certificates(blobs))


def signature_fields(pdf: bytes) -> list[tuple[str, bool]]:
    """The signature fields of ``pdf`` and whether each is signed."""
    return fields_of(pdf)


def record_written(
    ws: OpenWorkspace, call_id: str, sha256: str, pages: int, signatures: int
) -> None:
    """Note in the audit log that the minutes were written out (and their digest)."""
    from app.store import audit

    with ws.session() as session:
        identity = require_role(session, "secretariat")
        audit.append(
            session,
            actor=identity.key_id,
            action="minutes.print",
            call_id=call_id,
            details={"sha256": sha256, "pages": pages, "signatures": signatures},
        )
