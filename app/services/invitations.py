"""Invitations: the secretariat writes one per call (for one member or for
anyone on the roster); a member joins the call from it in one step.

Joining pins the office's card (as ``vaglio trust``), records the exchange
(as ``vaglio remote set``) and synchronises that call. Everything the
invitation says, and the member's own choice of folder, is checked before
anything is written: a refused invitation leaves the workspace as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.bundles.invitation import MAX_INVITATION, Invitation, InvitationTooLargeError
from app.crypto.keys import KeyPair, format_fingerprint
from app.errors import echo
from app.i18n import _
from app.models import Member
from app.services.calls import get_call
from app.services.cards import export_card, trust_office
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.exchange_errors import BadRemoteError
from app.services.files import read_input, write_output
from app.services.remotes import get_remote, set_remote
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role


class UnknownRosterMemberError(ServiceError):
    def __init__(self, member: str, call_id: str) -> None:
        super().__init__(
            _("No member of the roster of {call_id} has the key {member}.").format(
                call_id=echo(call_id), member=echo(member)
            )
        )


class InvitationForAnotherMemberError(ServiceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _(
                "This invitation is addressed to another commission member ({name}), not to "
                "you: nothing was changed. Ask the secretariat for your own."
            ).format(name=echo(name))
        )


@dataclass(frozen=True)
class InvitationView:
    """What an invitation says, for a person to check before joining."""

    call_id: str
    call_title: str
    exchange_kind: str
    exchange: str
    member_key_id: str | None
    office_name: str
    office_email: str
    office_fingerprint: str
    raw: bytes = field(repr=False)


@dataclass(frozen=True)
class Joined:
    """What joining did: the office pinned, the remote set, the first sync."""

    call_id: str
    office_name: str
    destination: str
    report_lines: tuple[str, ...]
    failures: tuple[str, ...]
    changes: Changes


def _view(invitation: Invitation) -> InvitationView:
    return InvitationView(
        call_id=invitation.call_id,
        call_title=invitation.call_title,
        exchange_kind=invitation.exchange_kind,
        exchange=invitation.exchange,
        member_key_id=invitation.member_key_id,
        office_name=invitation.office.name,
        office_email=invitation.office.email,
        office_fingerprint=invitation.office.fingerprint,
        raw=invitation.raw,
    )


def _member_key(ws: OpenWorkspace, call_id: str, member: str) -> tuple[str, str]:
    """The key id and name of the roster member ``member`` names (a key id, or
    the start of one, or a fingerprint as shown with its spaces)."""
    wanted = "".join(member.split()).lower()
    with ws.session() as session:
        rows = session.scalars(select(Member).where(Member.call_id == call_id)).all()
        found = [
            (m.key_id, m.name) for m in rows if len(wanted) >= 8 and m.key_id.startswith(wanted)
        ]
    if len(found) != 1:
        raise UnknownRosterMemberError(member, call_id)
    return found[0]


def create_invitation(ws: OpenWorkspace, call_id: str, member: str | None = None) -> InvitationView:
    """The signed invitation to ``call_id`` (for the roster member ``member``,
    or for anyone), naming the call's exchange as recorded (secretariat)."""
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        title = get_call(session, call_id).title
    remote = get_remote(ws, call_id)
    member_key = _member_key(ws, call_id, member)[0] if member else None
    invitation = Invitation.build(
        call_id=call_id,
        call_title=title,
        exchange_kind=remote.kind,
        exchange=remote.destination,
        member_key_id=member_key,
        office_card=export_card(ws),
        office=keys,
    )
    return _view(invitation)


def save_invitation(
    ws: OpenWorkspace, call_id: str, path: Path, member: str | None = None
) -> InvitationView:
    """Write the invitation to ``path`` (it holds nothing secret: shared)."""
    view = create_invitation(ws, call_id, member)
    write_output(path, view.raw)
    return view


def read_invitation(data: bytes) -> InvitationView:
    """What an invitation says, verified (format, the office's card, the signature)."""
    return _view(Invitation.parse(data))


def read_invitation_file(path: Path) -> InvitationView:
    """The invitation in ``path``: an oversize file is refused before it is read."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_input says why it cannot be read
    if size > MAX_INVITATION:
        raise InvitationTooLargeError(size)
    return read_invitation(read_input(path))


def _checked_destination(kind: str, destination: str) -> str:
    """The member's exchange, refused before anything is written if it cannot be."""
    from app.bundles.invitation import check_exchange

    if kind == "folder":
        folder = Path(destination).expanduser()
        try:
            if not folder.is_dir():
                raise BadRemoteError(destination)
        except OSError:
            raise BadRemoteError(destination) from None
        return str(folder)
    return check_exchange(kind, destination)


def join_call(ws: OpenWorkspace, data: bytes, destination: str | None = None) -> Joined:
    """Join the call of the invitation ``data`` (member): pin the office's card,
    set the exchange (``destination`` overrides a folder the secretariat sees
    under another path), then synchronise the call."""
    from app.services.exchange import sync

    invitation = Invitation.parse(data)
    with ws.session() as session:
        identity = require_role(session, "member")
        own_key = identity.key_id
    if invitation.member_key_id is not None and invitation.member_key_id != own_key:
        raise InvitationForAnotherMemberError(format_fingerprint(invitation.member_key_id))
    kind = invitation.exchange_kind
    if destination is not None and destination.strip():
        kind = "webdav" if destination.strip().startswith(("http://", "https://")) else "folder"
        chosen = destination.strip()
    else:
        chosen = invitation.exchange
    chosen = _checked_destination(kind, chosen)
    office, trusted = trust_office(ws, invitation.office.raw)
    remote, remote_set = set_remote(ws, invitation.call_id, chosen)
    report = sync(ws, call_id=invitation.call_id)
    return Joined(
        call_id=invitation.call_id,
        office_name=office.name,
        destination=remote.destination,
        report_lines=tuple(report.lines()),
        failures=tuple(reason for _call, reason in report.failures),
        changes=trusted | remote_set | report.changes | Changes(calls=True),
    )
