"""A stored inadmissibility reason as a sentence in the current language.

Apart from the import of proposals so that a list can say why a proposal is not
admissible without importing the database layer (the first rows of a cold
start, :mod:`app.services.first_rows`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.i18n import _, format_money
from app.models.reasons import REASON_COST_ABOVE_MAXIMUM, REASON_REQUEST_ABOVE_RULE


def describe_reason(reason: dict[str, Any]) -> str:
    """A stored inadmissibility reason as a sentence in the current language."""
    code = reason.get("code")
    params = reason.get("params", {})
    if code == REASON_COST_ABOVE_MAXIMUM:
        return _("total cost {total_cost} above the call's maximum {maximum}").format(
            total_cost=format_money(Decimal(params["total_cost"])),
            maximum=format_money(Decimal(params["maximum"])),
        )
    if code == REASON_REQUEST_ABOVE_RULE:
        return _(
            "requested contribution {requested} above the {allowed} the matchfunding rule allows"
        ).format(
            requested=format_money(Decimal(params["requested"])),
            allowed=format_money(Decimal(params["allowed"])),
        )
    return _("set by the secretariat: {reason}").format(reason=params.get("reason", ""))
