"""Publishing a call: the signed call package, sealed to the full members;
and for each substitute with proposals assigned, a package with only those,
sealed to them alone (docs/formats.md §7.2).

Each package lists its attachments and carries none: every distinct
attachment (by SHA-256) is sealed once per recipient set as a part, queued in
the outbox under ``<call>/package/parts/<recipients tag>/<sha256>.vaglio``.
The outbox is the office's record of the parts it has sent: a part whose path
is already in it (queued or uploaded) is not sealed again, so republishing to
the same roster sends only the parts of attachments that changed, and a
roster change seals every part again into the new recipient set's folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles import parts
from app.bundles.package import (
    SUBCRITERIA_VERSION,
    CallPackage,
    PackageAttachment,
    PackageMember,
    PackageProposal,
)
from app.crypto.keys import KeyPair, PublicKeys
from app.crypto.seal import MAX_RECIPIENTS, Recipient
from app.i18n import _
from app.labels import FULL_MEMBER_ROLES
from app.models import Attachment, Member, OutboxItem, Proposal
from app.models.base import utc_now
from app.services import outbox
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.college import assigned_proposals
from app.services.exchange_errors import (
    EmptyRosterError,
    PublicationStoppedError,
    RosterTooLargeError,
)
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit
from app.sync.engine import Cancel
from app.sync.errors import CancelledError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Published:
    call_id: str
    sequence: int
    recipients: int
    remote_path: str
    copy: Path
    changes: Changes = field(default_factory=lambda: Changes(calls=True))
    # The substitutes who got their own package, by name.
    substitutes: tuple[str, ...] = ()
    # Parts sealed now (every package), and the attachments the full one lists.
    parts: int = 0
    attachments: int = 0
    # The outbox copy of the full package's parts (for a USB stick).
    parts_folder: Path | None = None


def publish_call(
    ws: OpenWorkspace,
    call_id: str,
    *,
    progress: Progress = lambda _text: None,
    cancel: Cancel | None = None,
) -> Published:
    """Sign and seal the call package (the next sequence) into the outbox,
    with the parts of its attachments that the outbox does not hold yet.

    ``cancel`` stops it between two attachments: the transaction is rolled
    back, so the outbox, the sequence and the audit log stay as they were.
    """
    try:
        return _publish(ws, call_id, progress, cancel or Cancel())
    except CancelledError:
        raise PublicationStoppedError(call_id) from None


def _publish(ws: OpenWorkspace, call_id: str, progress: Progress, cancel: Cancel) -> Published:
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, call_id)
        members = session.scalars(
            select(Member).where(Member.call_id == call_id).order_by(Member.id)
        ).all()
        if not members:
            raise EmptyRosterError(call_id)
        if len(members) > MAX_RECIPIENTS:
            raise RosterTooLargeError(len(members), MAX_RECIPIENTS)
        proposals = session.scalars(
            select(Proposal).where(Proposal.call_id == call_id).order_by(Proposal.code)
        ).all()
        sequence = call.package_sequence + 1
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        roster = [
            PackageMember(
                m.key_id,
                m.name,
                m.email,
                m.commission_role,
                PublicKeys(m.signing_public_key, m.sealing_public_key),
            )
            for m in members
        ]
        full = [m for m in roster if m.commission_role in FULL_MEMBER_ROLES]
        if not full:
            raise EmptyRosterError(call_id)
        assigned = {
            m.key_id: assigned_proposals(session, call_id, m)
            for m in members
            if m.commission_role == "substitute"
        }
        everything = [
            PackageProposal(
                id=p.code,
                title=p.title,
                applicant=p.applicant,
                applicant_tax_code=p.applicant_tax_code,
                legal_representative=p.legal_representative,
                partners=tuple(p.partners),
                neighbourhood=p.neighbourhood,
                thematic_area=p.thematic_area,
                total_cost=p.total_cost,
                requested_contribution=p.requested_contribution,
                summary=p.summary,
                admissible=p.admissible,
                inadmissible_reasons=tuple(p.inadmissible_reasons),
                attachments=tuple(
                    PackageAttachment(a.filename, a.sha256, None, a.size) for a in p.attachments
                ),
            )
            for p in proposals
        ]

        def build(proposals: list[PackageProposal], recipients: list[PackageMember]) -> bytes:
            return CallPackage.build(
                call_id=call_id,
                sequence=sequence,
                grid_hash=call.grid_hash,
                definition=call.definition,
                roster=roster,
                proposals=proposals,
                office=office,
                recipients=recipients,
                version=SUBCRITERIA_VERSION if call.grid.has_subcriteria else 1,
                attachments_in=parts.PARTS,
            )

        def queue_parts(proposals: list[PackageProposal], recipients: list[PackageMember]) -> int:
            return _queue_parts(
                session,
                ws,
                call_id,
                proposals=proposals,
                recipients=recipients,
                progress=progress,
                cancel=cancel,
            )

        sealed_parts = queue_parts(everything, full)
        sealed = build(everything, full)
        path = outbox.package_path(call_id, sequence)
        copy = outbox.add(session, ws, call_id=call_id, kind="package", path=path, data=sealed)
        served = []
        for substitute in roster:
            mine = assigned.get(substitute.key_id)
            if not mine:
                continue
            theirs = [p for p in everything if p.id in mine]
            sealed_parts += queue_parts(theirs, [substitute])
            own = build(theirs, [substitute])
            own_path = outbox.package_path(call_id, sequence, substitute.key_id)
            outbox.add(session, ws, call_id=call_id, kind="package", path=own_path, data=own)
            served.append(substitute.name)
        listed = len({a.sha256 for p in everything for a in p.attachments})
        call.package_sequence = sequence
        call.office_key_id = identity.key_id
        call.status = "published"
        call.published_at = call.published_at or utc_now()
        audit.append(
            session,
            actor=identity.key_id,
            action="call.published",
            call_id=call_id,
            details={
                "sequence": sequence,
                "recipients": len(full),
                "bytes": len(sealed),
                "substitutes": served,
                "attachments": listed,
                "parts_sealed": sealed_parts,
            },
        )
    folder = parts.folder(call_id, [m.key_id for m in full])
    return Published(
        call_id,
        sequence,
        len(full) + len(served),
        path,
        copy,
        substitutes=tuple(served),
        parts=sealed_parts,
        attachments=listed,
        parts_folder=ws.home / outbox.OUTBOX_FOLDER / Path(*folder.split("/")),
    )


def _queue_parts(
    session: Session,
    ws: OpenWorkspace,
    call_id: str,
    *,
    proposals: list[PackageProposal],
    recipients: list[PackageMember],
    progress: Progress,
    cancel: Cancel,
) -> int:
    """Seal into the outbox each attachment of ``proposals`` whose part for
    this recipient set is not there yet; the count sealed.

    One attachment in memory at a time: the outbox row is written and let go
    before the next (a regional call's PDFs do not fit in memory at once).
    """
    key_ids = [m.key_id for m in recipients]
    folder = parts.folder(call_id, key_ids) + "/"
    queued = set(
        session.scalars(
            select(OutboxItem.remote_path).where(
                OutboxItem.call_id == call_id, OutboxItem.remote_path.startswith(folder)
            )
        )
    )
    wanted = {a.sha256: None for p in proposals for a in p.attachments}
    missing = [sha for sha in wanted if parts.part_path(call_id, key_ids, sha) not in queued]
    sealed_to = [Recipient(m.key_id, m.keys.sealing) for m in recipients]
    for index, sha in enumerate(missing, start=1):
        cancel.check()
        progress(_("Attachment {index} of {total}…").format(index=index, total=len(missing)))
        content = session.scalars(
            select(Attachment.content)
            .join(Proposal)
            .where(Proposal.call_id == call_id, Attachment.sha256 == sha)
            .limit(1)
        ).one()
        data = parts.seal_part(bytes(content), call_id=call_id, recipients=sealed_to)
        path = parts.part_path(call_id, key_ids, sha)
        outbox.add(session, ws, call_id=call_id, kind="part", path=path, data=data, copy_only=True)
    return len(missing)
