"""How the minutes word the rules and codes they report (both languages)."""

from __future__ import annotations

from decimal import Decimal

from app.i18n import _, format_decimal, format_money
from app.models.rules import Grid, Matchfunding
from app.reports.minutes_rule_words import rounding_sentence, two_stage_sentence


def points(value: Decimal | None, places: int) -> str:
    return "—" if value is None else format_decimal(value, places)


def plain_number(value: Decimal) -> str:
    """A rule's number as written in the call (``60``, ``0,6``), no forced places."""
    text = f"{value.normalize():f}"
    places = len(text.partition(".")[2])
    return format_decimal(value, places)


def method_sentences(rules: Grid) -> list[str]:
    """The evaluation method, one sentence per rule, as the minutes state it."""
    sentences = [rules.scoring.sentence()]
    if rules.scoring.collegial:
        from app.reports.minutes_collegial import rules_sentence

        sentences.append(rules_sentence(rules))
    sentences.append(
        _(
            "Points are rounded half up to {decimals} decimal places for publication; the "
            "ranking and the tie-breaks compare the rounded values. A missing score is never "
            "counted as zero and a conflicted member's scores never enter any figure."
        ).format(decimals=rules.decimals)
    )
    sentences.append(
        _(
            "A proposal is ranked if it was scored by at least {count} members without a "
            "conflict of interest, reaches a total of at least {threshold} points and the "
            "minimum set for each criterion; thresholds apply before any re-scaling."
        ).format(count=rules.min_evaluators, threshold=plain_number(rules.threshold))
    )
    sentences.append(
        {
            "none": _("The call provides for no re-scaling (riparametrazione)."),
            "criterion": _(
                "Re-scaling (riparametrazione) by criterion: on each criterion the best "
                "proposal gets the maximum points and the others in proportion."
            ),
            "total": _(
                "Re-scaling (riparametrazione) of the total: the best proposal gets the "
                "maximum total and the others in proportion."
            ),
        }.get(rules.rescale)
        or two_stage_sentence(rules)
    )
    sentences.insert(2, rounding_sentence(rules))
    sentences.append(
        _(
            "A spread of {flag} or more between the highest and the lowest value given on a "
            "criterion marks it for discussion by the commission; the mark never changes a "
            "score. Each score carries a written motivation of at least {chars} characters."
        ).format(flag=plain_number(rules.dispersion_flag), chars=rules.justification_min_chars)
    )
    from app.reports.minutes_subcriteria import subcriteria_sentences

    return sentences + subcriteria_sentences(rules)


def money_sentences(rule: Matchfunding) -> list[str]:
    """The call's matchfunding rule as the minutes state it, checkable by hand."""
    walk = (
        _("walking the ranking, it stops at the first project the fund cannot cover")
        if rule.allocation == "strict_order"
        else _("walking the ranking, it skips a project the fund cannot cover and moves on")
    )
    contribution = (
        _(
            "the contribution is the smallest of the cap, the requested contribution and the "
            "remaining cost (cost minus what the crowd raised)"
        )
        if rule.overshoot == "remaining"
        else _(
            "the contribution is the smallest of the cap, the requested contribution and "
            "{share}% of the cost, whatever the crowd raised beyond its share"
        ).format(share=plain_number((1 - rule.crowd_share) * 100))
    )
    return [
        _(
            "Matchfunding: a project whose crowd raises at least {crowd}% of its cost within "
            "{days} days of the approval receives a contribution from the city's fund of {fund} "
            "(at most {cap} per project); {contribution}; {walk}. A project whose campaign "
            "fails leaves the line, and the money it frees goes to the best-ranked project "
            "still waiting."
        ).format(
            crowd=plain_number(rule.crowd_share * 100),
            days=rule.campaign_days,
            fund=format_money(rule.fund),
            cap=format_money(rule.cap),
            contribution=contribution,
            walk=walk,
        )
    ]
