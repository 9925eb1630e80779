"""The commission's agreed (collegial) scores as plain values.

Under ``method = "collegial"`` the points of a criterion are W_k times the
coefficient the commission agreed in a sitting, not the members' mean
(the members' own coefficients still mark the spread for discussion). These
values travel in the ranking view and are frozen with it at approval, so the
minutes print exactly what the ranking was computed from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

UNANIMOUS, MAJORITY = "unanimous", "majority"


@dataclass(frozen=True)
class CollegialDecision:
    """The commission's agreed coefficient on one criterion of one proposal."""

    proposal: str
    criterion: str
    value: Decimal
    motivation: str
    vote: str  # UNANIMOUS or MAJORITY
    dissent: tuple[str, ...]  # the dissenting members' names, in roster order
    sitting_on: dt.date | None  # the recorded sitting where it was agreed
    sitting_place: str = ""

    @property
    def unanimous(self) -> bool:
        return self.vote == UNANIMOUS


def agreed_values(
    decisions: Iterable[CollegialDecision],
) -> dict[str, dict[str, Decimal]]:
    """proposal -> criterion key -> agreed coefficient, as :func:`rank` takes them."""
    agreed: dict[str, dict[str, Decimal]] = {}
    for d in decisions:
        agreed.setdefault(d.proposal, {})[d.criterion] = d.value
    return agreed


def decision_document(d: CollegialDecision) -> dict[str, Any]:
    """One decision as JSON values (the frozen ranking document's ``collegial``)."""
    return {
        "proposal": d.proposal,
        "criterion": d.criterion,
        "value": f"{d.value:f}",
        "motivation": d.motivation,
        "vote": d.vote,
        "dissent": list(d.dissent),
        "sitting_on": None if d.sitting_on is None else d.sitting_on.isoformat(),
        "sitting_place": d.sitting_place,
    }


def decision_from(document: Mapping[str, Any]) -> CollegialDecision:
    """The decision a frozen ranking document holds."""
    on = document["sitting_on"]
    return CollegialDecision(
        proposal=document["proposal"],
        criterion=document["criterion"],
        value=Decimal(document["value"]),
        motivation=document["motivation"],
        vote=document["vote"],
        dissent=tuple(document["dissent"]),
        sitting_on=None if on is None else dt.date.fromisoformat(on),
        sitting_place=document["sitting_place"],
    )
