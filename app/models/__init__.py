"""Domain entities (SQLAlchemy 2 declarative) and value objects.

No sessions and no I/O here: the store opens the database, the services use
these classes. The entities are loaded on first use (PEP 562), so that
importing a value module such as ``app.models.vocabulary`` or
``app.models.numbers`` does not import SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

_ENTITIES = {
    "AuditEvent": "app.models.audit",
    "Base": "app.models.base",
    "Call": "app.models.call",
    "CriterionRow": "app.models.call",
    "ConflictDeclaration": "app.models.evaluation",
    "ConflictHistoryEntry": "app.models.evaluation",
    "GeneralDeclaration": "app.models.evaluation",
    "Score": "app.models.evaluation",
    "Identity": "app.models.identity",
    "Member": "app.models.identity",
    "Substitution": "app.models.identity",
    "Attachment": "app.models.proposal",
    "Proposal": "app.models.proposal",
    "Setting": "app.models.setting",
    "TrustedOffice": "app.models.exchange",
    "Remote": "app.models.exchange",
    "OutboxItem": "app.models.exchange",
    "ScoreBundleRecord": "app.models.exchange",
    "ReceiptRecord": "app.models.exchange",
    "InboxEntry": "app.models.exchange",
    "RankingRecord": "app.models.funding",
    "CampaignResult": "app.models.funding",
    "FundingRecord": "app.models.funding",
    "CommissionSitting": "app.models.minutes",
    "CommissionDiscussion": "app.models.minutes",
    "CollegialScore": "app.models.collegial",
}

__all__ = [
    "Attachment",
    "AuditEvent",
    "Base",
    "Call",
    "CampaignResult",
    "CollegialScore",
    "CommissionDiscussion",
    "CommissionSitting",
    "ConflictDeclaration",
    "ConflictHistoryEntry",
    "CriterionRow",
    "FundingRecord",
    "GeneralDeclaration",
    "Identity",
    "InboxEntry",
    "Member",
    "OutboxItem",
    "Proposal",
    "RankingRecord",
    "ReceiptRecord",
    "Remote",
    "Score",
    "ScoreBundleRecord",
    "Setting",
    "Substitution",
    "TrustedOffice",
]

if TYPE_CHECKING:
    from app.models.audit import AuditEvent
    from app.models.base import Base
    from app.models.call import Call, CriterionRow
    from app.models.collegial import CollegialScore
    from app.models.evaluation import (
        ConflictDeclaration,
        ConflictHistoryEntry,
        GeneralDeclaration,
        Score,
    )
    from app.models.exchange import (
        InboxEntry,
        OutboxItem,
        ReceiptRecord,
        Remote,
        ScoreBundleRecord,
        TrustedOffice,
    )
    from app.models.funding import CampaignResult, FundingRecord, RankingRecord
    from app.models.identity import Identity, Member, Substitution
    from app.models.minutes import CommissionDiscussion, CommissionSitting
    from app.models.proposal import Attachment, Proposal
    from app.models.setting import Setting


def __getattr__(name: str) -> Any:
    if name not in _ENTITIES:
        raise AttributeError(f"module 'app.models' has no attribute {name!r}")
    # Every entity module is imported together: relationships name each other.
    from app.models import (
        audit,
        base,
        call,
        collegial,
        evaluation,
        exchange,
        funding,
        identity,
        minutes,
        proposal,
        setting,
    )

    modules = {m.__name__: m for m in (audit, base, call, collegial, evaluation, exchange,
                                       funding, identity, minutes, proposal, setting)}  # fmt: skip
    return getattr(modules[_ENTITIES[name]], name)
