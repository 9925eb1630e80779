"""Enrollment cards: exporting one's own, trusting the office's, enrolling members."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.card import EnrollmentCard
from app.crypto.keys import KeyPair, format_fingerprint
from app.models import Member, TrustedOffice
from app.models.vocabulary import COMMISSION_ROLES
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college_errors import SameNameError
from app.services.exchange_errors import NotAMemberCardError, NotASecretariatCardError
from app.services.files import write_output
from app.services.roster import AlreadyEnrolledError, BadCommissionRoleError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity, require_role
from app.store import audit


@dataclass(frozen=True)
class CardView:
    name: str
    email: str
    role: str
    key_id: str
    fingerprint: str


def _view(card: EnrollmentCard) -> CardView:
    return CardView(card.name, card.email, card.role, card.key_id, card.fingerprint)


def export_card(ws: OpenWorkspace) -> bytes:
    """This identity's signed enrollment card."""
    with ws.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        card = EnrollmentCard.build(
            name=identity.name, email=identity.email, role=identity.role, keys=keys
        )
        return card.raw


def save_card(ws: OpenWorkspace, path: Path) -> CardView:
    """Write the signed card to ``path`` (it holds public keys only: shared)."""
    data = export_card(ws)
    write_output(path, data)
    return read_card(data)


def read_card(data: bytes) -> CardView:
    """Who a card says it is (verified: format, keys, self-signature)."""
    return _view(EnrollmentCard.parse(data))


def trust_office(ws: OpenWorkspace, data: bytes) -> tuple[CardView, Changes]:
    """Pin the secretariat's identity (member side)."""
    card = EnrollmentCard.parse(data)
    if card.role != "secretariat":
        raise NotASecretariatCardError(card.role)
    with ws.session() as session:
        identity = require_role(session, "member")
        existing = session.scalars(
            select(TrustedOffice).where(TrustedOffice.key_id == card.key_id)
        ).first()
        if existing is None:
            session.add(
                TrustedOffice(
                    key_id=card.key_id,
                    name=card.name,
                    email=card.email,
                    signing_public_key=card.keys.signing,
                    sealing_public_key=card.keys.sealing,
                )
            )
            audit.append(
                session,
                actor=identity.key_id,
                action="office.trusted",
                subject=card.key_id,
                details={"name": card.name},
            )
    return _view(card), Changes(identity=True)


def enroll_from_card(
    ws: OpenWorkspace,
    call_id: str,
    data: bytes,
    commission_role: str = "member",
    *,
    allow_same_name: bool = False,
) -> tuple[CardView, Changes]:
    """Put the card's owner on the roster of ``call_id`` (secretariat)."""
    views, changes = enroll_cards(
        ws, call_id, [(data, commission_role)], allow_same_name=allow_same_name
    )
    return views[0], changes


def _same_name(name: str) -> str:
    return " ".join(name.casefold().split())


def enroll_cards(
    ws: OpenWorkspace,
    call_id: str,
    cards: list[tuple[bytes, str]],
    *,
    allow_same_name: bool = False,
) -> tuple[list[CardView], Changes]:
    """Enrol several members from their cards: all of them, or none.

    A name already on the roster (or twice among the cards) is refused with
    both fingerprints unless ``allow_same_name``: two people may share a name,
    but one person with two keys must not sit twice."""
    parsed = []
    for data, commission_role in cards:
        card = EnrollmentCard.parse(data)
        if card.role != "member":
            raise NotAMemberCardError()
        if commission_role not in COMMISSION_ROLES:
            raise BadCommissionRoleError(commission_role)
        parsed.append((card, commission_role))
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        names = {
            _same_name(m.name): format_fingerprint(m.key_id)
            for m in session.scalars(select(Member).where(Member.call_id == call_id))
        }
        for card, commission_role in parsed:
            known = names.get(_same_name(card.name))
            fingerprint = format_fingerprint(card.key_id)
            if known is not None and known != fingerprint and not allow_same_name:
                raise SameNameError(card.name, known, fingerprint)
            names.setdefault(_same_name(card.name), fingerprint)
            _enroll(session, identity.key_id, call_id, card, commission_role)
    return [_view(card) for card, _role in parsed], Changes(roster=True)


def _enroll(
    session: Session, actor: str, call_id: str, card: EnrollmentCard, commission_role: str
) -> None:
    existing = session.scalars(
        select(Member).where(Member.call_id == call_id, Member.key_id == card.key_id)
    ).first()
    if existing is not None:
        raise AlreadyEnrolledError(existing.name, call_id)
    session.add(
        Member(
            call_id=call_id,
            key_id=card.key_id,
            name=card.name,
            email=card.email,
            commission_role=commission_role,
            signing_public_key=card.keys.signing,
            sealing_public_key=card.keys.sealing,
        )
    )
    audit.append(
        session,
        actor=actor,
        action="roster.enrolled",
        call_id=call_id,
        subject=card.key_id,
        details={"name": card.name, "commission_role": commission_role, "from": "card"},
    )
