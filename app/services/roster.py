"""The commission roster of a call: who may score, known by public keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.crypto.keys import PublicKeys, format_fingerprint
from app.errors import echo
from app.i18n import _
from app.models import Member
from app.models.identity import COMMISSION_ROLES
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit


@dataclass(frozen=True)
class MemberView:
    key_id: str
    fingerprint: str
    name: str
    email: str
    commission_role: str


class AlreadyEnrolledError(ServiceError):
    def __init__(self, name: str, call_id: str) -> None:
        super().__init__(
            _("{name} is already on the roster of {call_id}.").format(
                name=echo(name), call_id=echo(call_id)
            )
        )


class BadCommissionRoleError(ServiceError):
    def __init__(self, role: str) -> None:
        super().__init__(
            _("Unknown commission role {role}: use {roles}.").format(
                role=echo(role), roles=", ".join(COMMISSION_ROLES)
            )
        )


def enroll_member(
    ws: OpenWorkspace,
    call_id: str,
    *,
    name: str,
    email: str,
    public_keys: PublicKeys,
    commission_role: str = "member",
) -> Changes:
    """Put a member on the roster of ``call_id`` (secretariat)."""
    if commission_role not in COMMISSION_ROLES:
        raise BadCommissionRoleError(commission_role)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        key_id = public_keys.key_id
        existing = session.scalars(
            select(Member).where(Member.call_id == call_id, Member.key_id == key_id)
        ).first()
        if existing is not None:
            raise AlreadyEnrolledError(existing.name, call_id)
        session.add(
            Member(
                call_id=call_id,
                key_id=key_id,
                name=name,
                email=email,
                commission_role=commission_role,
                signing_public_key=public_keys.signing,
                sealing_public_key=public_keys.sealing,
            )
        )
        audit.append(
            session,
            actor=identity.key_id,
            action="roster.enrolled",
            call_id=call_id,
            subject=key_id,
            details={"name": name, "commission_role": commission_role},
        )
    return Changes(roster=True)


def roster(ws: OpenWorkspace, call_id: str) -> list[MemberView]:
    """The members of a call, in enrolment order."""
    with ws.session() as session:
        get_call(session, call_id)
        members = session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        )
        return [
            MemberView(m.key_id, format_fingerprint(m.key_id), m.name, m.email, m.commission_role)
            for m in members
        ]
