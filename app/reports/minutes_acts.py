"""How the minutes state the call's acts (:mod:`app.models.call_acts`): the
act that approved the call and its publication, the act that appointed the
commission, the RUP, the named secretary, and the place and date before the
signatures.

Only what the call file records is printed: the services refuse the minutes
of a call that lacks any of them (``app/services/call_acts.py``), so nothing
here has to make one up. The date before the signatures is the day the
ranking was approved (in Rome), a recorded fact; each signature carries its
own signing time.
"""

from __future__ import annotations

import datetime as dt

from app.clock import day_in_rome
from app.i18n import _, format_date
from app.models.call_acts import Act, CallActs


def act_words(act: Act) -> str:
    """``Determinazione dirigenziale n. 4127/2020 del 12/05/2020 (Direzione …)``"""
    return _("{kind} no. {number} of {date} ({office})").format(
        kind=act.kind, number=act.number, date=format_date(act.date), office=act.office
    )


def title_facts(acts: CallActs) -> list[tuple[str, str]]:
    """The acts as rows of the title block (only those recorded)."""
    rows = []
    if acts.call_approval is not None:
        rows.append((_("Call approved by"), act_words(acts.call_approval)))
    if acts.publication is not None:
        rows.append(
            (
                _("Call published"),
                _("{where}, on {date}").format(
                    where=acts.publication.where, date=format_date(acts.publication.date)
                ),
            )
        )
    if acts.commission_appointment is not None:
        rows.append((_("Commission appointed by"), act_words(acts.commission_appointment)))
    if acts.rup:
        rows.append((_("RUP (responsabile unico del procedimento)"), acts.rup))
    return rows


def premise_sentences(acts: CallActs) -> list[str]:
    """The acts in the premises, one sentence each (only those recorded)."""
    sentences = []
    if acts.call_approval is not None:
        sentence = _("The call was approved by {act}").format(act=act_words(acts.call_approval))
        if acts.publication is not None:
            sentence += _(" and published on {where} on {date}").format(
                where=acts.publication.where, date=format_date(acts.publication.date)
            )
        sentences.append(sentence + ".")
    elif acts.publication is not None:
        sentences.append(
            _("The call was published on {where} on {date}.").format(
                where=acts.publication.where, date=format_date(acts.publication.date)
            )
        )
    if acts.commission_appointment is not None:
        sentences.append(
            _("The evaluation commission was appointed by {act}.").format(
                act=act_words(acts.commission_appointment)
            )
        )
    if acts.rup:
        sentences.append(
            _("The responsabile unico del procedimento (RUP) is {rup}.").format(rup=acts.rup)
        )
    return sentences


def place_and_date(acts: CallActs, approved_at: dt.datetime) -> str:
    """``Milano, 22/07/2020``: the place of signature and the day of the approval."""
    day = format_date(day_in_rome(approved_at))
    return f"{acts.place}, {day}" if acts.place else day
