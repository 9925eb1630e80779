"""A workspace that unlocks from the OS keyring, as on a member's laptop.

The tests' keyring is a plain file (keyrings.alt's PlaintextKeyring), which
Vaglio refuses unless ``VAGLIO_ALLOW_INSECURE_KEYRING=1``: the fixture sets
it for the test only, as ``make bench`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def keyring_holding(
    home: Path, raw_key: bytes, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Give ``home`` a keyring slot whose entry (in a file keyring under
    ``folder``) holds ``raw_key``, for the length of the block."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from app.store import keyring_access
    from app.store.keyslots import KeySlots

    monkeypatch.setenv(keyring_access.ALLOW_INSECURE_ENV, "1")
    backend = PlaintextKeyring()
    backend.file_path = str(folder / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        slots = KeySlots.load(home / "keyslots.json")
        slots.set_keyring(raw_key)
        slots.save(home / "keyslots.json")
        yield
    finally:
        keyring.set_keyring(previous)
