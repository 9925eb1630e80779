"""The call package: the call, its grid, the roster with public keys, and the
proposals with their admissibility and attachments; signed by the city office
and sealed to every enrolled member.

Container: a ZIP with ``envelope.json`` (the DSSE envelope) and
``attachments/<sha256>.pdf``; the signed payload lists every attachment's
SHA-256 and size, so the archive's other members are bound by the signature.
A payload with ``"attachments_in": "parts"`` (what Vaglio writes now) has a
ZIP with ``envelope.json`` alone: its attachments travel as sealed parts
(``app/bundles/parts.py``) and are installed once each is verified against
the listed SHA-256 and size. A payload without that field keeps its meaning:
the attachments are in the ZIP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import clock
from app.bundles import container, parts
from app.bundles.envelopes import (
    CALL_PACKAGE,
    MAX_PACKAGE_ENVELOPE,
    MAX_SEALED_PACKAGE,
    parse_envelope,
    payload_of,
)
from app.bundles.errors import (
    BadPayloadError,
    ContainerError,
    UntrustedOfficeError,
    WrongCallError,
    WrongKindError,
)
from app.bundles.fields import Fields, iso
from app.crypto import dsse, seal
from app.crypto.encoding import b64encode
from app.crypto.errors import BadSignatureError
from app.crypto.keys import KeyPair, PublicKeys
from app.models.vocabulary import COMMISSION_ROLES

# Payload versions: 2 exactly when the definition has sub-criteria, so that a
# Vaglio that reads only version 1 refuses such a package instead of
# misreading it (docs/formats.md 7.2); version 1 keeps its meaning and bytes.
PACKAGE_VERSIONS = (1, 2)
SUBCRITERIA_VERSION = 2

PACKAGE_FIELDS = {"type", "version", "call_id", "sequence", "created_at", "author_key_id",
                  "grid_hash", "definition", "roster", "proposals"}  # fmt: skip
MEMBER_FIELDS = {"key_id", "name", "email", "commission_role", "signing_key", "sealing_key"}
PROPOSAL_FIELDS = {"id", "title", "applicant", "applicant_tax_code", "legal_representative",
                   "partners", "neighbourhood", "thematic_area", "total_cost",
                   "requested_contribution", "summary", "admissible", "inadmissible_reasons",
                   "attachments"}  # fmt: skip
LIMITS = container.Limits(
    max_archive=MAX_SEALED_PACKAGE,
    max_members=20_001,
    max_member=MAX_PACKAGE_ENVELOPE,
    max_total=MAX_SEALED_PACKAGE,
)
ENVELOPE_NAME = "envelope.json"


REASON_CODES = ("total_cost_above_maximum", "request_above_matchfunding_rule", "set_by_secretariat")


def _reason(raw: Any) -> dict[str, Any]:
    """One inadmissibility reason: a known code and text parameters."""
    entry = Fields(raw, CALL_PACKAGE, {"code", "params"})
    code = entry.text("code", limit=64)
    if code not in REASON_CODES:
        raise entry.fail("code", "unknown reason")
    params = raw["params"]
    if not isinstance(params, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 5000 for k, v in params.items()
    ):
        raise entry.fail("params", "text values expected")
    return {"code": code, "params": dict(params)}


@dataclass(frozen=True)
class PackageMember:
    key_id: str
    name: str
    email: str
    commission_role: str
    keys: PublicKeys


@dataclass(frozen=True)
class PackageAttachment:
    filename: str
    sha256: str
    # The bytes, or None for a package whose attachments travel as parts.
    content: bytes | None
    size: int | None = None

    @property
    def byte_size(self) -> int:
        """The listed size: the content's length when the content is here."""
        if self.content is not None:
            return len(self.content)
        assert self.size is not None
        return self.size


@dataclass(frozen=True)
class PackageProposal:
    id: str
    title: str
    applicant: str
    applicant_tax_code: str
    legal_representative: str
    partners: tuple[str, ...]
    neighbourhood: str
    thematic_area: str
    total_cost: Decimal
    requested_contribution: Decimal
    summary: str
    admissible: bool
    inadmissible_reasons: tuple[dict[str, Any], ...]
    attachments: tuple[PackageAttachment, ...]


@dataclass(frozen=True)
class CallPackage:
    call_id: str
    sequence: int
    created_at: dt.datetime
    author_key_id: str
    grid_hash: str
    definition: str
    roster: tuple[PackageMember, ...]
    proposals: tuple[PackageProposal, ...]
    envelope: dsse.Envelope
    version: int = 1
    # "archive" (in the ZIP, every package before parts) or "parts".
    attachments_in: str = parts.ARCHIVE
    # The key ids the package was sealed to: the parts are sealed to the same.
    sealed_to: tuple[str, ...] = ()

    def listed(self) -> dict[str, int]:
        """Every attachment the signed payload lists: SHA-256 -> size."""
        return {a.sha256: a.byte_size for p in self.proposals for a in p.attachments}

    @staticmethod
    def build(
        *,
        call_id: str,
        sequence: int,
        grid_hash: str,
        definition: str,
        roster: list[PackageMember],
        proposals: list[PackageProposal],
        office: KeyPair,
        recipients: list[PackageMember] | None = None,
        version: int = 1,
        attachments_in: str = parts.ARCHIVE,
    ) -> bytes:
        """The sealed package for ``recipients`` (every member on the roster
        when not given); ``version`` 2 for a definition with sub-criteria;
        ``attachments_in`` "parts" for a ZIP without the attachments, which
        then travel as sealed parts (their content need not be given)."""
        payload: dict[str, Any] = {
            "type": "call-package",
            "version": version,
        }
        if attachments_in == parts.PARTS:
            payload["attachments_in"] = parts.PARTS
        payload |= {
            "call_id": call_id,
            "sequence": sequence,
            "created_at": iso(clock.now()),
            "author_key_id": office.public.key_id,
            "grid_hash": grid_hash,
            "definition": definition,
            "roster": [
                {
                    "key_id": m.key_id,
                    "name": m.name,
                    "email": m.email,
                    "commission_role": m.commission_role,
                    "signing_key": b64encode(m.keys.signing),
                    "sealing_key": b64encode(m.keys.sealing),
                }
                for m in roster
            ],
            "proposals": [
                {
                    "id": p.id,
                    "title": p.title,
                    "applicant": p.applicant,
                    "applicant_tax_code": p.applicant_tax_code,
                    "legal_representative": p.legal_representative,
                    "partners": list(p.partners),
                    "neighbourhood": p.neighbourhood,
                    "thematic_area": p.thematic_area,
                    "total_cost": f"{p.total_cost:f}",
                    "requested_contribution": f"{p.requested_contribution:f}",
                    "summary": p.summary,
                    "admissible": p.admissible,
                    "inadmissible_reasons": list(p.inadmissible_reasons),
                    "attachments": [
                        {"filename": a.filename, "sha256": a.sha256, "size": a.byte_size}
                        for a in p.attachments
                    ],
                }
                for p in proposals
            ],
        }
        envelope = dsse.sign(CALL_PACKAGE, json.dumps(payload, ensure_ascii=False).encode(), office)
        members = {ENVELOPE_NAME: envelope}
        for proposal in proposals if attachments_in == parts.ARCHIVE else ():
            for attachment in proposal.attachments:
                assert attachment.content is not None
                members[_member_name(attachment.sha256)] = attachment.content
        archive = container.write(members)
        return seal.seal(
            archive,
            call_id=call_id,
            purpose="call-package",
            recipients=[
                seal.Recipient(m.key_id, m.keys.sealing)
                for m in (roster if recipients is None else recipients)
            ],
        )

    @classmethod
    def open(
        cls,
        data: bytes,
        *,
        my_key_id: str,
        my_sealing_private: bytes,
        trusted_offices: dict[str, bytes],
    ) -> CallPackage:
        """Unseal, verify against a pinned office key, then unpack, and parse.

        In this order, each step only on what passed the ones before: the
        file's size, the sealed JSON, the decryption, the ZIP's central
        directory, ``envelope.json`` (within its limit) and its signature, the
        payload, and last the members the signed payload lists, each streamed
        against its listed size and SHA-256. Nothing else is ever inflated.

        ``trusted_offices`` maps key ids to signing keys; the envelope's key id
        only says which one to try.
        """
        sealed = seal.parse(data, max_size=MAX_SEALED_PACKAGE)
        if sealed.purpose != "call-package":
            raise WrongKindError(CALL_PACKAGE, f".{sealed.purpose}+")
        content = sealed.open(my_key_id, my_sealing_private)
        with container.Archive(content, LIMITS) as archive:
            raw = archive.read(ENVELOPE_NAME).content
            envelope = parse_envelope(raw, CALL_PACKAGE, MAX_PACKAGE_ENVELOPE)
            office_key = trusted_offices.get(envelope.keyid)
            if office_key is None:
                raise UntrustedOfficeError()
            try:
                envelope.verify(office_key)
            except BadSignatureError:
                raise UntrustedOfficeError() from None
            package = cls._from_payload(payload_of(envelope), envelope, archive, sealed.call_id)
        return dataclasses.replace(package, sealed_to=tuple(sealed.recipient_ids()))

    @classmethod
    def _from_payload(
        cls, payload: Any, envelope: dsse.Envelope, archive: container.Archive, sealed_call_id: str
    ) -> CallPackage:
        """The verified payload and its bindings, then the members it lists
        (and nothing else)."""
        fields = Fields(payload, CALL_PACKAGE, PACKAGE_FIELDS, frozenset({"attachments_in"}))
        fields.constant("type", "call-package")
        attachments_in = parts.ARCHIVE
        if "attachments_in" in payload:
            fields.constant("attachments_in", parts.PARTS)
            attachments_in = parts.PARTS
        version = payload.get("version")
        if type(version) is not int or version not in PACKAGE_VERSIONS:
            raise fields.fail("version", "1 or 2 expected")
        roster: dict[str, PackageMember] = {}
        for item in fields.items("roster", seal.MAX_RECIPIENTS):
            member = _member(item)
            if member.key_id in roster:
                raise BadPayloadError(CALL_PACKAGE, "key_id: listed twice")
            roster[member.key_id] = member
        listed: dict[str, _Listed] = {}
        proposals: dict[str, tuple[PackageProposal, list[tuple[str, str]]]] = {}
        for item in fields.items("proposals", 20_000):
            proposal, attachments = _proposal(item, archive, listed, attachments_in)
            if proposal.id in proposals:
                raise BadPayloadError(CALL_PACKAGE, "id: listed twice")
            proposals[proposal.id] = (proposal, attachments)
        package = cls(
            call_id=fields.text("call_id", limit=64),
            sequence=fields.integer("sequence", 1),
            created_at=fields.moment("created_at"),
            author_key_id=fields.hex64("author_key_id"),
            grid_hash=fields.hex64("grid_hash"),
            definition=fields.text("definition"),
            roster=tuple(roster.values()),
            proposals=(),
            envelope=envelope,
            version=version,
            attachments_in=attachments_in,
        )
        if package.call_id != sealed_call_id:
            raise WrongCallError(package.call_id, sealed_call_id)
        if package.author_key_id != envelope.keyid:
            raise UntrustedOfficeError()
        attachment: Callable[[str, str], PackageAttachment]
        if attachments_in == parts.PARTS:
            unexpected = sorted(set(archive.names) - {ENVELOPE_NAME})
            if unexpected:
                raise ContainerError(f"unexpected member {unexpected[0][:60]!r}")
            if sum(m.size for m in listed.values()) > parts.MAX_PARTS_TOTAL:
                raise fields.fail("proposals", "attachments larger than the limit in all")

            def attachment(filename: str, sha: str) -> PackageAttachment:
                return PackageAttachment(filename, sha, None, listed[_member_name(sha)].size)

        else:
            contents = _read_listed(archive, listed)

            def attachment(filename: str, sha: str) -> PackageAttachment:
                return PackageAttachment(filename, sha, contents[_member_name(sha)])

        return dataclasses.replace(
            package,
            proposals=tuple(
                dataclasses.replace(
                    proposal, attachments=tuple(attachment(f, sha) for f, sha in attachments)
                )
                for proposal, attachments in proposals.values()
            ),
        )


@dataclass(frozen=True)
class _Listed:
    """A member the signed payload lists: its hash, its size, and the entry
    that lists it (to blame if the bytes do not match)."""

    sha256: str
    size: int
    entry: Fields


def _member_name(sha256: str) -> str:
    return f"attachments/{sha256}.pdf"


def _member(item: Any) -> PackageMember:
    """One roster entry."""
    entry = Fields(item, CALL_PACKAGE, MEMBER_FIELDS)
    keys = PublicKeys(entry.key("signing_key"), entry.key("sealing_key"))
    if entry.hex64("key_id") != keys.key_id:
        raise entry.fail("key_id", "does not match the keys")
    role = entry.text("commission_role")
    if role not in COMMISSION_ROLES:
        raise entry.fail("commission_role", "unknown role")
    return PackageMember(keys.key_id, entry.text("name", limit=200),
                         entry.text("email", empty=True, limit=200), role, keys)  # fmt: skip


def _proposal(
    item: Any, archive: container.Archive, listed: dict[str, _Listed], attachments_in: str
) -> tuple[PackageProposal, list[tuple[str, str]]]:
    """One proposal (its attachments still empty) and its (file name, SHA-256)
    pairs; adds the members it lists to ``listed``, inflating nothing.

    With ``attachments_in`` "parts" the ZIP holds ``envelope.json`` alone and
    what is listed is bounded here: each attachment, their count and their
    total, before a single part is fetched."""
    entry = Fields(item, CALL_PACKAGE, PROPOSAL_FIELDS)
    attachments: list[tuple[str, str]] = []
    for raw in entry.items("attachments", 50):
        meta = Fields(raw, CALL_PACKAGE, {"filename", "sha256", "size"})
        sha = meta.hex64("sha256")
        in_parts = attachments_in == parts.PARTS
        if not in_parts and _member_name(sha) not in archive:
            raise meta.fail("sha256", "attachment missing or altered")
        size = meta.integer("size")
        if in_parts and size > parts.MAX_ATTACHMENT:
            raise meta.fail("size", f"more than {parts.MAX_ATTACHMENT} bytes")
        if listed.setdefault(_member_name(sha), _Listed(sha, size, meta)).size != size:
            raise meta.fail("size", "does not match")
        if in_parts and len(listed) > parts.MAX_PARTS:
            raise meta.fail("sha256", f"more than {parts.MAX_PARTS} attachments")
        attachments.append((meta.text("filename", limit=200), sha))
    reasons = [_reason(raw) for raw in entry.items("inadmissible_reasons", 20)]
    if entry.boolean("admissible") == bool(reasons):
        raise entry.fail("admissible", "admissible exactly when there is no reason")
    if len({filename for filename, _sha in attachments}) != len(attachments):
        raise entry.fail("attachments", "a file name listed twice")
    proposal = PackageProposal(
        id=entry.text("id", limit=64),
        title=entry.text("title"),
        applicant=entry.text("applicant"),
        applicant_tax_code=entry.text("applicant_tax_code", limit=16),
        legal_representative=entry.text("legal_representative"),
        partners=tuple(entry.texts("partners")),
        neighbourhood=entry.text("neighbourhood"),
        thematic_area=entry.text("thematic_area"),
        total_cost=entry.decimal("total_cost"),
        requested_contribution=entry.decimal("requested_contribution"),
        summary=entry.text("summary", empty=True),
        admissible=entry.boolean("admissible"),
        inadmissible_reasons=tuple(reasons),
        attachments=(),
    )
    return proposal, attachments


def _read_listed(archive: container.Archive, listed: dict[str, _Listed]) -> dict[str, bytes]:
    """The listed members' bytes. The archive must hold exactly them (and the
    envelope) at their listed sizes: all checked from the central directory
    before any is inflated; then each is streamed once, refused as soon as it
    goes past its listed size, and unless it hashes to its name."""
    unexpected = sorted(set(archive.names) - set(listed) - {ENVELOPE_NAME})
    if unexpected:
        raise ContainerError(f"unexpected member {unexpected[0][:60]!r}")
    for name, member in listed.items():
        if archive.declared_size(name) != member.size:
            raise ContainerError(
                f"member {name[:60]!r} of {archive.declared_size(name)} bytes, "
                f"the package lists {member.size}"
            )
    contents: dict[str, bytes] = {}
    for name, member in listed.items():
        streamed = archive.read(name, size=member.size)
        if streamed.sha256 != member.sha256:
            raise member.entry.fail("sha256", "attachment missing or altered")
        contents[name] = streamed.content
    return contents
