"""The domain's closed vocabularies, importable without SQLAlchemy.

The codes are defined once, with their words, in :mod:`app.labels`.
"""

from __future__ import annotations

from app.labels import CALL_STATUSES, COMMISSION_ROLES, CONFLICT_CATEGORIES, ROLES

__all__ = ["CALL_STATUSES", "COMMISSION_ROLES", "CONFLICT_CATEGORIES", "ROLES"]
