"""The call's acts (:mod:`app.models.call_acts`) as the minutes need them.

A verbale is a public act: it names the act that approved the call and its
publication, the act that appointed the commission, the RUP, the secretary
who takes the minutes and the place where they are signed. The call file
may leave them out (files written before they existed keep their meaning,
and a draft is written over time), but the minutes never make one up: they
are refused, naming every key to write, until the call records them all.

A draft call's acts change with the rest of its definition (the editor,
``update_call``). Once the call is published its definition is frozen, but
the acts are not rules: :func:`record_call_acts` replaces only ``[acts]`` and
``[commission]`` until the ranking is approved, when they freeze with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import echo
from app.i18n import _
from app.models import Call, RankingRecord
from app.models.definition import CallDefinition
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


class CallActsMissingError(ServiceError):
    """The minutes of a call whose definition lacks acts they must state."""

    def __init__(self, call_id: str, missing: list[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            _(
                "The minutes of {call_id} state the call's acts, and the call does not record "
                "{keys}: write them in the [acts] and [commission] sections of the call "
                "definition (the call editor's «Acts» tab for a draft; once published, vaglio "
                "call acts {call_id} CALL.toml). Nothing was written."
            ).format(call_id=echo(call_id), keys=", ".join(missing))
        )


def require_acts(call: Call) -> None:
    """Refuse with :class:`CallActsMissingError` unless ``call`` records every act."""
    missing = call.parsed.acts.missing()
    if missing:
        raise CallActsMissingError(call.id, missing)


class ActsAfterApprovalError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The ranking of {call_id} is approved: the call's acts are frozen with it. "
                "Nothing was changed."
            ).format(call_id=echo(call_id))
        )


class NotOnlyActsError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "Call {call_id} is published: only its [acts] and [commission] sections may "
                "change, and this file changes other parts of its definition. Nothing was "
                "changed."
            ).format(call_id=echo(call_id))
        )


@dataclass(frozen=True)
class ActsRecorded:
    call_id: str
    missing: tuple[str, ...]  # what the minutes still lack
    changes: Changes = field(default_factory=lambda: Changes(calls=True))


def record_call_acts(
    ws: OpenWorkspace, call_id: str, text: str, source: str = "call.toml"
) -> ActsRecorded:
    """Take the ``[acts]`` and ``[commission]`` of the call file ``text`` for
    ``call_id``, whose other sections must be the call's own; refused once the
    ranking is approved. Audited."""
    from app.services.call_setup import CallIdChangedError

    definition = CallDefinition.from_toml(text, source)
    if definition.id != call_id:
        raise CallIdChangedError(call_id, definition.id)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        record = session.get(RankingRecord, call_id)
        if record is not None and record.approved_at is not None:
            raise ActsAfterApprovalError(call_id)
        current = call.parsed
        if definition.info != current.info or definition.rules != current.rules:
            raise NotOnlyActsError(call_id)
        merged = CallDefinition(current.info, current.rules, "", definition.acts)
        call.definition = merged.to_toml()
        audit.append(
            session,
            actor=identity.key_id,
            action="call.acts",
            call_id=call_id,
            details={"missing": definition.acts.missing()},
        )
    return ActsRecorded(call_id, tuple(definition.acts.missing()))
