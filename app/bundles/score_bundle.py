"""The score bundle: one member's declarations and scores, signed, sealed to
the city office.

Inside the signed payload: the call id, the grid hash, the member's sequence
number and the hash of the previous bundle (a chain), the author's and the
recipient's key ids, when it was made, the general declaration, every
per-proposal declaration and every score with its motivation. Version 2 adds
the anchors of both audit chains: the member's head at signing, the entry its
chain now has where the previous bundle's head was, and the office's head from
the newest receipt the member holds. Version 1 payloads, without them, are
still read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import clock
from app.bundles.envelopes import (
    MAX_BUNDLE_ENVELOPE,
    MAX_SEALED_BUNDLE,
    SCORE_BUNDLE,
    open_envelope,
)
from app.bundles.errors import (
    BadPayloadError,
    ExtraRecipientsError,
    WrongCallError,
    WrongKindError,
    WrongOfficeError,
)
from app.bundles.fields import DECIMAL, MOMENT, Fields, iso
from app.crypto import dsse, seal
from app.crypto.keys import KeyPair
from app.models.audit_head import AuditHead
from app.models.vocabulary import CONFLICT_CATEGORIES

BUNDLE_FIELDS = {"type", "version", "call_id", "grid_hash", "package_sequence", "sequence",
                 "previous", "author_key_id", "recipient_key_id", "created_at",
                 "general_declaration", "declarations", "scores"}  # fmt: skip
ANCHOR_FIELDS = {"audit_head", "audit_link", "office_audit_head"}
# The payload version Vaglio writes; it reads 1 (without the anchors) and 2.
PAYLOAD_VERSION = 2
FIELDS_BY_VERSION = {1: BUNDLE_FIELDS, 2: BUNDLE_FIELDS | ANCHOR_FIELDS}


@dataclass(frozen=True)
class BundleAnchors:
    """The audit anchors a bundle carries (all None in a version 1 bundle).

    ``audit_head``: the author's chain head when it signed; ``audit_link``:
    the entry its chain had then at the number of the head its previous
    bundle carried (None for bundle 1, or when the chain no longer reaches
    it); ``office_audit_head``: the office's head from the newest receipt the
    author held.
    """

    audit_head: AuditHead | None = None
    audit_link: AuditHead | None = None
    office_audit_head: AuditHead | None = None


def _versioned_fields(payload: Any) -> tuple[Fields, int]:
    """The payload's fields, checked against the field set of its version."""
    version = payload.get("version", 1) if isinstance(payload, dict) else 1
    if type(version) is not int or version not in FIELDS_BY_VERSION:
        raise BadPayloadError(SCORE_BUNDLE, "version: 1 or 2 expected")
    fields = Fields(payload, SCORE_BUNDLE, FIELDS_BY_VERSION[version])
    fields.constant("type", "score-bundle")
    return fields, version


def _anchors(fields: Fields, version: int) -> BundleAnchors:
    if version == 1:
        return BundleAnchors()
    return BundleAnchors(
        fields.audit_head("audit_head"),
        fields.optional_audit_head("audit_link"),
        fields.optional_audit_head("office_audit_head"),
    )


@dataclass(frozen=True)
class BundleDeclaration:
    proposal: str
    conflict: bool
    category: str | None
    reason: str
    declared_at: dt.datetime


@dataclass(frozen=True)
class BundleScore:
    proposal: str
    criterion: str
    value: Decimal
    justification: str
    updated_at: dt.datetime


SCORE_FIELDS = frozenset({"proposal", "criterion", "value", "justification", "updated_at"})


def _score(item: Any) -> BundleScore:
    """One score entry; a fast path for the common, valid case (a bundle of a
    large call carries thousands), the full checks with their messages otherwise."""
    if type(item) is dict and item.keys() == SCORE_FIELDS:
        proposal, criterion = item["proposal"], item["criterion"]
        value, text, moment = item["value"], item["justification"], item["updated_at"]
        if (
            type(proposal) is str
            and 0 < len(proposal) <= 64
            and type(criterion) is str
            and 0 < len(criterion) <= 64
            and type(value) is str
            and DECIMAL.match(value)
            and type(text) is str
            and len(text) <= 20_000
            and type(moment) is str
            and MOMENT.match(moment)
        ):
            try:
                updated = dt.datetime.fromisoformat(moment)
            except ValueError:
                updated = None
            if updated is not None and updated.tzinfo is not None:
                return BundleScore(proposal, criterion, Decimal(value), text, updated)
    entry = Fields(item, SCORE_BUNDLE, set(SCORE_FIELDS))
    return BundleScore(
        entry.text("proposal", limit=64),
        entry.text("criterion", limit=64),
        entry.decimal("value"),
        entry.text("justification", empty=True, limit=20_000),
        entry.moment("updated_at"),
    )


@dataclass(frozen=True)
class ScoreBundle:
    """A parsed score bundle; ``envelope`` still has to be verified (see policy)."""

    call_id: str
    grid_hash: str
    package_sequence: int
    sequence: int
    previous: str | None
    author_key_id: str
    recipient_key_id: str
    created_at: dt.datetime
    general_text_version: str
    general_declared_at: dt.datetime
    declarations: tuple[BundleDeclaration, ...]
    scores: tuple[BundleScore, ...]
    envelope: dsse.Envelope
    version: int = PAYLOAD_VERSION
    anchors: BundleAnchors = BundleAnchors()

    @property
    def payload_hash(self) -> str:
        """SHA-256 of the signed payload bytes: the bundle's identity in the chain."""
        return hashlib.sha256(self.envelope.payload).hexdigest()

    @staticmethod
    def build(
        *,
        call_id: str,
        grid_hash: str,
        package_sequence: int,
        sequence: int,
        previous: str | None,
        author: KeyPair,
        recipient_key_id: str,
        recipient_sealing_key: bytes,
        general_text_version: str,
        general_declared_at: dt.datetime,
        declarations: list[BundleDeclaration],
        scores: list[BundleScore],
        audit_head: AuditHead,
        audit_link: AuditHead | None = None,
        office_audit_head: AuditHead | None = None,
    ) -> tuple[ScoreBundle, bytes]:
        """The bundle (payload version 2, with its anchors) and its sealed bytes."""
        payload: dict[str, Any] = {
            "type": "score-bundle",
            "version": PAYLOAD_VERSION,
            "call_id": call_id,
            "grid_hash": grid_hash,
            "package_sequence": package_sequence,
            "sequence": sequence,
            "previous": previous,
            "author_key_id": author.public.key_id,
            "recipient_key_id": recipient_key_id,
            "created_at": iso(clock.now()),
            "audit_head": audit_head.as_json(),
            "audit_link": None if audit_link is None else audit_link.as_json(),
            "office_audit_head": None if office_audit_head is None else office_audit_head.as_json(),
            "general_declaration": {
                "text_version": general_text_version,
                "declared_at": iso(general_declared_at),
            },
            "declarations": [
                {
                    "proposal": d.proposal,
                    "conflict": d.conflict,
                    "category": d.category,
                    "reason": d.reason,
                    "declared_at": iso(d.declared_at),
                }
                for d in declarations
            ],
            "scores": [
                {
                    "proposal": s.proposal,
                    "criterion": s.criterion,
                    "value": f"{s.value:f}",
                    "justification": s.justification,
                    "updated_at": iso(s.updated_at),
                }
                for s in scores
            ],
        }
        envelope = dsse.sign(
            SCORE_BUNDLE, json.dumps(payload, ensure_ascii=False).encode("utf-8"), author
        )
        sealed = seal.seal(
            envelope,
            call_id=call_id,
            purpose="score-bundle",
            recipients=[seal.Recipient(recipient_key_id, recipient_sealing_key)],
        )
        return ScoreBundle.parse(envelope), sealed

    @staticmethod
    def unseal(
        data: bytes, *, office_key_id: str, office_sealing_private: bytes
    ) -> tuple[str, bytes]:
        """The call id on the seal and the envelope bytes inside (not yet parsed)."""
        sealed = seal.parse(data, max_size=MAX_SEALED_BUNDLE)
        if sealed.purpose != "score-bundle":
            raise WrongKindError(SCORE_BUNDLE, f".{sealed.purpose}+")
        if office_key_id not in sealed.recipient_ids():
            raise WrongOfficeError()
        if len(sealed.recipients) != 1:
            # The format seals a bundle to the office alone: a second reader
            # would see the scores before the ranking is approved.
            raise ExtraRecipientsError(len(sealed.recipients))
        return sealed.call_id, sealed.open(office_key_id, office_sealing_private)

    @classmethod
    def parse(cls, data: bytes, *, sealed_call_id: str | None = None) -> ScoreBundle:
        """A structurally valid bundle from envelope bytes (signature unchecked)."""
        envelope, payload = open_envelope(data, SCORE_BUNDLE, MAX_BUNDLE_ENVELOPE)
        fields, version = _versioned_fields(payload)
        general = Fields(
            payload["general_declaration"], SCORE_BUNDLE, {"text_version", "declared_at"}
        )
        declarations = []
        for item in fields.items("declarations"):
            entry = Fields(item, SCORE_BUNDLE, {"proposal", "conflict", "category", "reason",
                                                "declared_at"})  # fmt: skip
            conflict = entry.boolean("conflict")
            category = entry.optional_text("category")
            if conflict and category not in CONFLICT_CATEGORIES:
                raise entry.fail("category", "unknown category")
            if not conflict and category is not None:
                raise entry.fail("category", "a category without a conflict")
            declarations.append(
                BundleDeclaration(
                    entry.text("proposal", limit=64),
                    conflict,
                    category,
                    entry.text("reason", empty=True, limit=5000),
                    entry.moment("declared_at"),
                )
            )
        scores = [_score(item) for item in fields.items("scores")]
        seen_declared = {d.proposal for d in declarations}
        if len(seen_declared) != len(declarations):
            raise fields.fail("declarations", "a proposal declared twice")
        if len({(s.proposal, s.criterion) for s in scores}) != len(scores):
            raise fields.fail("scores", "a criterion scored twice")
        bundle = cls(
            call_id=fields.text("call_id", limit=64),
            grid_hash=fields.hex64("grid_hash"),
            package_sequence=fields.integer("package_sequence", 1),
            sequence=fields.integer("sequence", 1),
            previous=fields.optional_hex64("previous"),
            author_key_id=fields.hex64("author_key_id"),
            recipient_key_id=fields.hex64("recipient_key_id"),
            created_at=fields.moment("created_at"),
            general_text_version=general.text("text_version", limit=32),
            general_declared_at=general.moment("declared_at"),
            declarations=tuple(declarations),
            scores=tuple(scores),
            envelope=envelope,
            version=version,
            anchors=_anchors(fields, version),
        )
        if sealed_call_id is not None and sealed_call_id != bundle.call_id:
            raise WrongCallError(bundle.call_id, sealed_call_id)
        if bundle.sequence == 1 and bundle.previous is not None:
            raise fields.fail("previous", "the first bundle has no previous")
        if bundle.sequence > 1 and bundle.previous is None:
            raise fields.fail("previous", "missing link to the previous bundle")
        if bundle.sequence == 1 and bundle.anchors.audit_link is not None:
            raise fields.fail("audit_link", "the first bundle has no previous head")
        return bundle

    @staticmethod
    def read_anchors(data: bytes) -> BundleAnchors:
        """The anchors of a bundle this workspace already checked and stored
        (its envelope bytes): the payload's shape, not its every score."""
        _envelope, payload = open_envelope(data, SCORE_BUNDLE, MAX_BUNDLE_ENVELOPE)
        fields, version = _versioned_fields(payload)
        return _anchors(fields, version)
