"""The commission's sittings (sedute) and its discussions of dispersion flags,
as the secretariat records them for the minutes.

The evaluation itself happens offline on each member's laptop, so the app has
no sittings of its own: these rows are what the secretariat writes down about
the meetings that took place (day, start and end, place or telematic tool,
who was present and absent, who took the minutes) and about what the
commission did in them with each dispersion flag. The minutes print these
records and nothing else: no sitting is ever inferred.

Sittings recorded before migration 0011 hold NULL in ``starts_at``,
``ends_at``, ``mode``, ``absent`` and ``secretary``: the minutes say those
were not recorded.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utc_now

IN_PERSON = "in_person"
TELEMATIC = "telematic"
CONFIRMED = "confirmed"
REVISED = "revised"


class CommissionSitting(Base):
    """One sitting of a call's commission; ``present``/``absent`` hold members' key ids.

    ``place`` is the place of an in-person sitting, or the tool of a
    telematic one (``mode``).
    """

    __tablename__ = "commission_sittings"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    present: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    starts_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    ends_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    absent: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    secretary: Mapped[str | None] = mapped_column(Text, nullable=True)


class CommissionDiscussion(Base):
    """What the commission did in a sitting about one dispersion flag."""

    __tablename__ = "commission_discussions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    criterion_key: Mapped[str] = mapped_column(String(64))
    sitting_id: Mapped[int] = mapped_column(ForeignKey("commission_sittings.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
