"""Before the approval: the dispersion flags no discussion was recorded for.

The approval goes ahead with them (the minutes will read "flagged, not
discussed"), but only after the secretariat has seen them named and ticked
the confirmation; the discussions are recorded in Ranking → Discussions of
the flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox

from app.i18n import _, n_
from app.ui.common.widgets import WARNING_STYLE, text_label

if TYPE_CHECKING:
    from app.services.unlocking import OpenWorkspace


def undiscussed(ws: OpenWorkspace, call_id: str) -> list[Any]:
    from app.services.discussions import undiscussed_flags

    return undiscussed_flags(ws, call_id)


def undiscussed_text(flags: Sequence[Any]) -> str:
    names = "; ".join(f"{f.proposal} {f.criterion_title}" for f in flags)
    return n_(
        "{count} dispersion flag was not discussed: {flags}. The minutes will read "
        "\u201cflagged, not discussed\u201d (record the discussion in Ranking and funding, "
        "Discussions of the flags).",
        "{count} dispersion flags were not discussed: {flags}. The minutes will read "
        "\u201cflagged, not discussed\u201d for each (record the discussions in Ranking "
        "and funding, Discussions of the flags).",
        len(flags),
    ).format(count=len(flags), flags=names)


class UndiscussedQuestion:
    """The label naming the flags and the box that confirms approving anyway."""

    def __init__(self) -> None:
        self.label = text_label(name=_("Dispersion flags not discussed"))
        self.label.setStyleSheet(WARNING_STYLE)
        self.confirm = QCheckBox(_("Approve &anyway, with these flags not discussed"))
        self.label.setVisible(False)
        self.confirm.setVisible(False)
        self.asked = False

    def needs_answer(self, flags: Sequence[Any]) -> bool:
        """Show the question when there are flags; True while it is unanswered."""
        if not flags:
            return False
        self.label.setText(undiscussed_text(flags))
        self.label.setVisible(True)
        self.confirm.setVisible(True)
        if not self.asked:
            self.asked = True
            self.confirm.setFocus()
        return not self.confirm.isChecked()
