"""What the secretariat's empty views say to do next (issue 15, finding 10):
the completeness matrix before any member or bundle, the ranking before any
bundle. Plain functions of what the views show, so each sentence is tested."""

from __future__ import annotations

from typing import Any

from app.i18n import _


def completeness_hint(members: int, bundles: int) -> str:
    """Over the matrix, or above it: "" when members sent bundles."""
    if not members:
        return _(
            "No commission member enrolled yet: enrol them from their cards with Secretariat → "
            "Enrol members from cards (Ctrl+Shift+M), then publish the call."
        )
    if not bundles:
        return _(
            "No evaluation sheet received yet: the members' bundles arrive when you "
            "synchronise with the exchange folder (Exchange → Synchronise) or import "
            "their files (Exchange → Import files…, Ctrl+I)."
        )
    return ""


def ranking_hint(view: Any) -> str:
    """Over the empty table of ranked proposals."""
    if not view.bundles:
        return _(
            "No score bundle received yet: the ranking appears when the members' bundles arrive "
            "(Synchronise, Ctrl+Shift+S)."
        )
    return _("No proposal is ranked yet: the Not ranked tab says why for each.")
