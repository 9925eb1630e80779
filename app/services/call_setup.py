"""The secretariat's set-up of a call before publication: editing the
definition and the grid, and deciding admissibility by hand (with a reason)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.errors import echo
from app.i18n import _
from app.models import Call, Proposal
from app.models.definition import CallDefinition
from app.models.proposal import REASON_SET_BY_SECRETARIAT
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.proposal_import import admissibility_reasons
from app.services.proposals import get_proposal
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


class AlreadyPublishedError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "Call {call_id} is already published: its definition and proposals are frozen."
            ).format(call_id=echo(call_id))
        )


class CallIdChangedError(ServiceError):
    def __init__(self, old: str, new: str) -> None:
        super().__init__(
            _("The call id cannot change from {old} to {new}: create a new call instead.").format(
                old=echo(old), new=echo(new)
            )
        )


class ProposalsNoLongerFitError(ServiceError):
    def __init__(self, details: str) -> None:
        super().__init__(
            _("The imported proposals no longer fit the new definition ({details}).").format(
                details=details
            )
        )


class ReasonRequiredError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("Say why the proposal is not admissible."))


@dataclass(frozen=True)
class CallUpdated:
    call_id: str
    changes: Changes = field(default_factory=lambda: Changes(calls=True, proposals=True))


def _require_draft(call: Call) -> None:
    if call.status != "draft":
        raise AlreadyPublishedError(call.id)


def update_call(
    ws: OpenWorkspace, call_id: str, text: str, source: str = "call.toml"
) -> CallUpdated:
    """Replace the definition and grid of a draft call (same validation as creating it)."""
    definition = CallDefinition.from_toml(text, source)
    if definition.id != call_id:
        raise CallIdChangedError(call_id, definition.id)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        _require_draft(call)
        proposals = session.scalars(select(Proposal).where(Proposal.call_id == call_id)).all()
        misfits = [
            p.code
            for p in proposals
            if p.neighbourhood not in definition.info.neighbourhoods
            or p.thematic_area not in definition.info.thematic_areas
        ]
        if misfits:
            raise ProposalsNoLongerFitError(", ".join(misfits[:10]))
        call.apply(definition)
        session.flush()
        for proposal in proposals:
            manual = [
                r
                for r in proposal.inadmissible_reasons
                if r.get("code") == REASON_SET_BY_SECRETARIAT
            ]
            reasons = admissibility_reasons(
                call, proposal.total_cost, proposal.requested_contribution
            )
            proposal.inadmissible_reasons = reasons + manual
            proposal.admissible = not proposal.inadmissible_reasons
        audit.append(
            session,
            actor=identity.key_id,
            action="call.updated",
            call_id=call_id,
            details={"grid_hash": definition.grid_hash},
        )
    return CallUpdated(call_id)


def set_admissibility(
    ws: OpenWorkspace, call_id: str, proposal_id: str, *, admissible: bool, reason: str = ""
) -> Changes:
    """Mark a proposal not admissible with a reason, or lift the secretariat's mark.

    The automatic reasons (cost, request) stay: they follow from the call's rule.
    """
    reason = reason.strip()
    if not admissible and not reason:
        raise ReasonRequiredError()
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        _require_draft(call)
        proposal = get_proposal(session, call_id, proposal_id)
        kept = [
            r for r in proposal.inadmissible_reasons if r.get("code") != REASON_SET_BY_SECRETARIAT
        ]
        if not admissible:
            kept.append({"code": REASON_SET_BY_SECRETARIAT, "params": {"reason": reason}})
        proposal.inadmissible_reasons = kept
        proposal.admissible = not kept
        audit.append(
            session,
            actor=identity.key_id,
            action="proposal.admissibility",
            call_id=call_id,
            subject=proposal.code,
            details={"admissible": admissible, "reason": reason, "result": proposal.admissible},
        )
    return Changes(proposals=True)


def definition_text(ws: OpenWorkspace, call_id: str) -> str:
    """The call's definition as TOML, to edit."""
    with ws.session() as session:
        return get_call(session, call_id).definition
