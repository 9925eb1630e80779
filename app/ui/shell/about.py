"""The About dialog (Help menu): version, build, and the Qt and Python underneath.

Members report problems by reading this box aloud, so it says which build they
run: the commit and date of an installer build, or "development" from source.
"""

from __future__ import annotations

import datetime as dt
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app.build_info import BuildInfo, current
from app.i18n import _, format_date


def _readable_date(iso: str | None) -> str:
    try:
        return format_date(dt.date.fromisoformat(iso or ""))
    except ValueError:
        return iso or "?"


def about_text(info: BuildInfo | None = None) -> str:
    """The text of the About box."""
    info = info or current()
    if info.development:
        build = _("Development version, run from the source code.")
    else:
        build = _("Installed build of {date}, commit {commit}.").format(
            date=_readable_date(info.built), commit=info.commit or "?"
        )
    return "\n".join(
        [
            _("Vaglio {version}\nEvaluation of civic crowdfunding calls.").format(
                version=info.version
            ),
            "",
            build,
            f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}",
        ]
    )


def show_about(parent: QWidget) -> QMessageBox:
    """Open the About box (window-modal, not blocking) and return it."""
    box = QMessageBox(parent)
    box.setWindowTitle(_("About Vaglio"))
    box.setObjectName("about-vaglio")
    box.setText(about_text())
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    icon = parent.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
