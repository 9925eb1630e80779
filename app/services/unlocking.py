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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar

from app.i18n import _
from app.services.errors import ServiceError
from app.store.errors import (
    KeyringInsecureError,
    NoSecretError,
    StoreError,
    WorkspaceDamagedError,
)

__all__ = [
    "GivenSecret",
    "LockedError",
    "NoSecretError",
    "OpenWorkspace",
    "SecretSource",
    "StoreError",
    "WorkspaceDamagedError",
    "open_workspace",
    "unlock_key",
]

T = TypeVar("T")

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.keyslots import KeySlots
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

    return _by_policy(home, source, unlock)


def unlock_key(home: Path, source: SecretSource) -> tuple[KeySlots, bytes]:
    """The key slots and the database key by the same policy, without opening
    the database, which need not even be there (for checking a workspace that
    may not open)."""
    from app.services.workspace import unlock_key as from_slots

    return _by_policy(
        home, source, lambda folder, secret: from_slots(folder, secret, database=False), False
    )


def _by_policy(
    home: Path,
    source: SecretSource,
    attempt: Callable[[Path, str | None], T],
    database: bool = True,
) -> T:
    from app.store.workspace import load_slots

    secret = source.given()
    if secret is not None:
        return attempt(home, secret)
    slots = load_slots(home, database=database)
    keyring_error: StoreError | None = None
    note = ""
    if slots.has("keyring"):
        try:
            return attempt(home, None)
        except KeyringInsecureError as exc:
            note = str(exc)  # a keyring off the allow-list is no keyring: say why
        except WorkspaceDamagedError:
            raise  # the keyring worked: asking for a passphrase would not help
        except StoreError as exc:
            keyring_error = exc
    secret = source.ask()
    if secret is not None:
        return attempt(home, secret)
    raise keyring_error or NoSecretError(note)
