"""Building artefacts for tests, including ones no honest laptop would make."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import clock
from app.bundles.envelopes import SCORE_BUNDLE
from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto import dsse, seal
from app.crypto.keys import KeyPair
from app.models.audit_head import AuditHead

# The suite's moment (its clock is frozen before this is imported): the office
# refuses dates outside the life of the call.
NOW: dt.datetime = clock.now()
CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
# The admissible proposals of tests/fixtures/proposals.csv (P006 is not).
ADMISSIBLE = ("P001", "P002", "P003", "P004", "P005")
WHY = "Proposta solida, con una rete di quartiere ben descritta."


def member_head(member: KeyPair, sequence: int) -> AuditHead:
    """The audit head of a member the tests play without a workspace, as their
    bundle ``sequence`` carries it (entry ``sequence``, always the same)."""
    digest = hashlib.sha256(f"{member.public.key_id}/{sequence}".encode()).hexdigest()
    return AuditHead(sequence, digest)


def member_link(member: KeyPair, sequence: int) -> AuditHead | None:
    """The ``audit_link`` of that member's bundle ``sequence``: their log kept
    every head it sent."""
    return member_head(member, sequence - 1) if sequence > 1 else None


@dataclass
class Parties:
    office: KeyPair
    member: KeyPair
    call_id: str
    grid_hash: str


def honest_bundle(
    parties: Parties,
    sequence: int = 1,
    previous: str | None = None,
    value: str = "0.8",
    proposals: tuple[str, ...] = ADMISSIBLE,
    package_sequence: int = 1,
) -> tuple[ScoreBundle, bytes]:
    """A well-formed bundle covering ``proposals``, sealed to the office."""
    return ScoreBundle.build(
        call_id=parties.call_id,
        grid_hash=parties.grid_hash,
        package_sequence=package_sequence,
        sequence=sequence,
        previous=previous,
        author=parties.member,
        recipient_key_id=parties.office.public.key_id,
        recipient_sealing_key=parties.office.public.sealing,
        general_text_version="2020-1",
        general_declared_at=NOW,
        declarations=[BundleDeclaration(p, False, None, "", NOW) for p in proposals],
        scores=[BundleScore(p, c, Decimal(value), WHY, NOW) for p in proposals for c in CRITERIA],
        audit_head=member_head(parties.member, sequence),
        audit_link=member_link(parties.member, sequence),
    )


def payload_of(bundle: ScoreBundle) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(bundle.envelope.payload)
    return document


def sign_and_seal(
    parties: Parties,
    payload: bytes,
    *,
    signer: KeyPair | None = None,
    payload_type: str = SCORE_BUNDLE,
    recipient: KeyPair | None = None,
    call_id: str | None = None,
) -> bytes:
    """Any payload bytes, signed and sealed like a real bundle."""
    envelope = dsse.sign(payload_type, payload, signer or parties.member)
    return seal_envelope(parties, envelope, recipient=recipient, call_id=call_id)


def seal_envelope(
    parties: Parties,
    envelope: bytes,
    *,
    recipient: KeyPair | None = None,
    call_id: str | None = None,
) -> bytes:
    to = recipient or parties.office
    return seal.seal(
        envelope,
        call_id=call_id or parties.call_id,
        purpose="score-bundle",
        recipients=[seal.Recipient(to.public.key_id, to.public.sealing)],
    )
