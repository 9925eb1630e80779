"""Enrolling commission members from their cards.

Each card shows who it says it is and its fingerprint, large, for the
secretary to read aloud with its owner: the fingerprint is what binds the
keys in the file to the person, since anyone can write a card with any name.
A card whose name is already on the roster with another key is enrolled only
after the secretary confirms, both fingerprints in view, that they are two
people: one person must not sit twice with two keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError, echo
from app.i18n import _, n_
from app.labels import COMMISSION_ROLES, commission_role_label
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import ERROR_STYLE, error_label, explain, note_label

if TYPE_CHECKING:
    from app.services.cards import CardView
    from app.services.changes import Changes
    from app.services.unlocking import OpenWorkspace

FINGERPRINT_POINTS = 17


@dataclass(frozen=True)
class CardFile:
    """A chosen card file: what it says, or why it cannot be enrolled."""

    path: Path
    data: bytes
    card: CardView | None
    problem: str


def read_card_files(ws: OpenWorkspace, call_id: str, paths: list[Path]) -> list[CardFile]:
    """Read and verify each card (runs on the worker); flags what cannot be enrolled."""
    from app.services.cards import read_card
    from app.services.roster import roster

    enrolled = {member.key_id for member in roster(ws, call_id)}
    seen: set[str] = set()
    result = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problem = _("Cannot read {path}: {detail}.").format(path=path, detail=exc.strerror)
            result.append(CardFile(path, b"", None, problem))
            continue
        try:
            card = read_card(data)
        except VaglioError as exc:
            result.append(CardFile(path, data, None, str(exc)))
            continue
        problem = ""
        if card.role != "member":
            problem = _("This card belongs to a secretariat, not to a commission member.")
        elif card.key_id in enrolled:
            problem = _("{name} is already on the roster of {call_id}.").format(
                name=card.name, call_id=call_id
            )
        elif card.key_id in seen:
            problem = _("The same card was chosen twice.")
        seen.add(card.key_id)
        result.append(CardFile(path, data, card, problem))
    return result


def grouped_fingerprint(fingerprint: str) -> str:
    """Ten groups of four on two lines of five, easier to read aloud."""
    groups = fingerprint.split()
    if len(groups) <= 5:
        return fingerprint
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def fingerprint_label(fingerprint: str, name: str) -> QLabel:
    """A fingerprint large, fixed-width and selectable, on two lines."""
    label = QLabel(grouped_fingerprint(fingerprint))
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(FINGERPRINT_POINTS)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.setAccessibleDescription(fingerprint)
    return label


class EnrollmentDialog(QDialog):
    """The chosen cards, their fingerprints and commission roles; enrols them all or none."""

    enrolled = Signal(list)  # [CardView]

    def __init__(
        self,
        ops: Ops,
        call_id: str,
        cards: list[CardFile],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.call_id = call_id
        self.cards = cards
        self.same_name_box: QDialog | None = None
        self.setWindowTitle(_("Enrol members in {call_id}").format(call_id=call_id))
        fit_to_screen(self, 760, 640)
        self.intro = intro = QLabel(
            _(
                "Before enrolling, read each fingerprint aloud with its owner, in person or "
                "on the phone, and compare it with the one their Vaglio shows. Enrol only the "
                "cards whose fingerprint matches."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("font-weight: bold;")
        self.role_boxes: dict[int, QComboBox] = {}
        self.fingerprint_labels: dict[int, QLabel] = {}
        panels = QWidget()
        panels_layout = QVBoxLayout(panels)
        for index, entry in enumerate(cards):
            panels_layout.addWidget(self._panel(index, entry))
        panels_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panels)

        self.confirm = QCheckBox(_("I have &compared every fingerprint with its owner"))
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        count = len(self.enrollable())
        if count:
            self.ok.setText(
                n_("&Enrol {count} member", "&Enrol {count} members", count).format(count=count)
            )
        else:
            self.ok.setText(_("&Enrol"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.confirm.toggled.connect(lambda checked: self.ok.setEnabled(checked and count > 0))
        self.confirm.setEnabled(count > 0)
        self.buttons.accepted.connect(self.enrol)
        self.buttons.rejected.connect(self.reject)
        skipped = len(cards) - count
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        if skipped and count:
            layout.addWidget(
                note_label(
                    n_(
                        "{count} card cannot be enrolled (see above); the others can.",
                        "{count} cards cannot be enrolled (see above); the others can.",
                        skipped,
                    ).format(count=skipped)
                )
            )
        elif skipped:
            layout.addWidget(note_label(_("None of these cards can be enrolled (see above).")))
        layout.addWidget(self.confirm)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.confirm.setFocus()

    def _panel(self, index: int, entry: CardFile) -> QGroupBox:
        box = QGroupBox(entry.path.name)
        form = QFormLayout(box)
        card = entry.card
        if card is not None:
            for title, text in ((_("Name"), card.name), (_("E-mail"), card.email or "—")):
                label = QLabel(text)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setAccessibleName(title)
                form.addRow(title + ":", label)
            fingerprint = fingerprint_label(
                card.fingerprint, _("Fingerprint of {name}").format(name=card.name)
            )
            self.fingerprint_labels[index] = fingerprint
            form.addRow(_("Fingerprint") + ":", fingerprint)
        if entry.problem:
            problem = QLabel(entry.problem)
            problem.setWordWrap(True)
            problem.setStyleSheet(ERROR_STYLE)
            form.addRow(problem)
            return box
        roles = QComboBox()
        # A member first: most cards are members', and the first item is the default.
        for value in sorted(COMMISSION_ROLES, key=lambda role: role != "member"):
            roles.addItem(commission_role_label(value), value)
        roles.setAccessibleName(
            _("Commission role of {name}").format(name=card.name if card else "")
        )
        role_label = QLabel(_("Commission &role:"))
        role_label.setBuddy(roles)
        form.addRow(role_label, roles)
        self.role_boxes[index] = roles
        return box

    def enrollable(self) -> list[int]:
        return [i for i, entry in enumerate(self.cards) if entry.card and not entry.problem]

    def set_role(self, index: int, role: str) -> None:
        box = self.role_boxes[index]
        box.setCurrentIndex(box.findData(role))

    def enrol(self, *, allow_same_name: bool = False) -> None:
        """Enrol every enrollable card, in one transaction, on the worker."""
        chosen = [
            (self.cards[i].data, str(self.role_boxes[i].currentData())) for i in self.enrollable()
        ]
        if not chosen or not self.confirm.isChecked():
            return
        call_id = self.call_id
        self.ok.setEnabled(False)
        self.error.setVisible(False)

        def enrol(ws: OpenWorkspace) -> tuple[list[CardView], Changes]:
            from app.services.cards import enroll_cards

            return enroll_cards(ws, call_id, chosen, allow_same_name=allow_same_name)

        self.ops.run(self, enrol, lambda result: self._enrolled(result[0]), self._refused)

    def _enrolled(self, views: list[CardView]) -> None:
        self.enrolled.emit(views)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        from app.services.college_errors import SameNameError

        if isinstance(error, SameNameError):
            self._confirm_same_name(error)
            return
        self.ok.setEnabled(self.confirm.isChecked())
        explain(self.error, error)

    def _confirm_same_name(self, error: Any) -> None:
        """Two people with one name, or one person with two keys? Ask, both
        fingerprints in view; nothing is written unless the answer is yes."""
        from app.ui.setup.same_name_dialog import SameNameDialog

        box = SameNameDialog(error.name, self.call_id, error.existing, error.new, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            self.same_name_box = None
            if result == QDialog.DialogCode.Accepted:
                self.enrol(allow_same_name=True)
                return
            self.ok.setEnabled(self.confirm.isChecked())
            self.error.setText(
                _("Nothing enrolled: {name} is already on the roster with another key.").format(
                    name=echo(error.name)
                )
            )
            self.error.setVisible(True)

        box.finished.connect(answered)
        self.same_name_box = box
        box.open()
