"""The domain's closed vocabularies, importable without SQLAlchemy."""

from __future__ import annotations

ROLES = ("secretariat", "member")
COMMISSION_ROLES = ("president", "member")
# Conflict-of-interest categories (art. 6-bis L. 241/1990, art. 7 DPR 62/2013).
CONFLICT_CATEGORIES = ("kinship", "professional", "economic", "membership", "other")
CALL_STATUSES = ("draft", "published", "closed")
