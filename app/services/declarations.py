"""The member's declarations: the general one, then one per proposal.

The general declaration of no incompatibility (art. 35-bis d.lgs. 165/2001;
art. 6-bis L. 241/1990; art. 7 DPR 62/2013) comes before anything else; its
text lives in ``resources/declarations`` in each language. Each proposal then
needs its own declaration before it can be scored: no conflict, or a conflict
with a category and a reason. A conflicted proposal stays readable but is
never scored: declaring a conflict withdraws the scores already given to it.
Every change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.i18n import current_language
from app.models import ConflictDeclaration, GeneralDeclaration, Proposal, Score
from app.models.base import utc_now
from app.models.evaluation import CONFLICT_CATEGORIES
from app.resources import resource_path
from app.services.changes import Changes
from app.services.evaluation_errors import (
    ConflictCategoryError,
    ConflictReasonMissingError,
    GeneralDeclarationMissingError,
)
from app.services.member_desk import MemberContext, member_context
from app.services.proposals import get_proposal
from app.services.unlocking import OpenWorkspace
from app.services.views import DeclarationText
from app.store import audit


@dataclass(frozen=True)
class DeclarationRecorded:
    proposal_id: str | None
    conflict: bool
    withdrawn_scores: int
    changes: Changes


def _read_text(language: str) -> tuple[str, str]:
    path = resource_path("declarations", f"general.{language}.txt")
    if not path.exists():
        path = resource_path("declarations", "general.it.txt")
    header, _blank, body = path.read_text(encoding="utf-8").partition("\n\n")
    return header.removeprefix("version:").strip(), body.strip()


def issued_text_versions() -> set[str]:
    """The versions of the declaration's text this Vaglio issues (any language)."""
    from app.i18n import LANGUAGES

    return {_read_text(code)[0] for code in LANGUAGES}


def general_declaration_text(ws: OpenWorkspace, call_id: str) -> DeclarationText:
    """The declaration the member is asked to make, filled in, in the current language."""
    with ws.session() as session:
        context = member_context(session, call_id)
        version, body = _read_text(current_language())
        return DeclarationText(
            version,
            body.format(name=context.member.name, call_title=context.call.title, call_id=call_id),
        )


def declare_general(ws: OpenWorkspace, call_id: str) -> DeclarationRecorded:
    """Make (or renew) the general declaration of no incompatibility."""
    version, _body = _read_text("it")
    with ws.session() as session:
        context = member_context(session, call_id)
        existing = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == context.member.id)
        ).first()
        if existing is None:
            session.add(GeneralDeclaration(member_id=context.member.id, text_version=version))
        else:
            existing.text_version = version
            existing.declared_at = utc_now()
        audit.append(
            session,
            actor=context.identity.key_id,
            action="declaration.general",
            call_id=call_id,
            details={"text_version": version, "renewed": existing is not None},
        )
    return DeclarationRecorded(None, False, 0, Changes(declarations=True))


def declare_proposal(
    ws: OpenWorkspace,
    call_id: str,
    proposal_id: str,
    *,
    conflict: bool,
    category: str | None = None,
    reason: str = "",
) -> DeclarationRecorded:
    """Declare no conflict, or a conflict (category and reason), for one proposal."""
    reason = reason.strip()
    if conflict:
        if category not in CONFLICT_CATEGORIES:
            raise ConflictCategoryError(str(category))
        if not reason:
            raise ConflictReasonMissingError()
    else:
        category, reason = None, ""
    with ws.session() as session:
        context = member_context(session, call_id)
        require_general(session, context)
        proposal = get_proposal(session, call_id, proposal_id)
        withdrawn = record_proposal_declaration(
            session, context, proposal, conflict=conflict, category=category, reason=reason
        )
    return DeclarationRecorded(
        proposal_id, conflict, withdrawn, Changes(declarations=True, scores=withdrawn > 0)
    )


def require_general(session: Session, context: MemberContext) -> None:
    """Refuse while the member has not made the general declaration."""
    if (
        session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == context.member.id)
        ).first()
        is None
    ):
        raise GeneralDeclarationMissingError(context.call.id)


def record_proposal_declaration(
    session: Session,
    context: MemberContext,
    proposal: Proposal,
    *,
    conflict: bool,
    category: str | None,
    reason: str,
    source: str | None = None,
) -> int:
    """Write one checked declaration, withdraw the scores a conflict excludes,
    audit it (``source``: the file it came from); the scores withdrawn."""
    member_id = context.member.id
    declaration = session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member_id,
            ConflictDeclaration.proposal_id == proposal.id,
        )
    ).first()
    previous = None if declaration is None else declaration.has_conflict
    if declaration is None:
        declaration = ConflictDeclaration(member_id=member_id, proposal_id=proposal.id)
        session.add(declaration)
    declaration.has_conflict = conflict
    declaration.category = category
    declaration.reason = reason
    declaration.declared_at = utc_now()
    withdrawn = 0
    if conflict:
        withdrawn = (
            session.scalar(
                select(func.count())
                .select_from(Score)
                .where(Score.member_id == member_id, Score.proposal_id == proposal.id)
            )
            or 0
        )
        session.execute(
            delete(Score).where(Score.member_id == member_id, Score.proposal_id == proposal.id)
        )
    details: dict[str, object] = {
        "conflict": conflict,
        "category": category,
        "reason": reason,
        "previous": previous,
        "withdrawn_scores": withdrawn,
    }
    if source is not None:
        details["source"] = source
    audit.append(
        session,
        actor=context.identity.key_id,
        action="declaration.proposal",
        call_id=context.call.id,
        subject=proposal.code,
        details=details,
    )
    return withdrawn
