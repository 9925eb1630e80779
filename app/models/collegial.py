"""The commission's agreed (collegial) scores, as the secretariat records them.

Under ``method = "collegial"`` the members still score alone and send their
signed bundles (the preparatory work, kept as evidence); then, in a sitting,
the commission agrees one coefficient per proposal and criterion, with its
motivation and its vote: unanimous, or by majority with the names of the
members who dissented ("La Commissione, a maggioranza (contrari: …),
attribuisce…"). One row per proposal and criterion; recording it again
replaces it (audited) until the ranking is approved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, DecimalText, UtcDateTime, utc_now

# How the commission agreed a value.
VOTES = ("unanimous", "majority")


class CollegialScore(Base):
    """The commission's agreed coefficient on one criterion of one proposal.

    ``dissent`` holds the key ids of the members who voted against (empty
    when unanimous); ``sitting_id`` the recorded sitting where it was agreed.
    """

    __tablename__ = "collegial_scores"
    __table_args__ = (UniqueConstraint("proposal_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    value: Mapped[Decimal] = mapped_column(DecimalText)
    motivation: Mapped[str] = mapped_column(Text)
    vote: Mapped[str] = mapped_column(String(16))
    dissent: Mapped[list[str]] = mapped_column(JSON, default=list)
    sitting_id: Mapped[int | None] = mapped_column(
        ForeignKey("commission_sittings.id"), nullable=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
