"""The demo's sittings and discussions, recorded as the secretariat would:
an opening sitting in person, a telematic one with a member absent, and the
discussion of P002's dispersion flags in it (the other flags are left
undiscussed, so the minutes show both kinds)."""

from __future__ import annotations

import datetime as dt

from app import clock
from app.services.discussions import list_flags, record_discussion
from app.services.sittings import add_sitting
from app.services.unlocking import OpenWorkspace

SECRETARY = "Dott.ssa Chiara Marelli"  # the call's segretario verbalizzante
DISCUSSED = "P002"


def record_demo_sittings(ws: OpenWorkspace, call_id: str) -> None:
    today = clock.today_in_rome()
    add_sitting(
        ws, call_id, held_on=today - dt.timedelta(days=1), starts_at="09:30", ends_at="12:30",
        place="Palazzo Marino, Sala Alessi",
        present=["Elena Colombo", "Marco Ferrari", "Sara Esposito"], secretary=SECRETARY,
        notes="Insediamento della Commissione.",
    )  # fmt: skip
    second = add_sitting(
        ws, call_id, held_on=today, starts_at="15:00", ends_at="16:45",
        telematic="Microsoft Teams del Comune di Milano",
        present=["Elena Colombo", "Marco Ferrari"], absent=["Sara Esposito"],
        secretary=SECRETARY,
    ).sitting  # fmt: skip
    for flag in list_flags(ws, call_id):
        if flag.proposal == DISCUSSED:
            record_discussion(
                ws, call_id, flag.proposal, flag.criterion, outcome="confirmed",
                note="I valori riflettono letture diverse della proposta, entrambe motivate.",
                sitting=second.id,
            )  # fmt: skip
