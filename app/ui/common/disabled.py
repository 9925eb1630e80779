"""A control that cannot be used says why (issue 15, finding 10).

:func:`enable` switches a ``QAction`` or a widget on, or off with the reason
in its tooltip and status tip (the status bar shows it when the pointer rests
on the disabled menu entry); switched back on, the control gets its own tip
again. :func:`unexplained` lists the disabled actions that say nothing: a test
walks the main window with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtGui import QAction

from app.i18n import _

OWN_TIP = "vaglio_own_tip"  # the tip a control shows when it can be used


def no_call_reason() -> str:
    """Why a call's action cannot run when no call is chosen or installed."""
    return _("No call open: join one with the secretariat's invitation, or synchronise.")


def set_tip(control: Any, tip: str) -> None:
    """The tip ``control`` shows when it can be used (tooltip and status tip)."""
    control.setProperty(OWN_TIP, tip)
    if control.isEnabled():
        control.setToolTip(tip)
        control.setStatusTip(tip)


def enable(control: Any, enabled: bool, why: str = "") -> None:
    """Enable ``control``, or disable it saying ``why`` (its tooltip and status tip)."""
    control.setEnabled(enabled)
    own = control.property(OWN_TIP)
    tip = (own or "") if enabled else why
    control.setToolTip(tip)
    control.setStatusTip(tip)


def _default_tooltip(action: QAction) -> str:
    """What Qt shows as a tooltip when none was set: the text without mnemonics."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def explained(action: QAction) -> bool:
    """Whether a disabled ``action`` says something beyond its own name."""
    tooltip = action.toolTip().strip()
    plain = _default_tooltip(action).strip()
    return bool(action.statusTip().strip()) or (
        bool(tooltip) and tooltip.rstrip(".…") != plain.rstrip(".…")
    )


def unexplained(actions: Iterable[QAction]) -> list[str]:
    """The disabled, visible, named actions of ``actions`` that do not say why."""
    return [
        _default_tooltip(action)
        for action in actions
        if action.text()
        and not action.isSeparator()
        and action.isVisible()
        and not action.isEnabled()
        and not explained(action)
    ]
