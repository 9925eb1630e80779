"""Whether a structurally valid score bundle is acceptable, given what the
office already knows: the call, the roster, the last accepted bundle of each
member. Plain values in, a verdict or a typed refusal out.

Threats stopped (after TUF): forged author (the signature must be by the
roster key the payload names), type confusion (checked on parsing),
mix-and-match (call, grid and recipient bound inside the signed payload),
replay and rollback (per-member sequence numbers; re-importing the same
bundle is a no-op), withholding (a gap in sequence numbers is reported),
amplification (a sequence number far past the last accepted one is refused,
so a gap is at most :data:`MAX_SEQUENCE_STEP` - 1 numbers, kept as a range).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.bundles.errors import (
    ChainBrokenError,
    GridMismatchError,
    ReplayError,
    RollbackError,
    SequenceTooFarError,
    UnknownSignerError,
    WrongCallError,
    WrongOfficeError,
)
from app.bundles.score_bundle import ScoreBundle

# A member's laptop numbers bundles one by one; a bundle may skip a few lost
# or withheld ones, never thousands.
MAX_SEQUENCE_STEP = 16


@dataclass(frozen=True)
class SequenceGap:
    """The run of sequence numbers ``first``..``last`` a bundle skipped."""

    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def describe_gaps(gaps: tuple[SequenceGap, ...] | list[SequenceGap]) -> str:
    """``2, 5–9``: the ranges for people."""
    return ", ".join(str(gap) for gap in gaps)


@dataclass(frozen=True)
class LastAccepted:
    sequence: int
    payload_hash: str


@dataclass(frozen=True)
class Verdict:
    """``duplicate``: already accepted, nothing to do; ``gap``: the sequence
    numbers skipped before this one (withheld or lost bundles), if any."""

    duplicate: bool
    gap: SequenceGap | None


def check_bundle(
    bundle: ScoreBundle,
    *,
    call_id: str,
    grid_hash: str,
    office_key_id: str,
    roster_signing_keys: dict[str, bytes],
    last: LastAccepted | None,
    accepted_hashes: dict[int, str],
) -> Verdict:
    """Verify the signature against the roster and the bundle against the chain."""
    signer_key = roster_signing_keys.get(bundle.author_key_id)
    if signer_key is None or bundle.envelope.keyid != bundle.author_key_id:
        # The key id hint is not signed; one that disagrees with the signed
        # author is an anomaly, and is refused like an unknown signer.
        raise UnknownSignerError()
    bundle.envelope.verify(signer_key)
    if bundle.call_id != call_id:
        raise WrongCallError(bundle.call_id, call_id)
    if bundle.recipient_key_id != office_key_id:
        raise WrongOfficeError()
    if bundle.grid_hash != grid_hash:
        raise GridMismatchError()
    after = 0 if last is None else last.sequence
    if bundle.sequence > after + MAX_SEQUENCE_STEP:
        raise SequenceTooFarError(bundle.sequence, after, MAX_SEQUENCE_STEP)
    if last is None:
        return Verdict(False, _gap(1, bundle.sequence))
    known = accepted_hashes.get(bundle.sequence)
    if known is not None:
        if known == bundle.payload_hash:
            return Verdict(True, None)
        raise ReplayError(bundle.sequence, last.sequence)
    if bundle.sequence < last.sequence:
        raise RollbackError(bundle.sequence, last.sequence)
    if bundle.sequence == last.sequence + 1 and bundle.previous != last.payload_hash:
        raise ChainBrokenError(bundle.sequence)
    return Verdict(False, _gap(last.sequence + 1, bundle.sequence))


def _gap(first: int, following: int) -> SequenceGap | None:
    return SequenceGap(first, following - 1) if following > first else None
