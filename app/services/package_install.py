"""A member installs the call package: verified against the pinned office
key, then the call, its roster and its proposals with their attachments, in
one transaction.

A package whose attachments travel as parts (``app/bundles/parts.py``) is
installed only once every attachment it lists is here: stored already (by
SHA-256, from an earlier package), or kept as a verified part
(``app/services/package_staging.py``). Until then it waits, and the intake
says how many attachments it waits for: a transient state, not a refusal.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.bundles import envelopes, parts
from app.bundles.envelopes import SCORE_BUNDLE
from app.bundles.errors import BadPayloadError, WrongKindError
from app.bundles.package import SUBCRITERIA_VERSION, CallPackage, PackageProposal
from app.crypto import seal
from app.crypto.errors import NotForThisKeyError
from app.models import (
    Attachment,
    Call,
    ConflictDeclaration,
    Identity,
    Member,
    Proposal,
    Score,
    TrustedOffice,
)
from app.models.definition import CallDefinition
from app.services import package_staging as staging
from app.services.changes import Changes
from app.services.evaluation_errors import NotOnRosterError
from app.services.exchange_errors import CallChangedError, PackageNotForYouError
from app.services.intake import IntakeResult
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.store import audit

SIGNATURE_FIELDS = (
    "title", "applicant", "applicant_tax_code", "legal_representative", "neighbourhood",
    "thematic_area", "total_cost", "requested_contribution", "summary", "admissible",
)  # fmt: skip


def _proposal_signature(p: object) -> tuple[object, ...]:
    """What must not change about a proposal after publication."""
    return tuple(getattr(p, f) for f in SIGNATURE_FIELDS)


def open_package(session: Session, identity: Identity, data: bytes) -> CallPackage:
    """The package in ``data``, verified (7.2 and 8.2 up to the sequence)."""
    if identity.role != "member":
        raise WrongKindError(SCORE_BUNDLE, envelopes.CALL_PACKAGE)
    trusted = {o.key_id: o.signing_public_key for o in session.scalars(select(TrustedOffice))}
    # A package waiting for its parts is read again for each part carried by
    # hand: opened and checked once per file and set of keys.
    key = (hashlib.sha256(data).hexdigest(), identity.key_id, tuple(sorted(trusted.items())))
    if key in _last_opened:
        return _last_opened[key]
    package = _opened(data, identity.key_id, identity.sealing_private_key, trusted)
    _last_opened.clear()
    if package.attachments_in == parts.PARTS:  # small: the attachments are not in it
        _last_opened[key] = package
    return package


_last_opened: dict[object, CallPackage] = {}


def _opened(
    data: bytes, key_id: str, sealing_private: bytes, trusted: dict[str, bytes]
) -> CallPackage:
    try:
        package = CallPackage.open(
            data, my_key_id=key_id, my_sealing_private=sealing_private,
            trusted_offices=trusted,
        )  # fmt: skip
    except NotForThisKeyError:
        raise PackageNotForYouError() from None
    definition = CallDefinition.from_toml(package.definition, package.call_id)
    if definition.grid_hash != package.grid_hash or definition.id != package.call_id:
        raise BadPayloadError(envelopes.CALL_PACKAGE, "grid hash")
    if (package.version == SUBCRITERIA_VERSION) != definition.grid.has_subcriteria:
        # Version 2 announces sub-criteria and version 1 has none: a
        # package that says otherwise was not written by Vaglio.
        raise BadPayloadError(envelopes.CALL_PACKAGE, "version: does not match the criteria")
    if key_id not in {m.key_id for m in package.roster}:
        raise NotOnRosterError(package.call_id)
    return package


def install_package(ws: OpenWorkspace, data: bytes, *, remote_path: str = "") -> IntakeResult:
    """Install (or update the roster from) a call package (member); one whose
    parts are not all here waits for them (outcome ``waiting``)."""
    with ws.session() as session:
        identity = own_identity(session)
        package = open_package(session, identity, data)
        call = session.get(Call, package.call_id)
        if call is not None and package.sequence <= call.package_sequence:
            staging.discard(ws, package.call_id, installed=call.package_sequence)
            return IntakeResult("call-package", "duplicate", call.id, package.sequence)
        if package.attachments_in == parts.PARTS:
            absent = staging.missing(ws, session, package)
            if absent:
                staging.keep_package(ws, package, data, remote_path)
                return IntakeResult(
                    "call-package", "waiting", package.call_id, package.sequence,
                    missing=len(absent), total=len(package.listed()),
                )  # fmt: skip
        contents = staging.contents(
            ws, session, package, identity.key_id, identity.sealing_private_key
        )
        if call is not None:
            _update_installed(session, call, package, identity.key_id, contents)
        else:
            definition = CallDefinition.from_toml(package.definition, package.call_id)
            _install_new(session, definition, package, contents)
        audit.append(
            session,
            actor=identity.key_id,
            action="call.package_installed",
            call_id=package.call_id,
            details={"sequence": package.sequence, "office": package.author_key_id},
        )
    staging.discard(ws, package.call_id, installed=package.sequence)
    return IntakeResult(
        "call-package",
        "accepted",
        package.call_id,
        package.sequence,
        changes=Changes(calls=True, proposals=True, roster=True),
    )


def keep_part(ws: OpenWorkspace, data: bytes) -> IntakeResult:
    """Keep a part carried by hand for the package of its call that waits
    for it (verified against that package's signed list)."""
    sealed = seal.parse(data, max_size=parts.MAX_SEALED_PART)
    stamp = staging.waiting_stamp(ws, sealed.call_id)
    if stamp is None:
        raise staging.NoPackageWaitingError(sealed.call_id)
    with ws.session() as session:
        identity = own_identity(session)
        trusted = tuple(sorted(
            (o.key_id, o.signing_public_key) for o in session.scalars(select(TrustedOffice))
        ))  # fmt: skip
        # A stick may carry thousands of parts: the waiting package is
        # opened once for all of them, not once per part.
        key = (str(ws.home), sealed.call_id, stamp, identity.key_id, trusted)
        if key not in _waiting_lists:
            waiting = staging.waiting(ws, sealed.call_id)
            if waiting is None:
                raise staging.NoPackageWaitingError(sealed.call_id)
            package = open_package(session, identity, waiting.sealed)
            _waiting_lists.clear()
            _waiting_lists[key] = (package.sequence, package.listed())
        sequence, listed = _waiting_lists[key]
    sha, _content = parts.open_part(
        data,
        call_id=sealed.call_id,
        my_key_id=identity.key_id,
        my_sealing_private=identity.sealing_private_key,
        listed=listed,
    )
    staging.keep_part(ws, sealed.call_id, sha, data)
    return IntakeResult("call-attachment", "kept", sealed.call_id, sequence)


_waiting_lists: dict[object, tuple[int, dict[str, int]]] = {}


def complete_waiting(ws: OpenWorkspace, call_id: str) -> IntakeResult | None:
    """Install the package of ``call_id`` that waited, if every part is here
    now (``waiting`` again otherwise); None when none waits."""
    waiting = staging.waiting(ws, call_id)
    if waiting is None:
        return None
    return install_package(ws, waiting.sealed, remote_path=waiting.remote_path)


def waiting_calls(ws: OpenWorkspace) -> list[str]:
    """The calls with a package waiting for parts."""
    root = ws.home / staging.INCOMING_FOLDER
    try:
        return sorted(path.name for path in root.iterdir() if path.is_dir())
    except OSError:
        return []


def _add_roster(session: Session, call_id: str, package: CallPackage, known: set[str]) -> None:
    for m in package.roster:
        if m.key_id not in known:
            session.add(
                Member(
                    call_id=call_id,
                    key_id=m.key_id,
                    name=m.name,
                    email=m.email,
                    commission_role=m.commission_role,
                    signing_public_key=m.keys.signing,
                    sealing_public_key=m.keys.sealing,
                )
            )


def _install_new(
    session: Session,
    definition: CallDefinition,
    package: CallPackage,
    contents: staging.Contents,
) -> None:
    call = Call.from_definition(definition)
    call.status = "published"
    call.package_sequence = package.sequence
    call.office_key_id = package.author_key_id
    call.published_at = package.created_at
    session.add(call)
    session.flush()
    _add_roster(session, call.id, package, set())
    for p in package.proposals:
        _add_proposal(session, call.id, p, contents)


def _add_proposal(
    session: Session, call_id: str, p: PackageProposal, contents: staging.Contents
) -> None:
    proposal = Proposal(
        call_id=call_id,
        code=p.id,
        title=p.title,
        applicant=p.applicant,
        applicant_tax_code=p.applicant_tax_code,
        legal_representative=p.legal_representative,
        partners=list(p.partners),
        neighbourhood=p.neighbourhood,
        thematic_area=p.thematic_area,
        total_cost=p.total_cost,
        requested_contribution=p.requested_contribution,
        summary=p.summary,
        admissible=p.admissible,
        inadmissible_reasons=list(p.inadmissible_reasons),
    )
    session.add(proposal)
    session.flush()
    _add_attachments(session, proposal.id, p, [contents(a.sha256) for a in p.attachments])


def _add_attachments(
    session: Session, proposal_id: int, p: PackageProposal, data: list[bytes]
) -> None:
    """One statement per attachment, not ORM objects: the session does not
    keep every PDF of the call until the commit."""
    for index, (a, content) in enumerate(zip(p.attachments, data, strict=True)):
        if len(content) != a.byte_size or hashlib.sha256(content).hexdigest() != a.sha256:
            raise BadPayloadError(envelopes.CALL_PACKAGE, "attachment missing or altered")
        session.execute(
            insert(Attachment).values(
                proposal_id=proposal_id,
                position=index,
                filename=a.filename,
                media_type="application/pdf",
                sha256=a.sha256,
                size=len(content),
                content=content,
            )
        )


def _update_installed(
    session: Session, call: Call, package: CallPackage, me: str, contents: staging.Contents
) -> None:
    """A later package: the same rules and proposals, maybe more members. A
    substitute's proposals are those assigned to them, so theirs may come
    and go (a proposal they no longer evaluate leaves with its sheet). A
    proposal's attachments follow the package: one whose list changed gets
    the new list."""
    if call.grid_hash != package.grid_hash or call.office_key_id != package.author_key_id:
        raise CallChangedError(call.id)
    installed = {
        p.code: p for p in session.scalars(select(Proposal).where(Proposal.call_id == call.id))
    }
    arriving = {p.id: p for p in package.proposals}
    substitute = any(m.key_id == me and m.commission_role == "substitute" for m in package.roster)
    changed = any(
        _proposal_signature(installed[code]) != _proposal_signature(p)
        for code, p in arriving.items()
        if code in installed
    )
    if changed or (installed.keys() != arriving.keys() and not substitute):
        raise CallChangedError(call.id)
    for code in installed.keys() - arriving.keys():
        proposal = installed[code]
        for table in (Score, ConflictDeclaration):
            session.execute(delete(table).where(table.proposal_id == proposal.id))
        session.delete(proposal)
    for code in arriving.keys() & installed.keys():
        stored = [(a.filename, a.sha256) for a in installed[code].attachments]
        wanted = arriving[code]
        if stored != [(a.filename, a.sha256) for a in wanted.attachments]:
            data = [contents(a.sha256) for a in wanted.attachments]  # before the rows go
            session.execute(delete(Attachment).where(Attachment.proposal_id == installed[code].id))
            session.expire(installed[code], ["attachments"])
            _add_attachments(session, installed[code].id, wanted, data)
    for code in sorted(arriving.keys() - installed.keys()):
        _add_proposal(session, call.id, arriving[code], contents)
    known = set(session.scalars(select(Member.key_id).where(Member.call_id == call.id)))
    _add_roster(session, call.id, package, known)
    call.package_sequence = package.sequence
