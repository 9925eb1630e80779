"""The QApplication: names, icon, Qt's own translations."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.i18n import current_language
from app.resources import resource_path

_translators: list[QTranslator] = []


def install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (buttons, dialogs) in the current language."""
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    language = current_language()
    QLocale.setDefault(QLocale(language))
    if language == "en":  # Qt's own strings are English
        return
    translator = QTranslator(app)
    if translator.load(
        f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
        _translators.append(translator)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The application object (reused if one exists, as under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Vaglio")
    app.setApplicationDisplayName("Vaglio")
    app.setOrganizationName("Vaglio")
    app.setApplicationVersion(__version__)
    # Wayland matches windows to the menu entry by this name (installers/linux).
    app.setDesktopFileName("vaglio")
    icon = resource_path("icons", "vaglio.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_qt_translations(app)
    return app
