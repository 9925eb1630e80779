"""The close notice: how the city office tells the members that a call is closed.

The secretariat's approval of the ranking signs a notice (call, moment of
approval, SHA-256 of the frozen ranking) into the outbox; the next sync
uploads it to ``<call-id>/closed.vaglio``. A member's sync (or ``vaglio
bundles import``) takes it in: verified with the pinned office key that
published the call, it closes the call in the member's workspace (status
``closed``, ``evaluation_closed_at`` = the approval) and is audited. From then
on the member may remove the call's material (:mod:`app.services.purge`), and
the member's sync no longer fetches the call package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.close_notice import CALL_CLOSED, MAX_CLOSE_NOTICE, CloseNotice, notice_path
from app.bundles.envelopes import SCORE_BUNDLE
from app.bundles.errors import UnknownCallError, WrongKindError
from app.crypto import dsse
from app.crypto.keys import KeyPair
from app.errors import echo
from app.i18n import _, format_datetime
from app.models import Call, Identity, TrustedOffice
from app.services import outbox
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.intake import IntakeResult
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit

__all__ = [
    "CLOSED_STATUSES",
    "ClosedCall",
    "accept_close_notice",
    "is_closed",
    "issue",
    "notice_path",
]

# A call the office has closed: "purged" once the member removed its material.
CLOSED_STATUSES = ("closed", "purged")


class UntrustedCloseNoticeError(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This notice that a call is closed is not signed by the city office that "
                "published the call: it was refused."
            )
        )


class CloseNoticeConflictError(ServiceError):
    def __init__(self, call_id: str, closed_at: dt.datetime) -> None:
        super().__init__(
            _(
                "Call {call_id} was already closed by the city office's notice of {moment}; "
                "this different notice was refused."
            ).format(call_id=echo(call_id), moment=format_datetime(closed_at))
        )


class CloseNoticeTooEarlyError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "This notice dates the approval of call {call_id} before the call was "
                "published: it was refused."
            ).format(call_id=echo(call_id))
        )


@dataclass(frozen=True)
class ClosedCall(IntakeResult):
    """A close notice taken in (``outcome`` ``accepted``) or already known."""

    approved_at: dt.datetime | None = None
    ranking_sha256: str = ""

    def describe(self) -> str:
        if self.outcome == "duplicate":
            return _("Call {call_id} was already closed: nothing changed.").format(
                call_id=self.call_id
            )
        assert self.approved_at is not None
        return _(
            "The city office closed call {call_id}: ranking approved on {moment} "
            "(SHA-256 {digest})."
        ).format(
            call_id=self.call_id,
            moment=format_datetime(self.approved_at),
            digest=self.ranking_sha256,
        )

    def notes(self) -> list[str]:
        if self.outcome != "accepted":
            return []
        return [
            _(
                "Its material can now be removed from this computer: 'vaglio call purge "
                "{call_id}', or Exchange, Remove the call's material."
            ).format(call_id=self.call_id)
        ]


def issue(
    session: Session,
    ws: OpenWorkspace,
    identity: Identity,
    call_id: str,
    *,
    approved_at: dt.datetime,
    ranking_sha256: str,
) -> CloseNotice:
    """Sign the notice of an approval into the outbox (secretariat), in the
    approval's transaction: the next sync uploads it."""
    notice = CloseNotice.build(
        call_id=call_id,
        approved_at=approved_at,
        ranking_sha256=ranking_sha256,
        office=KeyPair(identity.signing_private_key, identity.sealing_private_key),
    )
    outbox.add(
        session, ws, call_id=call_id, kind="closed", path=notice_path(call_id), data=notice.raw
    )
    return notice


def is_closed(ws: OpenWorkspace, call_id: str) -> bool:
    """Whether the city office has closed ``call_id`` (False for a call not installed)."""
    with ws.session() as session:
        call = session.get(Call, call_id)
        return call is not None and call.status in CLOSED_STATUSES


def accept_close_notice(ws: OpenWorkspace, data: bytes) -> ClosedCall:
    """Take in the office's notice that a call is closed (member)."""
    with ws.session() as session:
        identity = own_identity(session)
        if identity.role != "member":
            raise WrongKindError(SCORE_BUNDLE, CALL_CLOSED)
        hint = dsse.parse(data, max_size=MAX_CLOSE_NOTICE).keyid
        office = session.scalars(select(TrustedOffice).where(TrustedOffice.key_id == hint)).first()
        if office is None:
            raise UntrustedCloseNoticeError()
        notice = CloseNotice.parse(data, office_signing_key=office.signing_public_key)
        call = session.get(Call, notice.call_id)
        if call is None:
            raise UnknownCallError(notice.call_id)
        if call.office_key_id != office.key_id:
            raise UntrustedCloseNoticeError()
        if call.status in CLOSED_STATUSES and call.evaluation_closed_at is not None:
            if call.evaluation_closed_at != notice.approved_at:
                raise CloseNoticeConflictError(call.id, call.evaluation_closed_at)
            return ClosedCall("call-closed", "duplicate", call.id, 0)
        if call.published_at is not None and notice.approved_at < call.published_at:
            raise CloseNoticeTooEarlyError(call.id)
        call.status = "closed"
        call.evaluation_closed_at = notice.approved_at
        audit.append(
            session,
            actor=identity.key_id,
            action="call.closed",
            call_id=call.id,
            details={
                "approved_at": notice.approved_at.isoformat(),
                "ranking_sha256": notice.ranking_sha256,
                "notice_sha256": notice.payload_hash,
                "office": office.key_id,
            },
        )
        return ClosedCall(
            "call-closed",
            "accepted",
            call.id,
            0,
            changes=Changes(calls=True),
            approved_at=notice.approved_at,
            ranking_sha256=notice.ranking_sha256,
        )
