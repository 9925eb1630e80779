"""What the proposal list says when it shows nothing: what to do next."""

from __future__ import annotations

from app.i18n import _
from app.ui.common.disabled import no_call_reason


def proposal_list_hint(role: str, *, has_call: bool, total: int, shown: int) -> str:
    """The sentence over an empty proposal list ("" when it is not empty)."""
    if shown:
        return ""
    if not has_call:
        if role == "secretariat":
            return _("No call yet: create one with Secretariat → New call (Ctrl+Shift+N).")
        return no_call_reason()
    if not total:
        if role == "secretariat":
            return _(
                "No proposals in this call yet: import them with Secretariat → Import "
                "proposals (Ctrl+Shift+I)."
            )
        return _("No proposals in this call yet: synchronise to receive the call package.")
    return _("No proposal matches the search or the status chosen: clear them to see all.")
