"""The workspace owner's preferences kept inside the encrypted workspace."""

from __future__ import annotations

from typing import Any

from app.i18n import _
from app.models import Setting
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit

# Minutes without input before the application locks itself; 0 never.
IDLE_LOCK_MINUTES = "idle_lock_minutes"
DEFAULTS: dict[str, Any] = {IDLE_LOCK_MINUTES: 10}
LIMITS = {IDLE_LOCK_MINUTES: (0, 240)}


class SettingValueError(ServiceError):
    def __init__(self, key: str, low: int, high: int) -> None:
        super().__init__(
            _("{key} must be a whole number between {low} and {high}.").format(
                key=key, low=low, high=high
            )
        )


def get_setting(ws: OpenWorkspace, key: str) -> Any:
    """The stored value of ``key``, or its default."""
    with ws.session() as session:
        row = session.get(Setting, key)
        return DEFAULTS.get(key) if row is None else row.value


def set_setting(ws: OpenWorkspace, key: str, value: Any) -> Changes:
    """Store ``value`` for ``key`` (checked against the key's limits)."""
    if key in LIMITS:
        low, high = LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingValueError(key, low, high)
    with ws.session() as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit.append(
            session,
            actor=own_identity(session).key_id,
            action="settings.changed",
            details={"key": key, "value": value},
        )
    return Changes(settings=True)
