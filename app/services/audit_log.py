"""The audit log as people read it (*Strumenti → Registro delle operazioni*):
every entry with who did what, on which call and object, and the state of the
hash chain — verified whole, or the first entry that does not match it.

The chain is checked with the same walk as ``vaglio check``
(:func:`app.store.audit.broken_in`): an altered entry is named alone, a
removed one names its successor. Each workspace holds its own log: the
secretariat's, or the member's own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.crypto.keys import format_fingerprint
from app.i18n import _, format_decimal, n_
from app.models import AuditEvent, Member
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit


def action_labels() -> dict[str, str]:
    """What each kind of entry records, as people say it."""
    return {
        "workspace.created": _("Workspace created"),
        "settings.changed": _("Setting changed"),
        "remote.set": _("Exchange folder set"),
        "office.trusted": _("City office's card trusted"),
        "call.created": _("Call created"),
        "call.updated": _("Call changed"),
        "call.acts": _("Acts of the call recorded"),
        "call.published": _("Call package published"),
        "call.package_installed": _("Call package received"),
        "call.closed": _("Evaluation closed"),
        "call.purged": _("Call removed"),
        "proposals.imported": _("Proposals imported"),
        "proposal.admissibility": _("Admissibility changed"),
        "roster.enrolled": _("Member enrolled"),
        "college.substitute": _("Substitute assigned"),
        "declaration.general": _("General declaration"),
        "declaration.proposal": _("Declaration on a proposal"),
        "scores.saved": _("Scores saved"),
        "scores.imported": _("Scores imported"),
        "bundle.submitted": _("Bundle submitted"),
        "bundle.accepted": _("Bundle accepted"),
        "receipt.received": _("Receipt received"),
        "collegial.record": _("Collegial score recorded"),
        "discussion.add": _("Discussion recorded"),
        "sitting.add": _("Sitting recorded"),
        "sitting.remove": _("Sitting removed"),
        "ranking.lottery": _("Lottery number recorded"),
        "ranking.approve": _("Ranking approved"),
        "ranking.publication": _("Ranking exported for publication"),
        "minutes.print": _("Minutes printed"),
        "sheet.print": _("Individual sheet printed"),
        "funding.campaigns": _("Campaign results imported"),
        "funding.record": _("Funding step recorded"),
        "funding.record.remove": _("Funding step removed"),
    }


def action_label(action: str) -> str:
    """The label of ``action`` (the code itself for a kind this version does not name)."""
    return action_labels().get(action, action)


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the log, ready to show."""

    seq: int
    at: dt.datetime  # UTC
    actor: str  # a name when the workspace knows the key, else its fingerprint
    action: str  # the stable code, e.g. ``scores.saved``
    call_id: str
    subject: str
    details: str  # ``key: value`` pairs
    intact: bool  # False: this entry does not match the chain

    @property
    def action_text(self) -> str:
        return action_label(self.action)

    @property
    def object_text(self) -> str:
        """The call and the object the entry is about: ``MI-CC-2020 · P014``."""
        return " · ".join(part for part in (self.call_id, self.subject) if part)


@dataclass(frozen=True)
class AuditLogView:
    """The whole log and its chain's state."""

    entries: tuple[AuditEntry, ...]
    broken: tuple[int, ...]  # entries that do not match the chain, in order

    @property
    def verified(self) -> bool:
        return not self.broken

    @property
    def first_broken(self) -> int | None:
        return self.broken[0] if self.broken else None


def _details_text(text: str) -> str:
    """The details' JSON as ``key: value`` pairs (the text as stored if it is not JSON)."""
    try:
        details = json.loads(text)
    except ValueError:
        return text
    if not isinstance(details, dict):
        return text

    def value(item: object) -> str:
        if isinstance(item, list):
            return ", ".join(value(part) for part in item)
        if isinstance(item, dict):
            return json.dumps(item, ensure_ascii=False, sort_keys=True)
        return str(item)

    return "; ".join(f"{key}: {value(item)}" for key, item in details.items())


def audit_log(ws: OpenWorkspace) -> AuditLogView:
    """Every entry of this workspace's audit log and the state of its chain."""
    with ws.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        broken = audit.broken_in(events)
        identity = own_identity(session)
        names = {m.key_id: m.name for m in session.scalars(select(Member))}
        names[identity.key_id] = identity.name
        bad = set(broken)
        entries = tuple(
            AuditEntry(
                seq=event.seq,
                at=event.at,
                actor=names.get(event.actor) or _actor_fingerprint(event.actor),
                action=event.action,
                call_id=event.call_id,
                subject=event.subject,
                details=_details_text(event.details),
                intact=event.seq not in bad,
            )
            for event in events
        )
    return AuditLogView(entries, tuple(broken))


def _actor_fingerprint(actor: str) -> str:
    """A key this workspace does not name, by the start of its fingerprint."""
    if len(actor) == 64 and all(c in "0123456789abcdef" for c in actor):
        return format_fingerprint(actor)[:19] + " …"
    return actor


def chain_sentence(view: AuditLogView) -> str:
    """``Catena verificata: 1.234 voci integre`` or the first entry that breaks it."""
    if view.verified:
        return n_(
            "Chain verified: {count} entry intact.",
            "Chain verified: {count} entries intact.",
            len(view.entries),
        ).format(count=format_decimal(Decimal(len(view.entries)), 0))
    return _(
        "Chain broken at entry {seq}: it was altered, removed or reordered. "
        "Entries that do not match: {count}. Run Tools → Check integrity."
    ).format(seq=view.first_broken, count=len(view.broken))
