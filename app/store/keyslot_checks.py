"""What ``keyslots.json`` may say, checked before anything in it is used.

The file sits beside the database and nothing authenticates it until a slot
opens, so each value is bounded here first: an Argon2id parameter read as it
stands could ask for terabytes of memory or run for days. The ranges are
generous around today's values (64 MiB, 3 passes, 4 lanes) and refuse the
rest with :class:`KeySlotsCorruptError`; a refused file is never rewritten.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any

from app.errors import echo
from app.i18n import _
from app.store.errors import KeySlotsCorruptError, slot_label

FORMAT = "vaglio-keyslots"
VERSION = 1
SLOT_TYPES = ("passphrase", "recovery", "keyring")
MAX_FILE_BYTES = 64 * 1024
WORKSPACE_ID = re.compile(r"[0-9a-f]{32}\Z")
# Argon2id: (low, high) for each parameter. 8 MiB and one pass are the least a
# future default could drop to; 1 GiB, 10 passes and 16 lanes the most.
ARGON2_BOUNDS = {
    "memory_kib": (8 * 1024, 1024 * 1024),
    "iterations": (1, 10),
    "lanes": (1, 16),
}
KDFS = {"passphrase": "argon2id", "recovery": "hkdf-sha256"}
SALT_BYTES = (16, 64)
NONCE_BYTES = (12, 12)
WRAPPED_BYTES = (32 + 16, 32 + 16)  # the raw key and AES-GCM's tag
MAX_SERVICE_CHARS = 64


def load_document(path: Path) -> dict[str, Any]:
    """The checked document in ``path``: every value in range, or a refusal."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise KeySlotsCorruptError(path, exc.strerror or type(exc).__name__) from exc
    if len(data) > MAX_FILE_BYTES:
        raise KeySlotsCorruptError(
            path, _("it is larger than {limit} bytes").format(limit=MAX_FILE_BYTES)
        )
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise KeySlotsCorruptError(path, _("it is not a key slots document")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KeySlotsCorruptError(path, _("it is not a key slots document"))
    check_document(path, document)
    return document


def check_document(path: Path, document: dict[str, Any]) -> None:
    """Refuse ``document`` unless its version, id and list of slots are in
    range (each slot's values are checked before it is used: :func:`check_slot`)."""
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise KeySlotsCorruptError(
            path, _("version {version} is not known").format(version=_shown(version))
        )
    workspace_id = document.get("workspace_id")
    if not isinstance(workspace_id, str) or not WORKSPACE_ID.match(workspace_id):
        raise KeySlotsCorruptError(path, _("the workspace id is not 32 hexadecimal digits"))
    slots = document.get("slots")
    if not isinstance(slots, list):
        raise KeySlotsCorruptError(path, _("it lists no key slots"))
    if len(slots) > len(SLOT_TYPES):
        raise KeySlotsCorruptError(
            path,
            _("it lists {count} key slots, at most {limit} are possible").format(
                count=len(slots), limit=len(SLOT_TYPES)
            ),
        )
    seen: set[str] = set()
    for index, slot in enumerate(slots, start=1):
        if not isinstance(slot, dict) or slot.get("type") not in SLOT_TYPES:
            raise KeySlotsCorruptError(
                path, _("key slot {index} is of no known type").format(index=index)
            )
        if slot["type"] in seen:
            raise KeySlotsCorruptError(
                path, _("it lists two {slot} slots").format(slot=slot_label(slot["type"]))
            )
        seen.add(slot["type"])


def check_slot(path: Path, slot: dict[str, Any]) -> None:
    """Refuse ``slot`` unless every value in it is in range: run before the
    slot is used, so that a damaged slot does not lock out the others."""
    slot_type = slot["type"]
    if slot_type == "keyring":
        service = slot.get("service")
        if not isinstance(service, str) or len(service) > MAX_SERVICE_CHARS:
            raise KeySlotsCorruptError(path, _field_error(slot_type, "service"))
        return
    if slot.get("kdf") != KDFS[slot_type]:
        raise KeySlotsCorruptError(
            path,
            _("the {slot} slot names an unknown key derivation, {kdf}").format(
                slot=slot_label(slot_type), kdf=_shown(slot.get("kdf"))
            ),
        )
    if slot_type == "passphrase":
        for name, (low, high) in ARGON2_BOUNDS.items():
            value = slot.get(name)
            # bool is an int to Python, and JSON's 3.0 is not a count.
            if type(value) is not int or not low <= value <= high:
                raise KeySlotsCorruptError(
                    path,
                    _(
                        "the {slot} slot's {field} is {value}, "
                        "not a whole number from {low} to {high}"
                    ).format(
                        slot=slot_label(slot_type),
                        field=name,
                        value=_shown(value),
                        low=low,
                        high=high,
                    ),
                )
    for name, (low, high) in (
        ("salt", SALT_BYTES),
        ("nonce", NONCE_BYTES),
        ("wrapped_key", WRAPPED_BYTES),
    ):
        if not _base64_of(slot.get(name), low, high):
            raise KeySlotsCorruptError(path, _field_error(slot_type, name))


def _base64_of(value: object, low: int, high: int) -> bool:
    """Whether ``value`` is base64 text of ``low`` to ``high`` bytes."""
    if not isinstance(value, str) or len(value) > 4 * ((high + 2) // 3):
        return False
    try:
        size = len(base64.b64decode(value.encode("ascii"), validate=True))
    except (UnicodeEncodeError, binascii.Error):
        return False
    return low <= size <= high


def _field_error(slot_type: str, name: str) -> str:
    return _("the {slot} slot's {field} is missing or malformed").format(
        slot=slot_label(slot_type), field=name
    )


def _shown(value: object) -> str:
    """A value from the file as a message may repeat it (bounded)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**40:
        return "…"  # str() of a huge int costs more than it tells
    return echo(json.dumps(value, ensure_ascii=False) if value is not None else "—")
