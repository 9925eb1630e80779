"""The member's individual evaluation sheet (scheda individuale): their
declarations, values and motivations, with their key's fingerprint and the
hash of their last bundle sent, ready to sign with their own card.

Two sources, both recorded facts only:

- **the member's own print** (``vaglio sheet``, *Valutazione → Stampa la mia
  scheda*): the values in the member's workspace, compared with the last
  bundle the member sent; when they differ the sheet says so and marks each
  difference with the value sent;
- **the minutes' annex** (``[minutes] individual_sheets = true``): the
  secretariat holds no member's workspace, so each sheet is printed from the
  bundle the frozen ranking was computed from (by its hash), i.e. exactly the
  values the member signed and the office accepted (docs/minutes.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto.keys import format_fingerprint
from app.models import (
    ConflictDeclaration,
    GeneralDeclaration,
    Member,
    Proposal,
    Score,
    ScoreBundleRecord,
)
from app.models.call import Call
from app.models.rules import Grid
from app.reports.member_sheet import render_sheet
from app.reports.sheet_view import SentBundle, SheetCriterion, SheetProposal, SheetView
from app.scoring.sheet import member_total, points
from app.scoring.views import RankingView
from app.services.changes import Changes
from app.services.files import write_output
from app.services.member_desk import member_context
from app.services.outbox import last_sent_bundle
from app.services.unlocking import OpenWorkspace
from app.store import audit


def _title(grid: Grid, key: str) -> str:
    leaf = grid.leaf(key)
    title = leaf.title if leaf else key
    parent = grid.parent(key)
    return f"{parent.title} › {title}" if parent else title


def _entries(
    call: Call,
    proposals: list[Proposal],
    *,
    declarations: dict[str, BundleDeclaration],
    scores: dict[tuple[str, str], BundleScore],
    sent: ScoreBundle | None,
) -> list[SheetProposal]:
    """The sheet's proposals from (current) declarations and scores, compared with ``sent``."""
    grid = call.grid
    sent_declarations = {d.proposal: d for d in sent.declarations} if sent else {}
    sent_scores = {(s.proposal, s.criterion): s for s in sent.scores} if sent else {}
    result = []
    for proposal in proposals:
        declaration = declarations.get(proposal.code)
        before = sent_declarations.get(proposal.code)
        changed = (declaration is None) != (before is None) or (
            declaration is not None
            and before is not None
            and (declaration.conflict, declaration.category, declaration.reason)
            != (before.conflict, before.category, before.reason)
        )
        criteria = []
        values: dict[str, Decimal] = {}
        if declaration is not None and not declaration.conflict:
            for leaf in grid.leaves:
                score = scores.get((proposal.code, leaf.key))
                old = sent_scores.get((proposal.code, leaf.key))
                value = score.value if score else None
                if value is not None:
                    values[leaf.key] = value
                criteria.append(
                    SheetCriterion(
                        key=leaf.key,
                        title=_title(grid, leaf.key),
                        value=value,
                        points=None if value is None else points(grid, leaf, value),
                        motivation=score.justification if score else "",
                        sent_value=old.value if old else None,
                        sent_motivation=old.justification if old else None,
                    )
                )
        result.append(
            SheetProposal(
                code=proposal.code,
                title=proposal.title,
                applicant=proposal.applicant,
                declared=declaration is not None,
                conflict=bool(declaration and declaration.conflict),
                category=declaration.category if declaration else None,
                reason=declaration.reason if declaration else "",
                declared_at=declaration.declared_at if declaration else None,
                declaration_changed=sent is not None and changed,
                sent_conflict=None if before is None else before.conflict,
                criteria=tuple(criteria),
                total=member_total(grid, values) if values else None,
            )
        )
    return result


def _stamp(record: ScoreBundleRecord) -> SentBundle:
    return SentBundle(record.sequence, record.payload_hash, record.created_at)


def own_sheet_view(ws: OpenWorkspace, call_id: str) -> SheetView:
    """The member's own sheet (a member's workspace; refused in the secretariat's)."""
    with ws.session() as session:
        context = member_context(session, call_id)
        call, member = context.call, context.member
        keys = call.criterion_keys()
        proposals = session.scalars(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.admissible)
            .order_by(Proposal.code)
        ).all()
        codes = {p.id: p.code for p in proposals}
        declarations = {
            codes[d.proposal_id]: BundleDeclaration(
                codes[d.proposal_id], d.has_conflict, d.category, d.reason, d.declared_at
            )
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id)
            )
            if d.proposal_id in codes
        }
        scores = {
            (codes[s.proposal_id], keys[s.criterion_id]): BundleScore(
                codes[s.proposal_id], keys[s.criterion_id], s.value, s.justification,  # type: ignore[arg-type]
                s.updated_at,
            )
            for s in session.scalars(select(Score).where(Score.member_id == member.id))
            if s.proposal_id in codes
        }  # fmt: skip
        last = last_sent_bundle(session, call_id, member.key_id)
        sent = ScoreBundle.parse(last.envelope) if last is not None else None
        general = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member.id)
        ).first()
        return SheetView(
            call=call.parsed.info,
            grid=call.grid,
            member=member.name,
            role=member.commission_role,
            fingerprint=format_fingerprint(member.key_id),
            general_declared_at=general.declared_at if general else None,
            general_version=general.text_version if general else "",
            bundle=_stamp(last) if last is not None else None,
            from_bundle=False,
            proposals=tuple(
                _entries(call, list(proposals), declarations=declarations, scores=scores, sent=sent)
            ),
            printed_at=clock.now(),
        )


def accepted_sheets(session: Session, call: Call, ranking: RankingView) -> tuple[SheetView, ...]:
    """Each member's sheet printed from the bundle the frozen ranking used.

    The bundles are found by the payload hash the ranking document recorded;
    their envelopes are the signed bytes the office checked at intake.
    """
    members = {
        m.key_id: m for m in session.scalars(select(Member).where(Member.call_id == call.id))
    }
    proposals = {
        p.code: p for p in session.scalars(select(Proposal).where(Proposal.call_id == call.id))
    }
    sheets = []
    for ref in ranking.bundles:
        record = session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == call.id,
                ScoreBundleRecord.direction == "received",
                ScoreBundleRecord.payload_hash == ref.payload_hash,
            )
        ).first()
        if record is None:
            continue
        bundle = ScoreBundle.parse(record.envelope)
        member = members.get(bundle.author_key_id)
        if member is None:
            continue
        declared = {d.proposal: d for d in bundle.declarations}
        scores = {(s.proposal, s.criterion): s for s in bundle.scores}
        mine = sorted(
            {code for code in declared} | {code for code, _key in scores},
        )
        chosen = [proposals[code] for code in mine if code in proposals]
        sheets.append(
            SheetView(
                call=call.parsed.info,
                grid=call.grid,
                member=member.name,
                role=member.commission_role,
                fingerprint=format_fingerprint(member.key_id),
                general_declared_at=bundle.general_declared_at,
                general_version=bundle.general_text_version,
                bundle=_stamp(record),
                from_bundle=True,
                proposals=tuple(
                    _entries(call, chosen, declarations=declared, scores=scores, sent=bundle)
                ),
            )
        )
    return tuple(sheets)


@dataclass(frozen=True)
class SheetWritten:
    path: Path
    pages: int
    field: str
    unsent: bool
    bundle_hash: str | None
    changes: Changes = dataclasses.field(default_factory=Changes)


def write_own_sheet(ws: OpenWorkspace, call_id: str, out: Path) -> SheetWritten:
    """Print the member's own sheet to ``out`` (atomically); noted in the audit log."""
    view = own_sheet_view(ws, call_id)
    pdf = render_sheet(view)
    write_output(out, pdf.content)
    with ws.session() as session:
        context = member_context(session, call_id)
        audit.append(
            session,
            actor=context.identity.key_id,
            action="sheet.print",
            call_id=call_id,
            details={
                "pages": pdf.pages,
                "unsent": view.unsent,
                "bundle": view.bundle.payload_hash if view.bundle else None,
            },
        )
    return SheetWritten(
        out,
        pdf.pages,
        pdf.fields[0],
        view.unsent,
        view.bundle.payload_hash if view.bundle else None,
    )
