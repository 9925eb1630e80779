"""A point of an audit chain as an artefact carries it: the number and hash of
one entry. A score bundle carries its author's, a receipt the office's, so
that a chain cut or rewritten afterwards no longer holds what the other side
keeps (docs/formats.md, section 8.4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The ``prev_hash`` of a chain's first entry, and the hash of the empty chain.
GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditHead:
    """Entry ``seq`` of a chain and its ``hash``; seq 0 is the empty chain."""

    seq: int
    hash: str

    def as_json(self) -> dict[str, Any]:
        """The object written in a payload: ``{"seq", "hash"}``."""
        return {"seq": self.seq, "hash": self.hash}

    def __str__(self) -> str:
        return f"{self.seq} ({self.hash[:16]}…)"


EMPTY_CHAIN = AuditHead(0, GENESIS)


def went_back(earlier: AuditHead, later: AuditHead) -> bool:
    """Whether ``later`` cannot be a head of the chain that had ``earlier``:
    a lower number, or the same number with another hash. (A higher number
    is possible from any chain; only the entry itself can tell.)"""
    return later.seq < earlier.seq or (later.seq == earlier.seq and later.hash != earlier.hash)
