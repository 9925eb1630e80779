"""The operating system's keyring (Secret Service, Keychain, Credential Manager).

``keyring`` is imported only when a keyring slot is used: its backend discovery
costs start-up time. Every failure becomes a typed error with its own sentence.
"""

from __future__ import annotations

from typing import Any

from app.i18n import _
from app.store.errors import KeyringEntryMissingError, KeyringLockedError, KeyringUnavailableError

SERVICE = "Vaglio"


def _keyring() -> Any:
    import keyring

    return keyring


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
    backend = _keyring().get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def store_secret(username: str, secret: str) -> None:
    """Keep ``secret`` in the keyring under ``username``."""
    store_secret_for(SERVICE, username, secret)


def store_secret_for(service: str, username: str, secret: str) -> None:
    """Keep ``secret`` in the keyring under ``service`` and ``username``."""
    keyring = _keyring()
    try:
        keyring.set_password(service, username, secret)
    except Exception as exc:
        raise _translate(exc) from exc


def load_secret(username: str) -> str:
    """The secret kept under ``username``; raises if absent or unreachable."""
    return load_secret_for(SERVICE, username)


def load_secret_for(service: str, username: str) -> str:
    """The secret kept under ``service`` and ``username``."""
    keyring = _keyring()
    try:
        secret = keyring.get_password(service, username)
    except Exception as exc:
        raise _translate(exc) from exc
    if secret is None:
        raise KeyringEntryMissingError()
    return str(secret)


def delete_secret(username: str) -> None:
    """Forget the secret kept under ``username`` (absent is fine)."""
    import keyring.errors

    try:
        _keyring().delete_password(SERVICE, username)
    except keyring.errors.PasswordDeleteError:
        return
    except Exception as exc:
        raise _translate(exc) from exc
