"""What the GUI does with an error: a refusal is shown, a bug is logged.

- A refusal (:class:`~app.errors.VaglioError`) carries a sentence the user
  can act on: :func:`report` shows it in one warning dialog style.
- Anything else is a bug. It is written, with its traceback, to the log in
  the user's log folder, and an Italian (or English) dialog says so and gives
  the log's path, so that a windowed, frozen build never loses it. The
  :func:`install_excepthook` hook does the same for an exception raised in a
  slot, which Qt would otherwise only print to a console nobody sees.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import VaglioError
from app.i18n import _

log = logging.getLogger("vaglio")
LOG_NAME = "vaglio.log"
_log_path: Path | None = None


def configure_logging() -> Path | None:
    """Log to ``vaglio.log`` in the user's log folder (rotated); its path, or None."""
    global _log_path  # noqa: PLW0603 - one log per process
    if _log_path is not None:
        return _log_path
    import logging.handlers

    from app.services.preferences import log_folder

    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _log_path = folder / LOG_NAME
    return _log_path


def _window_of(context: QObject | None) -> QWidget | None:
    if isinstance(context, QWidget):
        return context.window()
    return QApplication.activeWindow()


def show_refusal(context: QObject | None, error: BaseException) -> QMessageBox:
    """The one way a refusal is shown: a warning that does not block the window."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Vaglio", str(error), parent=_window_of(context))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_unexpected(context: QObject | None, error: BaseException) -> QMessageBox:
    """Log an unexpected error with its traceback and tell the user where the log is."""
    path = configure_logging()
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    text = _(
        "Vaglio ran into an error it did not expect. What was already saved is kept: "
        "every change is saved whole or not at all. Please send the log file to whoever "
        "supports Vaglio for you."
    )
    details = (
        _("Log file: {path}").format(path=path) if path else _("The log could not be written.")
    )
    box = QMessageBox(QMessageBox.Icon.Critical, "Vaglio", text, parent=_window_of(context))
    box.setInformativeText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def report(context: QObject | None, error: BaseException) -> QMessageBox:
    """Show ``error`` as a refusal, or as a bug if it is not one."""
    if isinstance(error, VaglioError):
        return show_refusal(context, error)
    return show_unexpected(context, error)


def install_excepthook() -> None:
    """Route exceptions that escape a slot to the log and the error dialog."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        error.__traceback__ = trace
        with contextlib.suppress(Exception):
            show_unexpected(None, error)
            return
        previous(kind, error, trace)

    sys.excepthook = hook
