"""The door: how a workspace is opened, and the handle the use cases take.

The unlock policy lives here once, for the command line and the GUI alike:
a secret already given (``--passphrase-file``, ``VAGLIO_PASSPHRASE``, the
unlock dialog) opens its slot; otherwise the OS keyring's slot is tried (a
keyring that is not a safe one counts as none, see ``keyring_access``);
otherwise the :class:`SecretSource` is asked (a terminal prompt), and if it
cannot ask, the refusal says why (the keyring's error, or that a secret is
needed). The handle, :class:`OpenWorkspace`, is what every use case takes:
the screens and the command line never hold the store's own object.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from app.i18n import _
from app.services.errors import ServiceError
from app.store.errors import KeyringInsecureError, NoSecretError, StoreError

__all__ = [
    "GivenSecret",
    "LockedError",
    "NoSecretError",
    "OpenWorkspace",
    "SecretSource",
    "StoreError",
    "open_workspace",
]

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.schema import MigrationResult
    from app.store.workspace import Workspace


class LockedError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("The workspace is locked."))


class OpenWorkspace:
    """An unlocked workspace, as the services hand it out.

    Use it as a context manager, or :meth:`close` it: closing drops every
    connection, and the workspace is locked again.
    """

    def __init__(self, store: Workspace) -> None:
        self._store: Workspace | None = store

    @property
    def store(self) -> Workspace:
        """The store's workspace (for the services' own use)."""
        if self._store is None:
            raise LockedError()
        return self._store

    @property
    def home(self) -> Path:
        """The workspace folder."""
        return self.store.paths.home

    @property
    def migration(self) -> MigrationResult | None:
        """What opening did to the schema, if anything."""
        return self.store.migration

    @property
    def closed(self) -> bool:
        return self._store is None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error."""
        with self.store.session() as session:
            yield session

    def close(self) -> None:
        """Close every connection: the workspace is locked again."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> OpenWorkspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class SecretSource(Protocol):
    """Where the secret that unlocks a workspace comes from."""

    def given(self) -> str | None:
        """A secret supplied before opening (options, environment, a dialog), or None."""

    def ask(self) -> str | None:
        """Ask for the secret now (a terminal prompt), or None if that cannot be done."""


@dataclass(frozen=True)
class GivenSecret:
    """A secret in hand (``None``: try the keyring, never ask)."""

    secret: str | None = None

    def given(self) -> str | None:
        return self.secret

    def ask(self) -> str | None:
        return None


def open_workspace(home: Path, source: SecretSource) -> OpenWorkspace:
    """Unlock the workspace in ``home``: the given secret, else the keyring,
    else what ``source`` is asked for; a missing workspace is refused first."""
    from app.services.workspace import unlock
    from app.store.workspace import load_slots

    secret = source.given()
    if secret is not None:
        return unlock(home, secret)
    slots = load_slots(home)
    keyring_error: StoreError | None = None
    if slots.has("keyring"):
        try:
            return unlock(home, None)
        except KeyringInsecureError:
            keyring_error = None  # a keyring off the allow-list is no keyring
        except StoreError as exc:
            keyring_error = exc
    secret = source.ask()
    if secret is not None:
        return unlock(home, secret)
    raise keyring_error or NoSecretError()
