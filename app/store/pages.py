"""The database file, page by page, without SQLite: its shape, each page's
authentication code, and the header.

SQLCipher 4 with the profile this workspace requires (4096-byte pages, raw
256-bit key, HMAC-SHA512, no plaintext header) lays a file out like this:

- the file is a whole number of 4096-byte pages; the first 16 bytes of page 1
  are the salt, in clear;
- each page ends with an 80-byte reserve: a 16-byte IV, then a 64-byte
  HMAC-SHA512 of the page's ciphertext and IV followed by the page number
  (4 bytes, little-endian);
- the HMAC key is PBKDF2-HMAC-SHA512 of the raw key with the salt XOR 0x3a,
  2 iterations; the page's content is AES-256-CBC under the raw key itself.

Checking one page costs one HMAC over 4 KiB, so opening checks the first and
the last page at every unlock (the full scan is ``PRAGMA
cipher_integrity_check``, in :mod:`app.store.integrity`). A test checks these
functions against SQLCipher's own verdict on every page of real files.

When the key does not read a database, this module also tells a wrong key
from a damaged header: with the right key, page 1 still decrypts to SQLite's
header fields (the HMAC may fail because the salt or the page was altered),
and the other pages still authenticate.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
SALT_BYTES = 16
IV_BYTES = 16
HMAC_BYTES = 64
RESERVE_BYTES = IV_BYTES + HMAC_BYTES
HMAC_SALT_MASK = 0x3A
HMAC_KDF_ITERATIONS = 2
PLAINTEXT_MAGIC = b"SQLite format 3\x00"
# Page 1's header fields right after the magic: page size 4096, file format
# versions (1 rollback, 2 WAL), the reserve, and the payload fractions 64/32/32.
_HEADER_PAGE_SIZE = PAGE_SIZE.to_bytes(2, "big")
_HEADER_FRACTIONS = bytes([64, 32, 32])


@dataclass(frozen=True)
class Shape:
    """The database file's size, in bytes and whole pages."""

    size: int
    pages: int

    @property
    def whole(self) -> bool:
        """At least one page, and nothing but whole pages."""
        return self.size >= PAGE_SIZE and self.size % PAGE_SIZE == 0


def shape(path: Path) -> Shape:
    """The size of the database file (raises ``FileNotFoundError`` if absent)."""
    size = path.stat().st_size
    return Shape(size, size // PAGE_SIZE)


def read_page(path: Path, number: int) -> bytes:
    """Page ``number`` (1-based) as stored; shorter if the file ends inside it."""
    with path.open("rb") as handle:
        handle.seek((number - 1) * PAGE_SIZE)
        return handle.read(PAGE_SIZE)


def hmac_key(raw_key: bytes, salt: bytes) -> bytes:
    """The key of the pages' authentication codes."""
    masked = bytes(b ^ HMAC_SALT_MASK for b in salt)
    return hashlib.pbkdf2_hmac("sha512", raw_key, masked, HMAC_KDF_ITERATIONS, len(raw_key))


def page_authentic(page: bytes, number: int, key: bytes) -> bool:
    """Whether ``page`` (page ``number``, as stored) carries its own HMAC under ``key``."""
    if len(page) != PAGE_SIZE:
        return False
    start = SALT_BYTES if number == 1 else 0
    body = page[start : PAGE_SIZE - HMAC_BYTES]
    expected = hmac.new(key, body + number.to_bytes(4, "little"), "sha512").digest()
    return hmac.compare_digest(expected, page[PAGE_SIZE - HMAC_BYTES :])


@dataclass(frozen=True)
class Header:
    """What page 1 says about the file, once decrypted."""

    pages: int | None  # the database size in pages, when the header vouches for it


def header(page1: bytes, raw_key: bytes) -> Header | None:
    """Page 1's SQLite header, decrypted with ``raw_key``; None if it does not
    decrypt to one (a wrong key, or the header's own bytes altered)."""
    if len(page1) != PAGE_SIZE:
        return None
    iv = page1[PAGE_SIZE - RESERVE_BYTES : PAGE_SIZE - HMAC_BYTES]
    # The first 96 bytes after the salt hold every header field (SQLite's 100-byte header).
    decryptor = Cipher(algorithms.AES(raw_key), modes.CBC(iv)).decryptor()
    fields = PLAINTEXT_MAGIC + decryptor.update(page1[SALT_BYTES : SALT_BYTES + 96])
    if (
        fields[16:18] != _HEADER_PAGE_SIZE
        or fields[18] not in (1, 2)
        or fields[19] not in (1, 2)
        or fields[20] != RESERVE_BYTES
        or fields[21:24] != _HEADER_FRACTIONS
    ):
        return None
    change_counter = fields[24:28]
    size = int.from_bytes(fields[28:32], "big")
    valid_for = fields[92:96]
    # SQLite trusts the in-header size only when it was written with the counter.
    return Header(size if size and change_counter == valid_for else None)


def wal_in_use(path: Path) -> bool:
    """Whether the database has a write-ahead log with frames (open elsewhere,
    or left by a crash): then the file alone need not match its header."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False
