"""How the ranking's and the funding's codes read to people (both languages).

The codes themselves (``no_quorum``, ``in_campaign``…) are the stable ones
of the CLI contract and the exports; these are only their wording.
"""

from __future__ import annotations

from app.i18n import _


def exclusion_label(reason: str) -> str:
    """Why a proposal is not in the ranking."""
    return {
        "below_threshold": _("total below the threshold"),
        "below_criterion_floor": _("below the minimum on a criterion"),
        "no_quorum": _("quorum of evaluators not reached"),
        "inadmissible": _("not admissible"),
    }.get(reason, reason)


def funding_status_label(status: str) -> str:
    return {
        "waiting": _("waiting"),
        "in_campaign": _("in campaign"),
        "funded": _("funded"),
        "failed": _("campaign failed"),
        "realised": _("realised"),
    }.get(status, status)


def stage_label(stage: str) -> str:
    """The stages of the city's financial progress, as its reports name them."""
    return {
        "programmato": _("programmed"),
        "ammesso": _("admitted to funding"),
        "giuridicamente_vincolante": _("legally committed"),
        "erogato": _("paid"),
    }.get(stage, stage)


def tie_level_label(level: str, criteria: dict[str, str]) -> str:
    """The tie-break level that settled a place: a criterion's title, or the rule."""
    if level == "":
        return ""
    if level == "lower_request":
        return _("lower requested contribution")
    if level == "lottery":
        return _("lottery")
    if level == "pending":
        return _("tie waiting for the lottery")
    return _("higher score on «{criterion}»").format(criterion=criteria.get(level, level))
