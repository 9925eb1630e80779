"""The operating system's keyring (Secret Service, Keychain, Credential Manager).

``keyring`` is imported only when a keyring slot is used: its backend discovery
costs start-up time. Every failure becomes a typed error with its own sentence.

Only the operating system's own keyrings are used (:data:`ALLOWED`), judged by
the backend class's module and name: ``keyring`` otherwise takes whatever is
installed, and keyrings.alt (a common Debian package) keeps secrets in a plain
file, or in a file encrypted with a password typed at each use. Any other
backend is refused (:class:`KeyringInsecureError`); ``fail`` and ``null`` mean
that there is no keyring. The chainer is judged by what it chains, and the
first allowed backend in its chain is used directly, so a read never falls
through to a refused one.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from app.i18n import _
from app.store.errors import (
    KeyringEntryMissingError,
    KeyringInsecureError,
    KeyringLockedError,
    KeyringUnavailableError,
)

SERVICE = "Vaglio"

ALLOWED = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)
NO_KEYRING = frozenset({"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"})
CHAINER = "keyring.backends.chainer.ChainerBackend"
# For the start-up bench only (tests/bench/workspace_bench.py), which needs the
# keyring path on a machine without a desktop session: "1" lets a refused
# backend (a plain file) be used. Never set it on a machine that holds real data.
ALLOW_INSECURE_ENV = "VAGLIO_ALLOW_INSECURE_KEYRING"

Verdict = Literal["allowed", "none", "refused"]


def qualified_name(backend: object) -> str:
    """``module.Class`` of a backend instance."""
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def verdict(name: str) -> Verdict:
    """Whether the backend class ``name`` (``module.Class``) may hold secrets."""
    if name in ALLOWED:
        return "allowed"
    if name in NO_KEYRING:
        return "none"
    return "refused"


def usable_backend(backend: object) -> Any:
    """The backend to keep secrets in, given the one ``keyring`` chose.

    Raises :class:`KeyringInsecureError` for a backend off the allow-list and
    :class:`KeyringUnavailableError` when there is no keyring at all.
    """
    name = qualified_name(backend)
    chain = list(getattr(backend, "backends", ())) if name == CHAINER else [backend]
    refused: list[object] = []
    for candidate in chain:
        found = verdict(qualified_name(candidate))
        if found == "allowed":
            return candidate
        if found == "refused":
            refused.append(candidate)
    if refused:
        if os.environ.get(ALLOW_INSECURE_ENV) == "1":
            return refused[0]
        raise KeyringInsecureError(qualified_name(refused[0]))
    raise KeyringUnavailableError(_("no keyring service on this system"))


def _keyring() -> Any:
    import keyring

    return keyring


def _backend() -> Any:
    """The allowed backend of this machine (see :func:`usable_backend`)."""
    try:
        chosen = _keyring().get_keyring()
    except Exception as exc:
        raise _translate(exc) from exc
    return usable_backend(chosen)


def refusal() -> str | None:
    """Why this machine's keyring will not hold the workspace key, or ``None``
    if it can (it may still be locked or fail when used)."""
    try:
        _backend()
    except (KeyringInsecureError, KeyringUnavailableError) as exc:
        return str(exc)
    return None


def _translate(exc: Exception) -> Exception:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringLockedError()
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyringUnavailableError(_("no keyring service on this system"))
    text = str(exc)
    if "locked" in text.lower() or "dismissed" in text.lower():
        return KeyringLockedError()
    return KeyringUnavailableError(text or type(exc).__name__)


def keyring_backend_name() -> str:
    """The backend in use, for diagnostics."""
    return qualified_name(_keyring().get_keyring())


def store_secret(username: str, secret: str) -> None:
    """Keep ``secret`` in the keyring under ``username``."""
    store_secret_for(SERVICE, username, secret)


def store_secret_for(service: str, username: str, secret: str) -> None:
    """Keep ``secret`` in the keyring under ``service`` and ``username``."""
    backend = _backend()
    try:
        backend.set_password(service, username, secret)
    except Exception as exc:
        raise _translate(exc) from exc


def load_secret(username: str) -> str:
    """The secret kept under ``username``; raises if absent or unreachable."""
    return load_secret_for(SERVICE, username)


def load_secret_for(service: str, username: str) -> str:
    """The secret kept under ``service`` and ``username``."""
    backend = _backend()
    try:
        secret = backend.get_password(service, username)
    except Exception as exc:
        raise _translate(exc) from exc
    if secret is None:
        raise KeyringEntryMissingError()
    return str(secret)


def delete_secret(username: str) -> None:
    """Forget the secret kept under ``username`` (absent is fine)."""
    import keyring.errors

    backend = _backend()
    try:
        backend.delete_password(SERVICE, username)
    except keyring.errors.PasswordDeleteError:
        return
    except Exception as exc:
        raise _translate(exc) from exc
