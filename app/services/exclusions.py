"""Why each proposal is out of a ranking, with its numbers, for the screens,
the command line and the exports (:mod:`app.scoring.exclusion_grounds`)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Proposal
from app.scoring.exclusion_grounds import exclusion_grounds
from app.scoring.views import RankingView
from app.services.unlocking import OpenWorkspace


def excluded_grounds(ws: OpenWorkspace, view: RankingView) -> dict[str, str]:
    """Proposal id -> the figures (or the recorded reasons) that keep it out of ``view``."""
    from app.services.reason_sentences import describe_reason

    with ws.session() as session:
        reasons = {
            p.code: tuple(describe_reason(r) for r in p.inadmissible_reasons)
            for p in session.scalars(
                select(Proposal).where(
                    Proposal.call_id == view.call_id, Proposal.admissible.is_(False)
                )
            )
        }
    return {
        e.proposal: exclusion_grounds(view, e, reasons.get(e.proposal, ())) for e in view.excluded
    }
