"""Whether a structurally valid score bundle is acceptable, given what the
office already knows: the call, the roster, the last accepted bundle of each
member. Plain values in, a verdict or a typed refusal out.

Threats stopped (after TUF): forged author (the signature must be by the
roster key the payload names), type confusion (checked on parsing),
mix-and-match (call, grid and recipient bound inside the signed payload),
replay and rollback (per-member sequence numbers; re-importing the same
bundle is a no-op), withholding (a gap in sequence numbers is reported).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.bundles.errors import (
    ChainBrokenError,
    GridMismatchError,
    ReplayError,
    RollbackError,
    UnknownSignerError,
    WrongCallError,
    WrongOfficeError,
)
from app.bundles.score_bundle import ScoreBundle


@dataclass(frozen=True)
class LastAccepted:
    sequence: int
    payload_hash: str


@dataclass(frozen=True)
class Verdict:
    """``duplicate``: already accepted, nothing to do; ``missing``: sequence
    numbers skipped before this one (withheld or lost bundles)."""

    duplicate: bool
    missing: tuple[int, ...]


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
    if last is None:
        return Verdict(False, tuple(range(1, bundle.sequence)))
    known = accepted_hashes.get(bundle.sequence)
    if known is not None:
        if known == bundle.payload_hash:
            return Verdict(True, ())
        raise ReplayError(bundle.sequence, last.sequence)
    if bundle.sequence < last.sequence:
        raise RollbackError(bundle.sequence, last.sequence)
    if bundle.sequence == last.sequence + 1 and bundle.previous != last.payload_hash:
        raise ChainBrokenError(bundle.sequence)
    return Verdict(False, tuple(range(last.sequence + 1, bundle.sequence)))
