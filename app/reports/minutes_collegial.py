"""The commission's collegial scores in the minutes (method "collegial").

Each criterion of a proposal carries the sentence the Italian minutes use:
"Nella seduta del 4 marzo 2026, la Commissione, a maggioranza (contrari:
Mario Rossi), attribuisce 0,80: <motivazione>". Only recorded facts: the
sitting is named only when the secretariat tied the decision to a recorded
one, the dissenting members are those it recorded.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from app.i18n import _, format_date, format_decimal
from app.models.methods import COEFFICIENT_PLACES
from app.models.rules import Grid
from app.reports.minutes_layout import Styles, escape
from app.scoring.collegial import CollegialDecision


def decision_sentence(d: CollegialDecision) -> str:
    """The decision as the minutes say it, in one sentence."""
    value = format_decimal(d.value, COEFFICIENT_PLACES)
    if d.unanimous:
        sentence = _("the Commission, unanimously, gives {value}: {motivation}")
    else:
        sentence = _("the Commission, by majority (against: {names}), gives {value}: {motivation}")
    text = sentence.format(value=value, names=", ".join(d.dissent), motivation=d.motivation)
    if d.sitting_on is None:
        return text[:1].upper() + text[1:]
    return _("In the sitting of {day}, {decision}").format(
        day=format_date(d.sitting_on), decision=text
    )


def decision_cell(decisions: tuple[CollegialDecision, ...], key: str, s: Styles) -> Any | None:
    """The decision on criterion ``key`` as a table cell, or None if there is none."""
    decision = next((d for d in decisions if d.criterion == key), None)
    if decision is None:
        return None
    return Paragraph(escape(decision_sentence(decision)), s.motivation)


def intro(individual: bool) -> str:
    """What section 5 shows under the collegial method."""
    if individual:
        return _(
            "For each proposal: the points of each criterion, the coefficient the "
            "commission agreed with its motivation and vote, and, as the call requires, "
            "each member's own coefficients and motivations (their preparatory work)."
        )
    return _(
        "For each proposal: the points of each criterion and the coefficient the commission "
        "agreed, with its motivation and vote. The call does not put the members' own "
        "coefficients in the minutes: they stay in the signed score bundles listed in the "
        "annex."
    )


def rules_sentence(rules: Grid) -> str:
    """Whether the minutes print the members' own coefficients beside the agreed ones."""
    if rules.individual_scores_in_minutes:
        return _(
            "As the call requires, the minutes print each member's own coefficients "
            "beside the coefficients agreed by the commission."
        )
    return _(
        "The minutes print only the coefficients agreed by the commission; the members' "
        "own coefficients stay in their signed score bundles."
    )
