"""The schema revisions this version of Vaglio knows, oldest first.

Apart from :mod:`app.store.schema` so that a reader that needs only the
revision (the first rows of a cold start, :mod:`app.services.first_rows`)
imports neither SQLAlchemy nor Alembic; a test keeps this list equal to the
migration scripts.
"""

from __future__ import annotations

REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
)  # fmt: skip
HEAD = REVISIONS[-1]
