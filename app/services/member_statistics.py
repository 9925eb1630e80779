"""The secretariat's statistics of the sitting: how each member scored.

Read from what the accepted score bundles left in the office's workspace (the
newest bundle of each member, as the ranking reads it): a member's values on
proposals where they declared a conflict never count, and a substitute's only
on the proposals where they hold the seat. The figures are computed by
:func:`app.scoring.member_statistics.member_statistics`; they inform the
commission's discussion and change nothing. Members never see them: only a
secretariat's workspace may ask (a member's workspace holds no one else's
scores anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.errors import echo
from app.i18n import _, format_decimal
from app.models import ConflictDeclaration, Member, Proposal, Score, ScoreBundleRecord
from app.models.rules import Grid
from app.scoring.member_statistics import MemberSheet, MemberStatistics, member_statistics
from app.services.calls import get_call
from app.services.college import substitute_seats
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role


class NoStatisticsYetError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "No score bundle has been received for {call_id} yet: the statistics "
                "come from the accepted bundles."
            ).format(call_id=echo(call_id))
        )


@dataclass(frozen=True)
class MemberStatisticsRow:
    """One roster member's figures, with the name people know them by."""

    name: str
    substitute: bool
    figures: MemberStatistics


@dataclass(frozen=True)
class MemberStatisticsView:
    call_id: str
    call_title: str
    grid: Grid
    bundles: int  # accepted bundles behind the figures (every sequence)
    rows: tuple[MemberStatisticsRow, ...]


def statistics_view(ws: OpenWorkspace, call_id: str) -> MemberStatisticsView:
    """Every roster member's figures (secretariat only), in roster order."""
    with ws.session() as session:
        require_role(session, "secretariat")
        call = get_call(session, call_id)
        bundles = len(
            session.scalars(
                select(ScoreBundleRecord.id).where(
                    ScoreBundleRecord.call_id == call_id,
                    ScoreBundleRecord.direction == "received",
                )
            ).all()
        )
        if not bundles:
            raise NoStatisticsYetError(call_id)
        roster = list(
            session.scalars(select(Member).where(Member.call_id == call_id).order_by(Member.id))
        )
        by_id = {m.id: m for m in roster}
        seated = substitute_seats(session, call_id)
        codes = dict(
            session.execute(
                select(Proposal.id, Proposal.code).where(Proposal.call_id == call_id)
            ).all()
        )
        keys = call.criterion_keys()
        free = {
            (member_id, proposal_id)
            for member_id, proposal_id in session.execute(
                select(ConflictDeclaration.member_id, ConflictDeclaration.proposal_id).where(
                    ConflictDeclaration.member_id.in_(by_id),
                    ConflictDeclaration.has_conflict.is_(False),
                )
            )
        }
        values: dict[tuple[int, int], dict[str, Decimal]] = {}
        for member_id, proposal_id, criterion_id, value in session.execute(
            select(Score.member_id, Score.proposal_id, Score.criterion_id, Score.value).where(
                Score.member_id.in_(by_id), Score.value.is_not(None)
            )
        ):
            if value is None or (member_id, proposal_id) not in free:
                continue  # a conflicted member's values never count
            if by_id[member_id].commission_role == "substitute" and not seated.get(
                (member_id, proposal_id), False
            ):
                continue  # a substitute counts only in the seat they hold
            values.setdefault((member_id, proposal_id), {})[keys[criterion_id]] = value
        sheets = [
            MemberSheet(by_id[member_id].key_id, codes[proposal_id], given)
            for (member_id, proposal_id), given in values.items()
        ]
        shown = [m for m in roster if m.commission_role != "substitute"] + [
            m for m in roster if m.commission_role == "substitute" and m.key_id in
            {s.member for s in sheets}
        ]  # fmt: skip
        figures = member_statistics(call.grid, sheets, [m.key_id for m in shown])
        return MemberStatisticsView(
            call_id=call_id,
            call_title=call.title,
            grid=call.grid,
            bundles=bundles,
            rows=tuple(
                MemberStatisticsRow(m.name, m.commission_role == "substitute", f)
                for m, f in zip(shown, figures, strict=True)
            ),
        )


def statistics_note() -> str:
    """What the figures are for, as the screen and the command line say it."""
    return _(
        "How each member scored, on a scale from 0 to 1 (points divided by the "
        "criterion's maximum), over the proposals without a conflict of interest. "
        "The figures inform the commission's discussion of a harsh or lenient member; "
        "they are never applied to any score."
    )


def figure_text(value: Decimal | None, places: int = 2) -> str:
    """A mean, a spread or a correlation as people read it; "n/d" when undefined."""
    return _("n/a") if value is None else format_decimal(value, places)


def share_text(value: Decimal | None) -> str:
    """A share as a percentage (``25 %``); "n/d" when undefined."""
    if value is None:
        return _("n/a")
    return _("{percent} %").format(percent=format_decimal(value * 100, 0))


def statistics_document(view: MemberStatisticsView) -> dict[str, object]:
    """``vaglio stats --json``: figures as decimal strings, null when undefined."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:f}"

    return {
        "call": view.call_id,
        "bundles": view.bundles,
        "scale": "0..1",
        "members": [
            {
                "member": row.name,
                "substitute": row.substitute,
                "proposals": row.figures.proposals,
                "values": row.figures.values,
                "mean": text(row.figures.mean),
                "spread": text(row.figures.spread),
                "at_lowest": text(row.figures.at_lowest),
                "at_highest": text(row.figures.at_highest),
                "pairs": row.figures.pairs,
                "correlation": text(row.figures.correlation),
            }
            for row in view.rows
        ],
    }
