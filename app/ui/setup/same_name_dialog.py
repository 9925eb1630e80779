"""The question before enrolling a card whose name is already on the roster
with another key: two people who share a name, or one person with two keys?
Both fingerprints are shown large, to be compared with their owners; the
safe answer (cancel, nothing enrolled) is the default."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from app.errors import echo
from app.i18n import _
from app.ui.common.screen_fit import keep_geometry
from app.ui.common.widgets import note_label, text_label
from app.ui.setup.enrollment_dialog import fingerprint_label


class SameNameDialog(QDialog):
    """Accepted: they are two people, enrol; rejected: nothing is enrolled."""

    def __init__(
        self, name: str, call_id: str, existing: str, new: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Same name on the roster"))
        keep_geometry(self)
        self.setMinimumWidth(600)
        self.intro = text_label(
            _("{name} is already on the roster of {call_id} with the fingerprint:").format(
                name=echo(name), call_id=call_id
            )
        )
        self.existing = fingerprint_label(existing, _("Fingerprint already on the roster"))
        self.new_intro = text_label(_("The card being enrolled has the fingerprint:"))
        self.new = fingerprint_label(new, _("Fingerprint of the card being enrolled"))
        self.explanation = note_label(
            _(
                "Two people may share a name, but one person must not sit twice with two keys. "
                "Enrol only if they are two different people and you have compared both "
                "fingerprints with their owners."
            )
        )
        self.explanation.setStyleSheet("")
        buttons = QDialogButtonBox()
        self.yes = buttons.addButton(
            _("&Two different people: enrol"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.no = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.no.setDefault(True)
        self.no.setAutoDefault(True)
        self.yes.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.existing)
        layout.addSpacing(6)
        layout.addWidget(self.new_intro)
        layout.addWidget(self.new)
        layout.addSpacing(6)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)
        self.no.setFocus()

    def text(self) -> str:
        """What the dialog says, for tests and for copying."""
        return "\n".join(
            label.text()
            for label in (self.intro, self.existing, self.new_intro, self.new, self.explanation)
        )
