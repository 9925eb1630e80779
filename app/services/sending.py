"""Where a commission member stands with sending: never sent, the last bundle
signed (and whether it reached the exchange, and whether the city office sent
its receipt), whether anything changed since, and what is still missing before
the next submission.

"Changed since" is decided against what the last bundle *holds* (its signed
declarations and scores, read back from the envelope kept in the workspace),
never by comparing moments: a value changed and changed back is no change,
and a motivation typed where no value was given is not something a bundle
carries. ``vaglio status`` prints the state too (docs/cli.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app import clock
from app.bundles.score_bundle import ScoreBundle
from app.i18n import _, n_, on_moment
from app.models import (
    ConflictDeclaration,
    GeneralDeclaration,
    OutboxItem,
    Proposal,
    Score,
    TrustedOffice,
)
from app.scoring.sheet import motivation_ok
from app.services.closing import CLOSED_STATUSES
from app.services.member_desk import member_context
from app.services.outbox import bundle_path, last_sent_bundle
from app.services.unlocking import OpenWorkspace

# The states of the last bundle (NEVER: none was ever signed).
NEVER, OUTBOX, SENT, RECEIVED = "never", "outbox", "sent", "received"


@dataclass(frozen=True)
class Readiness:
    """What stands between the member and the next submission."""

    general_missing: bool = False
    undeclared: int = 0  # admissible proposals without a declaration
    unscored: int = 0  # criteria without a value, on proposals to score
    short_motivations: int = 0  # values whose motivation is missing or too short
    closed: bool = False  # the office closed the evaluation
    unpublished: bool = False  # no package from a trusted office: nowhere to send

    @property
    def ready(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        """One sentence per obstacle, in the order the member can remove them."""
        lines = []
        if self.closed:
            lines.append(_("The secretariat closed the evaluation: nothing more can be sent."))
        if self.unpublished:
            lines.append(_("No call package from a trusted city office: nothing to send to."))
        if self.general_missing:
            lines.append(_("The general declaration of no incompatibility is missing."))
        if self.undeclared:
            lines.append(
                n_(
                    "{count} proposal still needs its declaration.",
                    "{count} proposals still need their declaration.",
                    self.undeclared,
                ).format(count=self.undeclared)
            )
        if self.unscored:
            scores = n_("{count} score is missing.", "{count} scores are missing.", self.unscored)
            lines.append(scores.format(count=self.unscored))
        if self.short_motivations:
            lines.append(
                n_(
                    "{count} motivation is missing or too short.",
                    "{count} motivations are missing or too short.",
                    self.short_motivations,
                ).format(count=self.short_motivations)
            )
        return lines


@dataclass(frozen=True)
class SendingState:
    """The member's sending state for one call."""

    call_id: str
    sequence: int | None  # the last bundle signed, None: never
    created_at: dt.datetime | None
    uploaded: bool
    receipt_at: dt.datetime | None
    unsent_changes: bool
    readiness: Readiness

    @property
    def state(self) -> str:
        """``never``, ``outbox``, ``sent`` or ``received`` (the last bundle)."""
        if self.sequence is None:
            return NEVER
        if self.receipt_at is not None:
            return RECEIVED
        return SENT if self.uploaded else OUTBOX

    @property
    def something_to_send(self) -> bool:
        """Nothing sent yet, or changes since the last bundle."""
        return self.sequence is None or self.unsent_changes

    def headline(self) -> str:
        """The state in one phrase, moments in Rome's time."""
        state = self.state
        if state == NEVER:
            return _("Never sent")
        assert self.sequence is not None and self.created_at is not None
        when = on_moment(self.created_at, clock.rome())
        if state == RECEIVED:
            assert self.receipt_at is not None
            return _("Received by the secretariat {moment} (no. {sequence})").format(
                moment=on_moment(self.receipt_at, clock.rome()), sequence=self.sequence
            )
        if state == SENT:
            return _("Sent {moment} (no. {sequence})").format(moment=when, sequence=self.sequence)
        return _("Signed {moment} (no. {sequence}), waiting to be synchronised").format(
            moment=when, sequence=self.sequence
        )

    def notes(self) -> list[str]:
        """What follows the headline: changes not sent yet, ready or not."""
        if self.unsent_changes:  # whether ready or not, the submit action says
            return [_("Changes not yet sent")]
        if self.sequence is None and self.readiness.ready:
            return [_("ready to submit")]
        return []

    def sentence(self) -> str:
        """Headline and notes on one line, for a status bar or a terminal."""
        return " · ".join([self.headline(), *self.notes()])


def sending_state(ws: OpenWorkspace, call_id: str) -> SendingState:
    """This member's sending state for ``call_id`` (refused in the secretariat's workspace)."""
    with ws.session() as session:
        context = member_context(session, call_id)
        call, member, identity = context.call, context.member, context.identity
        grid = call.grid
        keys = call.criterion_keys()
        codes = dict(
            session.execute(
                select(Proposal.id, Proposal.code).where(Proposal.call_id == call_id)
            ).all()
        )
        admissible = set(
            session.scalars(
                select(Proposal.id).where(Proposal.call_id == call_id, Proposal.admissible)
            )
        )
        general = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member.id)
        ).first()
        declarations = {
            d.proposal_id: d
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id)
            )
        }
        values: dict[tuple[int, str], Decimal] = {}
        texts: dict[tuple[int, str], str] = {}
        for score in session.scalars(select(Score).where(Score.member_id == member.id)):
            key = (score.proposal_id, keys[score.criterion_id])
            if score.value is not None:
                values[key] = score.value
            texts[key] = score.justification

        to_score = [
            pid for pid in admissible if pid in declarations and not declarations[pid].has_conflict
        ]
        unscored = short = 0
        for pid in to_score:
            for leaf in grid.leaves:
                if (pid, leaf.key) not in values:
                    unscored += 1
                elif not motivation_ok(grid, texts.get((pid, leaf.key), "")):
                    short += 1
        office = (
            session.scalars(
                select(TrustedOffice).where(TrustedOffice.key_id == call.office_key_id)
            ).first()
            if call.office_key_id
            else None
        )
        readiness = Readiness(
            general_missing=general is None,
            undeclared=sum(1 for pid in admissible if pid not in declarations),
            unscored=unscored,
            short_motivations=short,
            closed=call.status in CLOSED_STATUSES,
            unpublished=office is None or call.package_sequence < 1,
        )

        last = last_sent_bundle(session, call_id, identity.key_id)
        if last is None:
            return SendingState(call_id, None, None, False, None, False, readiness)
        uploaded = (
            session.scalars(
                select(OutboxItem).where(
                    OutboxItem.call_id == call_id,
                    OutboxItem.remote_path
                    == bundle_path(call_id, last.member_key_id, last.sequence, last.payload_hash),
                    OutboxItem.uploaded_at.is_not(None),
                )
            ).first()
            is not None
        )
        sent = ScoreBundle.parse(last.envelope)
        now_declared = {  # (a purged call keeps no proposals: nothing of it to compare)
            codes[pid]: (d.has_conflict, d.category, d.reason)
            for pid, d in declarations.items()
            if pid in codes
        }
        then_declared = {d.proposal: (d.conflict, d.category, d.reason) for d in sent.declarations}
        now_scored = {(codes[pid], key): (value, texts[(pid, key)]) for (pid, key), value in
                      values.items() if pid in codes}  # fmt: skip
        then_scored = {(s.proposal, s.criterion): (s.value, s.justification) for s in sent.scores}
        changed = call.status != "purged" and (  # a purged call's material is gone
            now_declared != then_declared
            or now_scored != then_scored
            or (general is not None and general.text_version != sent.general_text_version)
        )
        return SendingState(
            call_id, last.sequence, last.created_at, uploaded, last.receipt_at, changed, readiness
        )
