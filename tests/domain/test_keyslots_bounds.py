"""Every key-derivation parameter in keyslots.json is bounded before use.

The file sits beside the database, unauthenticated until a slot opens: a value
such as 2 TiB of Argon2 memory used to end in a MemoryError traceback, and
16 GiB × 1,000 passes in a process that never ends. Each out-of-range value is
refused with the store's own sentence, before any derivation, and the refused
file is left as it was.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import unlock
from app.store import errors
from app.store.keyslots import KeySlots
from tests.support.cli import run_vaglio
from tests.support.workspaces import PASSPHRASE, Template, copy_template, snapshot_tree

GIB_KIB = 1024 * 1024
TAMPERED = "danneggiato o è stato manomesso"

Document = dict[str, Any]


def _slot(document: Document, slot_type: str) -> Document:
    return next(slot for slot in document["slots"] if slot["type"] == slot_type)


def _set(slot_type: str, field: str, value: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        _slot(document, slot_type)[field] = value

    return change


def _b64(size: int) -> str:
    return base64.b64encode(b"\x01" * size).decode()


def _both(**values: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        _slot(document, "passphrase").update(values)

    return change


def _extra_slots(count: int) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["slots"] += [{"type": "keyring", "service": "Vaglio"}] * count

    return change


def _duplicate(document: Document) -> None:
    document["slots"].append(dict(_slot(document, "passphrase")))


def _workspace_id(value: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["workspace_id"] = value

    return change


# name: (the change, what the refusal must name)
MUTATIONS: dict[str, tuple[Callable[[Document], None], str]] = {
    "memory 2 TiB": (_set("passphrase", "memory_kib", 2 * 1024 * GIB_KIB), "memory_kib"),
    "memory 16 GiB, 1000 passes": (
        _both(memory_kib=16 * GIB_KIB, iterations=1000),
        "memory_kib vale 16777216",
    ),
    "memory just above 1 GiB": (_set("passphrase", "memory_kib", GIB_KIB + 1), "memory_kib"),
    "memory below 8 MiB": (_set("passphrase", "memory_kib", 8 * 1024 - 1), "memory_kib"),
    "memory as text": (_set("passphrase", "memory_kib", "65536"), "memory_kib"),
    "memory as true": (_set("passphrase", "memory_kib", True), "memory_kib"),
    "memory as 65536.0": (_set("passphrase", "memory_kib", 65536.0), "memory_kib"),
    "memory missing": (lambda d: _slot(d, "passphrase").pop("memory_kib"), "memory_kib"),
    "memory of 4,000 digits": (_set("passphrase", "memory_kib", 10**3999), "memory_kib"),
    "iterations 11": (_set("passphrase", "iterations", 11), "iterations vale 11"),
    "iterations 0": (_set("passphrase", "iterations", 0), "iterations vale 0"),
    "iterations negative": (_set("passphrase", "iterations", -3), "iterations"),
    "lanes 0": (_set("passphrase", "lanes", 0), "lanes vale 0"),
    "lanes 17": (_set("passphrase", "lanes", 17), "lanes vale 17"),
    "lanes a million": (_set("passphrase", "lanes", 1_000_000), "lanes"),
    "unknown kdf": (_set("passphrase", "kdf", "scrypt"), "derivazione sconosciuta"),
    "kdf of 5,000 characters": (_set("passphrase", "kdf", "x" * 5000), "derivazione"),
    "salt of 10 kB": (_set("passphrase", "salt", _b64(10_000)), "salt"),
    "salt of 1 MB": (_set("passphrase", "salt", _b64(1_000_000)), "supera i 65536 byte"),
    "salt of 4 bytes": (_set("passphrase", "salt", _b64(4)), "salt"),
    "salt not base64": (_set("passphrase", "salt", "not base64!"), "salt"),
    "salt as a number": (_set("passphrase", "salt", 16), "salt"),
    "nonce of 16 bytes": (_set("passphrase", "nonce", _b64(16)), "nonce"),
    "wrapped key of 10 kB": (_set("passphrase", "wrapped_key", _b64(10_000)), "wrapped_key"),
    "wrapped key of 47 bytes": (_set("passphrase", "wrapped_key", _b64(47)), "wrapped_key"),
    "recovery salt of 10 kB": (_set("recovery", "salt", _b64(10_000)), "codice di recupero"),
    "recovery kdf unknown": (_set("recovery", "kdf", "argon2id"), "derivazione"),
    "recovery nonce missing": (lambda d: _slot(d, "recovery").pop("nonce"), "nonce"),
    "four slots": (_extra_slots(2), "elenca 4 chiavi"),
    "a hundred slots": (_extra_slots(98), "elenca 100 chiavi"),
    "ten thousand slots": (_extra_slots(10_000), "supera i 65536 byte"),
    "two passphrase slots": (_duplicate, "elenca due chiavi di sblocco tramite passphrase"),
    "workspace id of 10,000 characters": (_workspace_id("a" * 10_000), "identificativo"),
    "workspace id not ascii": (_workspace_id("é" * 32), "identificativo"),
    "keyring service of 5,000 characters": (
        lambda d: d["slots"].append({"type": "keyring", "service": "V" * 5000}),
        "service",
    ),
}


@pytest.fixture
def home(empty_secretariat_template: Template, tmp_path: Path) -> Path:
    return copy_template(empty_secretariat_template, tmp_path / "ws")


def _rewrite(home: Path, change: Callable[[Document], None]) -> None:
    path = home / "keyslots.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


# A damaged slot the passphrase does not use is refused when it is used, and
# does not lock the passphrase out (``vaglio check`` names it).
OTHER_SLOT = {n for n in MUTATIONS if n.startswith(("recovery", "keyring"))}


@pytest.mark.parametrize("name", sorted(set(MUTATIONS) - OTHER_SLOT))
def test_out_of_range_values_are_refused_before_any_derivation(name: str, home: Path) -> None:
    change, named = MUTATIONS[name]
    _rewrite(home, change)
    before = snapshot_tree(home)
    with pytest.raises(errors.KeySlotsCorruptError, match=TAMPERED) as refused:
        unlock(home, PASSPHRASE)
    assert named in str(refused.value)
    assert len(str(refused.value)) < 300 + len(str(home))
    if not name.startswith(("memory", "iterations", "lanes", "unknown kdf", "kdf", "salt",
                            "nonce", "wrapped")):  # fmt: skip
        with pytest.raises(errors.KeySlotsCorruptError, match=TAMPERED):
            KeySlots.load(home / "keyslots.json")
    assert snapshot_tree(home) == before


@pytest.mark.parametrize("name", sorted(OTHER_SLOT))
def test_a_damaged_slot_is_refused_when_used_and_leaves_the_others(name: str, home: Path) -> None:
    change, named = MUTATIONS[name]
    _rewrite(home, change)
    slots = KeySlots.load(home / "keyslots.json")
    kind = "recovery" if name.startswith("recovery") else "keyring"
    with pytest.raises(errors.KeySlotsCorruptError, match=TAMPERED) as refused:
        if kind == "recovery":
            slots.key_from_recovery_code("A" * 32)
        else:
            slots.key_from_keyring()
    assert named in str(refused.value)
    unlock(home, PASSPHRASE).close()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("two megabytes", b'{"format": "vaglio-keyslots", "pad": "' + b"x" * 2_000_000 + b'"}'),
        ("nested a hundred thousand deep", b"[" * 100_000 + b"]" * 100_000),
        ("not json", b"{not json"),
        ("not utf-8", b'{"format": "\xff"}'),
        ("a list", b"[]"),
        ("another version", b'{"format": "vaglio-keyslots", "version": 2}'),
    ],
)
def test_damaged_files_are_refused_with_the_same_sentence(
    name: str, content: bytes, home: Path
) -> None:
    (home / "keyslots.json").write_bytes(content)
    before = snapshot_tree(home)
    with pytest.raises(errors.KeySlotsCorruptError, match=TAMPERED) as refused:
        unlock(home, PASSPHRASE)
    assert len(str(refused.value)) < 300 + len(str(home))
    assert snapshot_tree(home) == before


def test_the_upper_bounds_themselves_are_accepted(home: Path) -> None:
    """Loading only (a derivation at 1 GiB would take a while): the edges pass."""
    _rewrite(home, _both(memory_kib=GIB_KIB, iterations=10, lanes=16))
    slots = KeySlots.load(home / "keyslots.json")
    assert slots.types() == ["passphrase", "recovery"]
    _rewrite(home, _both(memory_kib=8 * 1024, iterations=1, lanes=1))
    KeySlots.load(home / "keyslots.json")


def test_todays_parameters_still_unlock(home: Path) -> None:
    unlock(home, PASSPHRASE).close()


def test_the_command_line_prints_one_error_line_and_rewrites_nothing(home: Path) -> None:
    _rewrite(home, MUTATIONS["memory 2 TiB"][0])
    before = snapshot_tree(home)
    shown = run_vaglio(
        "identity", "show", env={"VAGLIO_HOME": str(home), "VAGLIO_PASSPHRASE": PASSPHRASE}
    )
    assert shown.returncode == 1
    assert shown.stderr.startswith("error: ")
    assert TAMPERED in shown.stderr
    assert "Traceback" not in shown.stderr
    assert len(shown.stderr.strip().splitlines()) == 1
    assert snapshot_tree(home) == before
