"""The approved ranking for publication: the albo pretorio's PDF and the
crowdfunding platform's CSV, always in Italian.

Built from the frozen ranking document only (``approved_view``): refused
before approval, with nothing written. The proposals' tax codes and legal
representatives are read from the proposals only when the call's
``[publication] fields`` asks for them (docs/publication.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.i18n import _, current_language, set_language
from app.labels import exclusion_label
from app.models import Proposal
from app.reports.publication import (
    PublicationView,
    PublishedCriterion,
    PublishedRow,
    publication_csv,
    publication_pdf,
)
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.files import write_output
from app.services.ranking import approved_view
from app.services.ranking_errors import RankingNotApprovedError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

FORMATS = (".pdf", ".csv")


class PublicationBeforeApprovalError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The ranking of {call_id} is published after its approval: approve it first "
                "(vaglio ranking {call_id} --approve)."
            ).format(call_id=call_id)
        )


class PublicationFormatError(ServiceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _("Write the publication to a .pdf or a .csv file, not {name}.").format(name=name)
        )


@contextmanager
def italian() -> Iterator[None]:
    """The publication is an Italian act whatever the interface's language.

    The language is the process's: with an English interface, the GUI thread
    may meet Italian words while the worker writes the file (the default
    Italian interface never switches).
    """
    before = current_language()
    if before == "it":
        yield
        return
    set_language("it")
    try:
        yield
    finally:
        set_language(before)


def publication_view(ws: OpenWorkspace, call_id: str) -> PublicationView:
    """What the published ranking shows (secretariat, after approval)."""
    with ws.session() as session:
        require_role(session, "secretariat")
        try:
            ranking = approved_view(session, call_id)
        except RankingNotApprovedError:
            raise PublicationBeforeApprovalError(call_id) from None
        call = get_call(session, call_id)
        fields = call.parsed.outputs.publication_fields
        people = {
            p.code: (p.applicant_tax_code, p.legal_representative)
            for p in session.scalars(select(Proposal).where(Proposal.call_id == call_id))
        }
    assert ranking.approved_at is not None and ranking.document_sha256 is not None

    def extra(code: str) -> dict[str, str]:
        tax_code, representative = people.get(code, ("", ""))
        return {
            "tax_code": tax_code if "tax_code" in fields else "",
            "legal_representative": representative if "legal_representative" in fields else "",
        }

    rows = [
        PublishedRow(r.rank, r.proposal, r.title, r.applicant, r.total, dict(r.criteria),
                     _("admitted to the ranking"), "", **extra(r.proposal))
        for r in ranking.rows
    ] + [
        PublishedRow(None, e.proposal, e.title, e.applicant, e.total, dict(e.criteria),
                     _("not admitted"), exclusion_label(e.reason), **extra(e.proposal))
        for e in ranking.excluded
    ]  # fmt: skip
    return PublicationView(
        call=call.parsed.info,
        criteria=tuple(
            PublishedCriterion(c.key, c.title, c.max_points) for c in ranking.grid.criteria
        ),
        decimals=ranking.grid.decimals,
        rows=tuple(rows),
        approved_at=ranking.approved_at,
        document_sha256=ranking.document_sha256,
        fields=fields,
    )


def publication_content(ws: OpenWorkspace, call_id: str, kind: str) -> bytes:
    """The PDF (``.pdf``) or CSV (``.csv``) bytes of the published ranking."""
    if kind not in FORMATS:
        raise PublicationFormatError(kind)
    with italian():
        view = publication_view(ws, call_id)
        if kind == ".csv":
            return publication_csv(view).encode("utf-8")
        return publication_pdf(view).content


@dataclass(frozen=True)
class PublicationWritten:
    path: Path
    sha256: str
    changes: Changes = field(default_factory=Changes)


def write_publication(ws: OpenWorkspace, call_id: str, out: Path) -> PublicationWritten:
    """Write the published ranking to ``out`` (its suffix says PDF or CSV); audited.

    Everything that can be refused is refused before ``out`` is touched.
    """
    kind = out.suffix.lower()
    if kind not in FORMATS:
        raise PublicationFormatError(out.name)
    content = publication_content(ws, call_id, kind)
    digest = hashlib.sha256(content).hexdigest()
    write_output(out, content)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        audit.append(
            session,
            actor=identity.key_id,
            action="ranking.publication",
            call_id=call_id,
            details={"format": kind.lstrip("."), "sha256": digest},
        )
    return PublicationWritten(out, digest)
