"""The secretariat's guide to a new call: the existing dialogs, in order.

1. the call and its criteria grid, from the bundled template or from a call
   file, in the call editor (the checks of ``vaglio call create``);
2. the proposals, in the import preview;
3. the members' tessere, in the enrolment dialog;
4. the exchange and the invitations;
5. the publication.

Each step opens the dialog the Secretariat menu opens; what the step's use
case changed ticks it and enables the next. The guide stays beside the main
window (not modal) and can be reopened from Secretariat → Guide to a new call.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.common.screen_fit import fit_to_screen
from app.ui.common.widgets import error_label, heading_label, note_label

if TYPE_CHECKING:
    from app.services.changes import Changes

STEP_CALL, STEP_PROPOSALS, STEP_CARDS, STEP_INVITATIONS, STEP_PUBLISH = range(5)
DONE = "✔"


def template_text() -> str:
    """The bundled call template (the 2020 Milan call of the demo)."""
    from app.resources import resource_path

    return resource_path("demo", "call.toml").read_text(encoding="utf-8")


def form_of(text: str) -> Any:
    """The call editor's form for a call file's text (a refusal if it is not TOML)."""
    from app.errors import VaglioError
    from app.ui.setup.call_form import from_document

    try:
        return from_document(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise VaglioError(
            _("This is not a call file (TOML): {detail}").format(detail=str(error)[:120])
        ) from None


class NewCallGuide(QDialog):
    """Five steps from nothing to a published call, each an existing dialog."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main = window
        self.ops = window.ops
        self.call_id: str | None = None
        self.dialog: QDialog | None = None
        self.done_steps: set[int] = set()
        self.setWindowTitle(_("Guide to a new call"))
        fit_to_screen(self, 720, 560)
        self.error = error_label()
        self.buttons: list[list[QPushButton]] = []
        self.ticks: list[QLabel] = []
        grid = QGridLayout()
        steps = (
            (
                _("1. The call and its criteria grid"),
                _("Start from the template (the 2020 Milan call) or from a call file."),
                [(_("From the &template…"), self.from_template),
                 (_("From a &file…"), self.from_file)],
            ),
            (
                _("2. The proposals"),
                _("A CSV or XLSX file with one proposal per row, and the folder of the PDFs."),
                [(_("&Import the proposals…"), self.import_proposals)],
            ),
            (
                _("3. The members' tessere"),
                _("Each member sends you their tessera: compare its fingerprint aloud."),
                [(_("&Enrol members…"), self.enrol)],
            ),
            (
                _("4. Exchange and invitations"),
                _("The shared folder or WebDAV address, and one invitation per member."),
                [(_("In&vitations…"), self.invite)],
            ),
            (
                _("5. Publication"),
                _("Signs and seals the call for the members; they receive it at their next sync."),
                [(_("&Publish…"), self.publish)],
            ),
        )  # fmt: skip
        for row, (title, text, actions) in enumerate(steps):
            tick = QLabel("")
            tick.setAccessibleName(_("Done"))
            tick.setMinimumWidth(20)
            heading = QLabel(f"<b>{title}</b>")
            grid.addWidget(tick, 2 * row, 0)
            grid.addWidget(heading, 2 * row, 1)
            grid.addWidget(note_label(text), 2 * row + 1, 1)
            buttons = []
            for column, (label, slot) in enumerate(actions):
                button = QPushButton(label)
                button.clicked.connect(slot)
                grid.addWidget(button, 2 * row, 2 + column)
                buttons.append(button)
            self.ticks.append(tick)
            self.buttons.append(buttons)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        caption = heading_label(_("Guide to a new call"))
        caption.setText(_("A new call, step by step"))
        inner_layout.addWidget(caption)
        inner_layout.addLayout(grid)
        inner_layout.addWidget(self.error)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(close)
        self.ops.changed.connect(self._changed)
        if window.call_id is not None:
            self.call_id = window.call_id
            self._tick(STEP_CALL)
        self._update()

    # -- state -----------------------------------------------------------------

    def _tick(self, step: int) -> None:
        self.done_steps.add(step)
        self.ticks[step].setText(DONE)
        self._update()

    def _update(self) -> None:
        has_call = self.call_id is not None
        for step, buttons in enumerate(self.buttons):
            for button in buttons:
                enabled = step == STEP_CALL or has_call
                button.setEnabled(enabled)
                button.setToolTip("" if enabled else _("Create the call first (step 1)."))

    def _changed(self, changes: Changes) -> None:
        if changes.roster:
            self._tick(STEP_CARDS)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    # -- 1. the call -------------------------------------------------------------

    def from_template(self) -> None:
        self.edit_call(template_text())

    def from_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Call definition"), "", _("Call definitions (*.toml);;All files (*)")
        )
        if path:
            self.from_path(Path(path))

    def from_path(self, path: Path) -> None:
        from app.services.files import read_input

        self.error.setVisible(False)
        self.ops.run_free(
            self, lambda: read_input(path).decode("utf-8", "replace"), self.edit_call, self._error
        )

    def edit_call(self, text: str) -> None:
        """The call editor, filled from ``text``: the person checks it and creates the call."""
        from app.errors import VaglioError
        from app.ui.setup.call_editor import CallEditorDialog

        try:
            form = form_of(text)
        except VaglioError as error:
            self._error(error)
            return
        dialog = CallEditorDialog(self.ops, form, parent=self)
        dialog.saved.connect(self._call_created)
        self._open(dialog)

    def _call_created(self, call_id: str) -> None:
        self.call_id = call_id
        self.main.call_id = call_id
        self.main.statusBar().showMessage(_("Call {call_id} created.").format(call_id=call_id))
        self._tick(STEP_CALL)

    # -- 2-5. the existing dialogs ----------------------------------------------

    def import_proposals(self) -> None:
        from app.ui.setup.import_preview import ImportDialog

        if self.call_id is None:
            return
        dialog = ImportDialog(self.ops, self.call_id, self)
        dialog.imported.connect(lambda _result: self._tick(STEP_PROPOSALS))
        self._open(dialog)
        dialog.browse_file()

    def enrol(self) -> None:
        if self.call_id is not None:
            self.main.call_id = self.call_id
            self.main.call_setup.enrol_members()

    def invite(self) -> None:
        from app.ui.setup.invitation_dialog import InvitationDialog

        if self.call_id is None:
            return
        dialog = InvitationDialog(self.ops, self.call_id, self)
        dialog.written.connect(lambda _view: self._tick(STEP_INVITATIONS))
        self._open(dialog)

    def publish(self) -> None:
        from app.ui.setup.publish_dialog import PublishDialog, publish_info

        call_id = self.call_id
        if call_id is None:
            return

        def confirm(info: Any) -> None:
            dialog = PublishDialog(self.ops, info, self)
            dialog.published.connect(lambda _result: self._tick(STEP_PUBLISH))
            self._open(dialog)

        self.ops.run(self, lambda ws: publish_info(ws, call_id), confirm, self._error)

    def _error(self, error: BaseException) -> None:
        from app.ui.common.widgets import explain

        explain(self.error, error)


def open_when_unlocked(window: Any, start: tuple[str, Path | None]) -> None:
    """Open the guide once ``window`` is unlocked, starting the first step as
    chosen in the first-run wizard (the template, or a call file)."""
    kind, path = start

    def opened() -> None:
        window.unlocked.disconnect(opened)
        guide = NewCallGuide(window)
        window.new_call_guide = guide
        guide.show()
        if kind == "file" and path is not None:
            guide.from_path(path)
        else:
            guide.from_template()

    window.unlocked.connect(opened, Qt.ConnectionType.QueuedConnection)
