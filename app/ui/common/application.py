"""The QApplication: names, icon, Qt's own translations."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.i18n import _, current_language
from app.resources import resource_path

_translators: list[QTranslator] = []


def qt_gaps() -> dict[tuple[str, str], str]:
    """Words Qt's own catalogue leaves in English, in the current language.

    Qt 6 added mnemonics to these labels of its file dialog, and qtbase_it.qm
    still has them without: Vaglio's catalogue translates them.
    """
    return {
        ("QFileDialog", "&Look in:"): _("&Look in:"),
        ("QFileDialog", "Files of &type:"): _("Files of &type:"),
        ("QFileDialog", "Fol&der:"): _("Fol&der:"),
    }


class QtGapTranslator(QTranslator):
    """Qt's strings missing from its catalogue, through Vaglio's (:func:`qt_gaps`)."""

    def __init__(self, parent: QApplication) -> None:
        super().__init__(parent)
        self.words = {key: text for key, text in qt_gaps().items() if text != key[1]}

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string, "not mine": the next catalogue is asked.
        return self.words.get((context, source))

    def isEmpty(self) -> bool:
        return not self.words


def install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (buttons, file dialogs) in the current language.

    Called when the application is created, before any window or dialog, and
    again when the language changes.
    """
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    language = current_language()
    QLocale.setDefault(QLocale(language))
    if language == "en":  # Qt's own strings are English
        return
    translator = QTranslator(app)
    for folder in qt_translation_folders():
        if translator.load(f"qtbase_{language}", folder):
            app.installTranslator(translator)
            _translators.append(translator)
            break
    # Installed last, asked first: it answers only for the gaps.
    gaps = QtGapTranslator(app)
    app.installTranslator(gaps)
    _translators.append(gaps)


def qt_translation_folders() -> list[str]:
    """Where Qt's own catalogues (``qtbase_it.qm``) are: Qt's path, else PySide6's folder.

    A bundle whose ``qt.conf`` points elsewhere still finds the catalogue it ships
    (installers/vaglio.spec keeps ``qtbase_it.qm`` beside PySide6).
    """
    import PySide6

    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
    ]
    return list(dict.fromkeys(folder for folder in folders if folder))


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
    from app.ui.common.garbage import GarbageCollector

    app.garbage_collector = GarbageCollector(app)  # type: ignore[attr-defined]
    return app
