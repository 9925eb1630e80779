"""Use cases of the workspace itself: create it, unlock it, say whose it is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crypto.keys import KeyPair, PublicKeys, format_fingerprint
from app.i18n import _
from app.models import Identity
from app.models.identity import ROLES
from app.services.changes import Changes
from app.services.errors import RoleError, ServiceError
from app.services.unlocking import OpenWorkspace
from app.services.views import IdentityView
from app.store import audit
from app.store import workspace as store
from app.store.errors import WrongPassphraseError, WrongRecoveryCodeError, WrongSecretError
from app.store.keyslots import KeySlots, normalise_recovery_code


@dataclass(frozen=True)
class NewWorkspace:
    """A created workspace and what to show its owner once.

    ``keyring_error`` is why the key was not put in the system keyring (it is
    unavailable, locked, or not a safe one), to be shown as a note: the
    workspace opens with the passphrase.
    """

    workspace: OpenWorkspace
    identity: IdentityView
    recovery_code: str
    keyring_error: str | None
    changes: Changes


class IdentityInputError(ServiceError):
    pass


def _view(identity: Identity, home: Path) -> IdentityView:
    keys = KeyPair(identity.signing_private_key, identity.sealing_private_key).public
    return IdentityView(
        name=identity.name,
        email=identity.email,
        role=identity.role,
        key_id=identity.key_id,
        fingerprint=format_fingerprint(identity.key_id),
        signing_public_key=keys.signing.hex(),
        sealing_public_key=keys.sealing.hex(),
        workspace=str(home),
    )


def own_identity(session: Session) -> Identity:
    """The workspace owner's identity row."""
    return session.scalars(select(Identity)).one()


def own_public_keys(session: Session) -> PublicKeys:
    """The workspace owner's public keys."""
    identity = own_identity(session)
    return KeyPair(identity.signing_private_key, identity.sealing_private_key).public


def keyring_refusal() -> str | None:
    """Why this machine's keyring will not keep a workspace key (``None``: it
    will, if it is unlocked): the sentence ``NewWorkspace.keyring_error`` would
    carry, for a screen to say before creating."""
    from app.store import keyring_access

    return keyring_access.refusal()


def require_role(session: Session, role: str) -> Identity:
    """The identity, if it has ``role``; otherwise a refusal."""
    identity = own_identity(session)
    if identity.role != role:
        raise RoleError(role)
    return identity


def create_workspace(
    home: Path,
    *,
    role: str,
    name: str,
    email: str = "",
    passphrase: str,
    use_keyring: bool = True,
) -> NewWorkspace:
    """Create the workspace and its identity (two key pairs) in ``home``."""
    if role not in ROLES:
        raise IdentityInputError(
            _("The role must be one of: {roles}.").format(roles=", ".join(ROLES))
        )
    if not name.strip():
        raise IdentityInputError(_("The name must not be empty."))
    keys = KeyPair.generate()
    public = keys.public
    created = store.create(home, passphrase, use_keyring=use_keyring)
    ws = created.workspace
    with ws.session() as session:
        identity = Identity(
            name=name.strip(),
            email=email.strip(),
            role=role,
            key_id=public.key_id,
            signing_private_key=keys.signing_private,
            sealing_private_key=keys.sealing_private,
        )
        session.add(identity)
        audit.append(
            session,
            actor=public.key_id,
            action="workspace.created",
            details={"role": role, "name": identity.name, "slots": ws.slots.types()},
        )
        view = _view(identity, home)
    return NewWorkspace(
        OpenWorkspace(ws),
        view,
        created.recovery_code,
        created.keyring_error,
        Changes(identity=True),
    )


# Written the way the code is shown (five groups of five): certainly a code.
FORMATTED_CODE = re.compile(r"[0-9A-Za-z]{5}(?:-[0-9A-Za-z]{5}){4}")


def unlock_key(home: Path, secret: str | None, *, database: bool = True) -> tuple[KeySlots, bytes]:
    """The key slots of the workspace in ``home`` and the database key, without
    opening the database (whose file need not be there unless ``database``).

    With a ``secret``, a text shaped like a recovery code opens the recovery
    slot and anything else the passphrase slot; without one, the OS keyring.
    """
    slots = store.load_slots(home, database=database)
    if secret is None:
        return slots, store.raw_key_for(slots, store.FromKeyring())
    if normalise_recovery_code(secret) is not None and slots.has("recovery"):
        # Shaped like a recovery code; a passphrase can be too, so fall back.
        try:
            return slots, slots.key_from_recovery_code(secret)
        except WrongRecoveryCodeError:
            if FORMATTED_CODE.fullmatch(secret.strip()) or not slots.has("passphrase"):
                raise
            try:
                return slots, slots.key_from_passphrase(secret)
            except WrongPassphraseError:
                raise WrongSecretError() from None
    return slots, slots.key_from_passphrase(secret)


def unlock(home: Path, secret: str | None) -> OpenWorkspace:
    """Open the workspace in ``home`` with ``secret`` (None: the OS keyring)."""
    slots, raw_key = unlock_key(home, secret)
    return OpenWorkspace(store.open_with_key(home, slots, raw_key))


def identity(ws: OpenWorkspace) -> IdentityView:
    """Whose workspace this is."""
    with ws.session() as session:
        return _view(own_identity(session), ws.home)


def verify_audit(ws: OpenWorkspace) -> audit.AuditReport:
    """Walk the audit chain; raises if any entry was altered."""
    with ws.session() as session:
        return audit.verify(session)
