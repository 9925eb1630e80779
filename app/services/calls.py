"""Use cases of a call: create it from its definition, read it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Call, Proposal
from app.models.definition import CallDefinition
from app.services.changes import Changes
from app.services.errors import CallExistsError, InputFileError, UnknownCallError
from app.services.files import read_input
from app.services.unlocking import OpenWorkspace
from app.services.views import CallView
from app.services.workspace import require_role
from app.store import audit


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


def read_definition_file(path: Path) -> str:
    """The text of a call definition file."""
    try:
        return read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(str(path), _("the file is not UTF-8 text")) from None


def create_call(ws: OpenWorkspace, text: str, source: str = "call.toml") -> CallCreated:
    """Create a call (secretariat) from the text of its TOML definition."""
    definition = CallDefinition.from_toml(text, source)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        if session.get(Call, definition.id) is not None:
            raise CallExistsError(definition.id)
        session.add(Call.from_definition(definition))
        audit.append(
            session,
            actor=identity.key_id,
            action="call.created",
            call_id=definition.id,
            details={"grid_hash": definition.grid_hash, "criteria": len(definition.grid.criteria)},
        )
    return CallCreated(definition.id, len(definition.grid.criteria), Changes(calls=True))


def _view(session: Session, call: Call) -> CallView:
    count = session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.call_id == call.id)
    )
    return CallView(definition=call.parsed, status=call.status, proposals=int(count or 0))


def list_calls(ws: OpenWorkspace) -> list[CallView]:
    """Every call in the workspace, newest first."""
    with ws.session() as session:
        calls = session.scalars(select(Call).order_by(Call.created_at.desc())).all()
        return [_view(session, call) for call in calls]


def call_view(ws: OpenWorkspace, call_id: str) -> CallView:
    """One call."""
    with ws.session() as session:
        return _view(session, get_call(session, call_id))
