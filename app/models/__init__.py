"""Domain entities (SQLAlchemy 2 declarative) and value objects.

No sessions and no I/O here: the store opens the database, the services use
these classes.
"""

from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.call import Call, Criterion, MatchfundingRule, ScoringRules
from app.models.evaluation import ConflictDeclaration, GeneralDeclaration, Score
from app.models.identity import Identity, Member
from app.models.proposal import Attachment, Proposal
from app.models.setting import Setting

__all__ = [
    "Attachment",
    "AuditEvent",
    "Base",
    "Call",
    "ConflictDeclaration",
    "Criterion",
    "GeneralDeclaration",
    "Identity",
    "MatchfundingRule",
    "Member",
    "Proposal",
    "Score",
    "ScoringRules",
    "Setting",
]
