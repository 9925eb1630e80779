"""The commission's sittings (sedute) as the secretariat records them for the minutes.

The evaluation itself happens offline on each member's laptop, so the app has
no sittings of its own: these rows are what the secretariat writes down about
the meetings that took place (date, place or mode, who was there). The minutes
add the approval of the ranking when no sitting is recorded on that day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utc_now


class CommissionSitting(Base):
    """One sitting of a call's commission; ``present`` holds members' key ids."""

    __tablename__ = "commission_sittings"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    present: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
