"""Who owns the workspace, and who sits on a call's commission."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utc_now
from app.models.vocabulary import COMMISSION_ROLES, ROLES

__all__ = ["COMMISSION_ROLES", "ROLES", "Identity", "Member", "Substitution"]


class Identity(Base):
    """The workspace owner: a name, a role and two private keys.

    The Ed25519 key signs artefacts; the X25519 key opens what is sealed to
    this person. Both live only inside the encrypted database. There is exactly
    one row.
    """

    __tablename__ = "identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    signing_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealing_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class Member(Base):
    """A commission member on a call's roster, known by public keys only."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("call_id", "key_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    commission_role: Mapped[str] = mapped_column(String(16), default="member")
    signing_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealing_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class Substitution(Base):
    """A substitute (*supplente*) evaluates a proposal in place of a member."""

    __tablename__ = "substitutions"
    __table_args__ = (UniqueConstraint("proposal_id", "replaces_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    substitute_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    replaces_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
