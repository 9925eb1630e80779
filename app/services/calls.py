"""Use cases of a call: create it from its definition, read it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Call, Criterion, MatchfundingRule, Proposal, ScoringRules
from app.services.call_definition import CallDefinition, parse_call_definition
from app.services.changes import Changes
from app.services.errors import CallExistsError, InputFileError, UnknownCallError
from app.services.views import CallView, CriterionView
from app.services.workspace import require_role
from app.store import audit
from app.store.workspace import Workspace


@dataclass(frozen=True)
class CallCreated:
    call_id: str
    criteria: int
    changes: Changes


def get_call(session: Session, call_id: str) -> Call:
    """The call ``call_id``, or a refusal naming it."""
    call = session.get(Call, call_id)
    if call is None:
        raise UnknownCallError(call_id)
    return call


def call_fields(definition: CallDefinition) -> dict[str, Any]:
    """The call's own columns for a validated definition."""
    return {
        "title": definition.title,
        "authority": definition.authority,
        "programme": definition.programme,
        "project_code": definition.project_code,
        "cup": definition.cup,
        "programmed_amount": definition.programmed_amount,
        "submission_deadline": definition.submission_deadline,
        "neighbourhoods": list(definition.neighbourhoods),
        "thematic_areas": list(definition.thematic_areas),
        "definition": definition.source,
        "grid_hash": definition.grid_hash,
    }


def grid_rows(definition: CallDefinition) -> tuple[ScoringRules, MatchfundingRule, list[Criterion]]:
    """The rows of the scoring rules, matchfunding rule and criteria (unattached)."""
    scoring = definition.scoring
    rules = definition.matchfunding
    return (
        ScoringRules(
            method=scoring.method,
            levels=[f"{level:f}" for level in scoring.levels],
            level_labels=list(scoring.level_labels),
            threshold=scoring.threshold,
            rescale=scoring.rescale,
            min_evaluators=scoring.min_evaluators,
            decimals=scoring.decimals,
            justification_min_chars=scoring.justification_min_chars,
            dispersion_flag=scoring.dispersion_flag,
            tie_break=list(scoring.tie_break),
            individual_scores_in_minutes=scoring.individual_scores_in_minutes,
        ),
        MatchfundingRule(
            crowd_share=rules.crowd_share,
            cap=rules.cap,
            max_project_cost=rules.max_project_cost,
            campaign_days=rules.campaign_days,
            fund=rules.fund,
            allocation=rules.allocation,
        ),
        [
            Criterion(
                position=index,
                key=c.key,
                title=c.title,
                description=c.description,
                max_points=c.max_points,
                min_points=c.min_points,
            )
            for index, c in enumerate(definition.criteria)
        ],
    )


def call_from_definition(definition: CallDefinition) -> Call:
    """ORM rows for a validated definition (not yet added to a session)."""
    scoring, matchfunding, criteria = grid_rows(definition)
    return Call(
        id=definition.id,
        status="draft",
        scoring=scoring,
        matchfunding=matchfunding,
        criteria=criteria,
        **call_fields(definition),
    )


def read_definition_file(path: Path) -> str:
    """The text of a call definition file."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(str(path), _("file not found")) from None
    except UnicodeDecodeError:
        raise InputFileError(str(path), _("the file is not UTF-8 text")) from None
    except OSError as exc:
        raise InputFileError(str(path), exc.strerror or type(exc).__name__) from None


def create_call(ws: Workspace, text: str, source: str = "call.toml") -> CallCreated:
    """Create a call (secretariat) from the text of its TOML definition."""
    definition = parse_call_definition(text, source)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        if session.get(Call, definition.id) is not None:
            raise CallExistsError(definition.id)
        session.add(call_from_definition(definition))
        audit.append(
            session,
            actor=identity.key_id,
            action="call.created",
            call_id=definition.id,
            details={"grid_hash": definition.grid_hash, "criteria": len(definition.criteria)},
        )
    return CallCreated(definition.id, len(definition.criteria), Changes(calls=True))


def _view(session: Session, call: Call) -> CallView:
    count = session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.call_id == call.id)
    )
    return CallView(
        id=call.id,
        title=call.title,
        authority=call.authority,
        programme=call.programme,
        project_code=call.project_code,
        cup=call.cup,
        programmed_amount=call.programmed_amount,
        submission_deadline=call.submission_deadline,
        status=call.status,
        neighbourhoods=tuple(call.neighbourhoods),
        thematic_areas=tuple(call.thematic_areas),
        method=call.scoring.method,
        levels=tuple(call.scoring.level_values),
        level_labels=tuple(call.scoring.level_labels),
        justification_min_chars=call.scoring.justification_min_chars,
        criteria=tuple(
            CriterionView(c.key, c.title, c.description, c.max_points, c.min_points)
            for c in call.criteria
        ),
        proposals=int(count or 0),
    )


def list_calls(ws: Workspace) -> list[CallView]:
    """Every call in the workspace, newest first."""
    with ws.session() as session:
        calls = session.scalars(select(Call).order_by(Call.created_at.desc())).all()
        return [_view(session, call) for call in calls]


def call_view(ws: Workspace, call_id: str) -> CallView:
    """One call."""
    with ws.session() as session:
        return _view(session, get_call(session, call_id))
