"""The minutes' words for the rules of issue 13 — publication rounding,
two-stage re-scaling and ties that matter — in sentences a reader can check
by hand against the ranking."""

from __future__ import annotations

from decimal import Decimal

from app.i18n import _, format_decimal, format_money
from app.models.rules import EX_AEQUO, SUM_OF_ROUNDED, Grid, Matchfunding

# ``decided_by`` of a place shared under ``ties = "ex_aequo"`` (app.scoring.ties).
SHARED = "ex_aequo"


def _number(value: Decimal) -> str:
    """A rule's number as written in the call, no forced places (``60``, ``0,6``)."""
    places = len(f"{value.normalize():f}".partition(".")[2])
    return format_decimal(value, places)


def rounding_sentence(rules: Grid) -> str:
    """How the published total is made from the criteria's points."""
    if rules.rounding == SUM_OF_ROUNDED:
        return _(
            "Each criterion's points are rounded half up to {decimals} decimal places and the "
            "total is the sum of the rounded points: the published points of the criteria "
            "always add up to the published total."
        ).format(decimals=rules.decimals)
    return _(
        "The total is computed on the unrounded points of the criteria and then rounded half "
        "up to {decimals} decimal places, so it may differ in the last decimal place from the "
        "sum of the published points of the criteria."
    ).format(decimals=rules.decimals)


def two_stage_sentence(rules: Grid) -> str:
    """Re-scaling per criterion, then on the total."""
    return _(
        "Re-scaling (riparametrazione) in two stages: first, on each criterion, the best "
        "proposal gets the maximum points and the others in proportion; then, on the totals so "
        "obtained, the best proposal gets the maximum total ({maximum}) and the others in "
        "proportion."
    ).format(maximum=_number(rules.max_total))


def ties_sentences(rules: Grid, money: Matchfunding | None) -> list[str]:
    """Whether equal totals share a position, and where the funding line is."""
    if rules.ties != EX_AEQUO:
        return [
            _(
                "Equal totals are always put in full order: by the tie-break rules of the "
                "call and, if they still leave proposals tied, by the lottery."
            )
        ]
    sentences = [
        _(
            "Proposals with equal totals share a position (ex aequo) unless their tie "
            "crosses the funding line; only such a tie is settled by the tie-break rules of "
            "the call and, if they still leave proposals tied across the line, by the lottery."
        )
    ]
    if money is not None:
        share = _number((1 - money.crowd_share) * 100)
        walk = (
            _("a proposal whose need does not fit stops the walk")
            if money.allocation == "strict_order"
            else _("a proposal whose need does not fit is passed over")
        )
        sentences.append(
            _(
                "The funding line: walking the ranking in order with the fund of {fund}, each "
                "proposal needs the smallest of {cap}, its requested contribution and {share}% "
                "of its total cost; {walk}. A tie crosses the line when the fund left when it "
                "is reached covers the needs of some of the tied proposals but not of all of "
                "them together."
            ).format(
                fund=format_money(money.fund), cap=format_money(money.cap), share=share, walk=walk
            )
        )
    return sentences


def shared_place_note() -> str:
    """The ranking's note on a place shared ex aequo."""
    return _("ex aequo (shared place): the tie does not cross the funding line")
