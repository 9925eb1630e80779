"""The domain's codes and the words people read for them, in one place.

The codes (``professional``, ``no_quorum``, ``in_campaign``…) are stable:
they are stored, exchanged, printed by ``--json`` and the exports. Their
words are translated; the command line, the screens and the minutes all take
them from here, so a conflict category or a funding stage reads the same
everywhere. A shared leaf: it imports only :mod:`app.i18n`.
"""

from __future__ import annotations

import datetime as dt

from app.i18n import _, format_datetime

# Who a workspace belongs to, and a member's place in the commission.
ROLES = ("secretariat", "member")
# A substitute (supplente) evaluates only the proposals assigned to them, in
# place of a member in conflict.
COMMISSION_ROLES = ("president", "member", "substitute")
FULL_MEMBER_ROLES = ("president", "member")
# How many members evaluate each proposal: the whole commission (collegio
# perfetto, with substitutes for conflicts) or at least the call's quorum.
COLLEGES = ("complete", "quorum")
# Conflict-of-interest categories (art. 6-bis L. 241/1990, art. 7 DPR 62/2013).
CONFLICT_CATEGORIES = ("kinship", "professional", "economic", "membership", "other")
CALL_STATUSES = ("draft", "published", "closed")
# Where a member stands on one proposal, in the order the desk lists them.
SHEET_STATUSES = ("to_declare", "to_score", "partial", "complete", "conflicted", "inadmissible")
# Why a proposal is not in the ranking (DESIGN.md, CLI contract).
EXCLUSION_REASONS = (
    "below_threshold", "below_criterion_floor", "no_quorum", "inadmissible", "collegial_pending",
)  # fmt: skip
FUNDING_STATUSES = ("waiting", "in_campaign", "funded", "failed", "realised")
# The city's financial progress, as its reports name the stages.
STAGES = ("programmato", "ammesso", "giuridicamente_vincolante", "erogato")
# Where a member's score bundle is on its way to the city office.
RECEIPT_STATES = ("outbox", "sent", "received")


def role_label(role: str) -> str:
    """A workspace role as people say it."""
    return {"secretariat": _("secretariat"), "member": _("commission member")}.get(role, role)


def commission_role_label(role: str) -> str:
    """A member's role in the commission."""
    return {
        "president": _("President"),
        "member": _("Member"),
        "substitute": _("Substitute"),
    }.get(role, role)


def category_label(category: str | None) -> str:
    """A conflict-of-interest category as people say it."""
    return {
        "kinship": _("kinship or family ties"),
        "professional": _("professional relationship"),
        "economic": _("economic interest"),
        "membership": _("membership of the organisation"),
        "other": _("other"),
    }.get(category or "", category or "")


def sheet_status_label(status: str) -> str:
    """A sheet status as the member reads it."""
    return {
        "inadmissible": _("not admissible"),
        "to_declare": _("to declare"),
        "conflicted": _("conflict of interest"),
        "to_score": _("to score"),
        "partial": _("partial"),
        "complete": _("complete"),
        "not_assigned": _("not assigned to the substitute"),
    }.get(status, status)


def exclusion_label(reason: str) -> str:
    """Why a proposal is not in the ranking."""
    return {
        "below_threshold": _("total below the threshold"),
        "below_criterion_floor": _("below the minimum on a criterion"),
        "no_quorum": _("quorum of evaluators not reached"),
        "inadmissible": _("not admissible"),
        "collegial_pending": _("waiting for the commission's collegial scores"),
    }.get(reason, reason)


def funding_status_label(status: str) -> str:
    """Where a ranked project is in the matchfunding."""
    return {
        "waiting": _("waiting"),
        "in_campaign": _("in campaign"),
        "funded": _("funded"),
        "failed": _("campaign failed"),
        "realised": _("realised"),
    }.get(status, status)


def funding_note_label(note: str | None) -> str:
    """Why a ranked project still waits for the city's money ("" when it does not)."""
    return {
        "fund_exhausted": _("fund exhausted"),
        "line_stopped": _("in line"),
    }.get(note or "", note or "")


def funding_status_text(status: str, note: str | None) -> str:
    """The status with its note: ``in attesa: fondo esaurito``."""
    label = funding_status_label(status)
    reason = funding_note_label(note)
    return _("{status}: {reason}").format(status=label, reason=reason) if reason else label


def stage_label(stage: str) -> str:
    """The stages of the city's financial progress, as its reports name them."""
    return {
        "programmato": _("programmed"),
        "ammesso": _("admitted to funding"),
        "giuridicamente_vincolante": _("legally committed"),
        "erogato": _("paid"),
    }.get(stage, stage)


def receipt_state_label(state: str, moment: dt.datetime | None = None) -> str:
    """Where a score bundle is on its way to the city office (received: when)."""
    if state == "received" and moment is not None:
        return _("received by the city office on {moment}").format(moment=format_datetime(moment))
    return {
        "outbox": _("in the outbox"),
        "sent": _("sent, waiting for the receipt"),
        "received": _("received by the city office"),
    }.get(state, state)


def college_label(college: str) -> str:
    """How the call's college works, as the call editor and the minutes say it."""
    return {
        "complete": _("complete: the whole commission evaluates every proposal"),
        "quorum": _("quorum: at least the minimum number of evaluators"),
    }.get(college, college)


def rescale_label(rescale: str) -> str:
    """A re-scaling (riparametrazione) rule, as the call editor offers it."""
    return {
        "none": _("none"),
        "criterion": _("per criterion"),
        "total": _("on the total"),
        "criterion_then_total": _("per criterion, then on the total"),
    }.get(rescale, rescale)


def rounding_label(rounding: str) -> str:
    """How published totals are made, as the call editor offers it."""
    return {
        "total_of_unrounded": _("total of the unrounded points, then rounded"),
        "sum_of_rounded": _("sum of the rounded points of the criteria"),
    }.get(rounding, rounding)


def ties_label(ties: str) -> str:
    """Whether equal totals share a position, as the call editor offers it."""
    return {
        "full_order": _("full order: every tie is settled"),
        "ex_aequo": _(
            "ex aequo: equal totals share a position unless the tie crosses the funding line"
        ),
    }.get(ties, ties)


def allocation_label(allocation: str) -> str:
    """How the fund walks the ranking, as the call editor offers it."""
    return {
        "strict_order": _("ranking order: stop at the first project that does not fit"),
        "skip": _("skip: move on to the next project that fits"),
    }.get(allocation, allocation)


def overshoot_label(overshoot: str) -> str:
    """What a crowd that raised more than its share means for the city's match."""
    return {
        "remaining": _("the city covers the remaining cost: min(cap, request, cost − raised)"),
        "kept": _(
            "the crowd's excess stays with the project: min(cap, request, city's share of the cost)"
        ),
    }.get(overshoot, overshoot)


def tie_break_label(level: str, titles: dict[str, str]) -> str:
    """A step of the call's tie cascade: a criterion, or one of the two rules."""
    if level == "lower_request":
        return _("lower requested contribution")
    if level == "lottery":
        return _("verifiable lottery with a publicly drawn number")
    if level == "submission_order":
        return _("earlier submission (time, then protocol number)")
    return _("higher score on «{criterion}»").format(criterion=titles.get(level, level))


def tie_decision_label(level: str, titles: dict[str, str]) -> str:
    """The tie-break level that settled a place in the ranking ("" if none did)."""
    if level == "":
        return ""
    if level == "lottery":
        return _("lottery")
    if level == "pending":
        return _("tie waiting for the lottery")
    if level == "ex_aequo":
        return _("ex aequo (shared position)")
    return tie_break_label(level, titles)
