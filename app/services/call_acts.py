"""The call's acts (:mod:`app.models.call_acts`) as the minutes need them.

A verbale is a public act: it names the act that approved the call and its
publication, the act that appointed the commission, the RUP, the secretary
who takes the minutes and the place where they are signed. The call file
may leave them out (files written before they existed keep their meaning,
and a draft is written over time), but the minutes never make one up: they
are refused, naming every key to write, until the call records them all.
"""

from __future__ import annotations

from app.errors import echo
from app.i18n import _
from app.models import Call
from app.services.errors import ServiceError


class CallActsMissingError(ServiceError):
    """The minutes of a call whose definition lacks acts they must state."""

    def __init__(self, call_id: str, missing: list[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            _(
                "The minutes of {call_id} state the call's acts, and the call does not record "
                "{keys}: write them in the call definition (the call editor's «Acts» tab, or "
                "the [acts] and [commission] sections of the call file). Nothing was written."
            ).format(call_id=echo(call_id), keys=", ".join(missing))
        )


def require_acts(call: Call) -> None:
    """Refuse with :class:`CallActsMissingError` unless ``call`` records every act."""
    missing = call.parsed.acts.missing()
    if missing:
        raise CallActsMissingError(call.id, missing)
