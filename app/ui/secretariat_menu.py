"""The secretariat's menu: setting up a call before publication.

(Filled in by the call set-up screens: create or edit a call and its grid,
import proposals with a preview, admissibility by hand, enrolment from cards,
publication.)
"""

from __future__ import annotations

from typing import Any

from app.i18n import _


def install(window: Any) -> None:
    """Add the secretariat's menu to ``window`` (a MainWindow, already unlocked)."""
    window.secretariat_menu = window.menuBar().addMenu(_("&Secretariat"))
