"""Where a call's artefacts are exchanged, and how to reach it.

A remote is a folder (network drive, USB stick, synced folder) or a WebDAV
URL. WebDAV credentials: the user name travels in the URL
(``https://name@host/path``); the password comes from
``VAGLIO_WEBDAV_PASSWORD`` when the remote is set and is then kept in the OS
keyring, never in the workspace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from app.models import Remote
from app.services.changes import Changes
from app.services.exchange_errors import BadRemoteError, NoRemoteError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit
from app.sync.transport import FolderTransport, Transport

KEYRING_SERVICE = "Vaglio WebDAV"
PASSWORD_ENV = "VAGLIO_WEBDAV_PASSWORD"  # noqa: S105 - the variable's name


@dataclass(frozen=True)
class RemoteView:
    call_id: str
    destination: str
    kind: str
    password_stored: bool = False


def _credential_name(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.username}@{parts.hostname}:{parts.port or ''}{parts.path}"


def set_remote(ws: OpenWorkspace, call_id: str, destination: str) -> tuple[RemoteView, Changes]:
    """Record where ``call_id`` is exchanged (a call not yet installed is fine)."""
    stored = False
    if destination.startswith(("http://", "https://")):
        parts = urlsplit(destination)
        if not parts.hostname or parts.password:
            raise BadRemoteError(destination)
        kind = "webdav"
        password = os.environ.get(PASSWORD_ENV)
        if parts.username and password:
            from app.store import keyring_access

            try:
                keyring_access.store_secret_for(
                    KEYRING_SERVICE, _credential_name(destination), password
                )
                stored = True
            except Exception:  # no keyring: the environment will be read at each sync
                stored = False
    else:
        folder = Path(destination).expanduser()
        try:
            if not folder.is_dir():
                raise BadRemoteError(destination)
            destination = str(folder.resolve())
        except OSError:  # a name too long, a loop of links…
            raise BadRemoteError(destination) from None
        kind = "folder"
    with ws.session() as session:
        identity = own_identity(session)
        row = session.get(Remote, call_id)
        if row is None:
            session.add(Remote(call_id=call_id, destination=destination, kind=kind))
        else:
            row.destination, row.kind = destination, kind
        audit.append(
            session,
            actor=identity.key_id,
            action="remote.set",
            call_id=call_id,
            details={"destination": destination, "kind": kind},
        )
    return RemoteView(call_id, destination, kind, stored), Changes(calls=True)


def remotes(ws: OpenWorkspace) -> list[RemoteView]:
    """Every remote of the workspace."""
    from sqlalchemy import select

    with ws.session() as session:
        return [
            RemoteView(r.call_id, r.destination, r.kind)
            for r in session.scalars(select(Remote).order_by(Remote.call_id))
        ]


def get_remote(ws: OpenWorkspace, call_id: str) -> RemoteView:
    with ws.session() as session:
        row = session.get(Remote, call_id)
        if row is None:
            raise NoRemoteError(call_id)
        return RemoteView(row.call_id, row.destination, row.kind)


def transport_for(remote: RemoteView) -> Transport:
    """A transport reaching ``remote``."""
    if remote.kind == "folder":
        return FolderTransport(Path(remote.destination))
    from app.sync.webdav import WebDavTransport

    parts = urlsplit(remote.destination)
    password = os.environ.get(PASSWORD_ENV)
    if parts.username and password is None:
        from app.store import keyring_access

        try:
            password = keyring_access.load_secret_for(
                KEYRING_SERVICE, _credential_name(remote.destination)
            )
        except Exception:
            password = None
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return WebDavTransport(clean, username=parts.username, password=password)
