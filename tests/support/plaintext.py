"""Reading a workspace the way someone holding its key could: every page of
every SQLCipher file decrypted (live, free or stale, in the file and in its
write-ahead log) and every other file as it lies on disk, searched for
markers in clear and in base64.

The page layout is the one :mod:`app.store.pages` checks at every open
(4096-byte pages, an 80-byte reserve of IV and HMAC, AES-256-CBC under the
raw key, the salt in clear at the head of page 1); its functions say whether
a page is authentic, this module decrypts it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.store import pages

WAL_HEADER = 32
FRAME_HEADER = 24
SQLITE_DATABASE_MAGIC = b"SQLite format 3\x00"


def decrypt_page(page: bytes, number: int, raw_key: bytes) -> bytes:
    """The clear bytes of one stored page (page 1 gets SQLite's magic back)."""
    assert len(page) == pages.PAGE_SIZE
    start = pages.SALT_BYTES if number == 1 else 0
    end = pages.PAGE_SIZE - pages.RESERVE_BYTES
    iv = page[end : end + pages.IV_BYTES]
    decryptor = Cipher(algorithms.AES(raw_key), modes.CBC(iv)).decryptor()
    body = decryptor.update(page[start:end]) + decryptor.finalize()
    return (SQLITE_DATABASE_MAGIC if number == 1 else b"") + body


def database_pages(path: Path, raw_key: bytes) -> Iterator[tuple[int, bytes]]:
    """Every page of a SQLCipher database file, decrypted; each must be authentic."""
    data = path.read_bytes()
    assert len(data) % pages.PAGE_SIZE == 0, f"{path} is not whole pages"
    salt = data[: pages.SALT_BYTES]
    key = pages.hmac_key(raw_key, salt)
    for index in range(len(data) // pages.PAGE_SIZE):
        number = index + 1
        page = data[index * pages.PAGE_SIZE : number * pages.PAGE_SIZE]
        assert pages.page_authentic(page, number, key), f"{path} page {number} is not authentic"
        yield number, decrypt_page(page, number, raw_key)


def wal_pages(path: Path, raw_key: bytes) -> Iterator[tuple[int, bytes]]:
    """Every frame of a write-ahead log, current or stale, decrypted."""
    data = path.read_bytes() if path.exists() else b""
    offset = WAL_HEADER
    step = FRAME_HEADER + pages.PAGE_SIZE
    while offset + step <= len(data):
        number = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + FRAME_HEADER : offset + step]
        if number:
            yield number, decrypt_page(page, number, raw_key)
        offset += step


def readable_forms(marker: bytes) -> list[bytes]:
    """``marker`` as it would lie in clear: itself, and its base64 in each of
    the three alignments (a signed payload is stored in base64)."""
    forms = [marker]
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + marker)
        # Drop the characters that also depend on the neighbouring bytes.
        forms.append(encoded[(shift * 4 + 2) // 3 : -4])
    return forms


@dataclass(frozen=True)
class Sighting:
    """Where a marker was read: a file, and the page when it was decrypted."""

    marker: bytes
    file: str
    page: int | None
    encoded: bool


def _search(marker: bytes, text: bytes, file: str, page: int | None) -> Iterator[Sighting]:
    for number, form in enumerate(readable_forms(marker)):
        if form in text:
            yield Sighting(marker, file, page, number > 0)


def sightings(home: Path, raw_key: bytes, markers: Iterable[bytes]) -> list[Sighting]:
    """Every place in the workspace folder where a marker can be read with the key.

    SQLCipher files (the database, its log, any backup) are decrypted page by
    page; every other file is read as it is.
    """
    wanted = list(markers)
    found: list[Sighting] = []
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        name = path.relative_to(home).as_posix()
        if name.endswith("-wal"):
            decrypted: Iterable[tuple[int, bytes]] = wal_pages(path, raw_key)
        elif name.endswith(".db") and path.stat().st_size:
            decrypted = database_pages(path, raw_key)
        else:
            raw = path.read_bytes()
            found += [s for m in wanted for s in _search(m, raw, name, None)]
            continue
        for number, clear in decrypted:
            found += [s for m in wanted for s in _search(m, clear, name, number)]
    return found
