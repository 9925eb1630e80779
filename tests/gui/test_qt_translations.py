"""Qt's own words in Italian: the file dialogs' "Look in", "Files of type" and the
standard buttons come from Qt's catalogue (qtbase_it.qm), installed with the
application before any dialog, and the installers keep it (issue 15, finding 6)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from app.i18n import set_language
from app.ui.common.application import (
    create_application,
    install_qt_translations,
    qt_translation_folders,
)
from tests.support.gui import save_screenshot

pytestmark = pytest.mark.gui
SPEC = Path(__file__).resolve().parents[2] / "installers" / "vaglio.spec"


@pytest.fixture
def italian_qt(qapp: QApplication) -> Iterator[QApplication]:
    set_language("it")
    install_qt_translations(qapp)
    yield qapp
    set_language("it")
    install_qt_translations(qapp)


def test_qt_s_italian_catalogue_ships_with_pyside6() -> None:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_it.qm").is_file()
    assert any((Path(f) / "qtbase_it.qm").is_file() for f in qt_translation_folders())


def test_the_application_speaks_qt_s_words_in_italian(italian_qt: QApplication) -> None:
    app = create_application()
    assert app is italian_qt  # reused under pytest-qt, translations installed
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Cerca in:"
    assert QCoreApplication.translate("QFileDialog", "Files of type:") == "File di tipo:"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annulla"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Cerca in:"
    assert QCoreApplication.translate("QFileDialog", "Fol&der:") == "Car&tella:"
    # Other strings still come from Qt's catalogue, untouched by the gap filler.
    assert QCoreApplication.translate("QFileDialog", "&Choose") == "S&cegli"
    set_language("en")
    install_qt_translations(italian_qt)
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Look in:"


def test_vaglio_s_file_dialog_is_italian(qtbot, italian_qt: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "Scegli il file", str(tmp_path), "CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.resize(760, 480)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    # Qt 6's labels carry mnemonics its Italian catalogue lacks: Vaglio's fills the gap.
    assert {"&Cerca in:", "File di &tipo:", "&Nome del file:"} <= labels, labels
    assert not any("Look in" in label or "Files of" in label for label in labels)
    save_screenshot(dialog, "qt-file-dialog-italian")
    dialog.close()


def test_the_installers_keep_qt_s_italian_catalogue() -> None:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    patterns = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("translations/")
    ]
    assert patterns, "the spec drops no translation: expected it to keep only Italian"
    dropped = re.compile("|".join(patterns))
    assert not dropped.search("PySide6/Qt/translations/qtbase_it.qm")
    assert dropped.search("PySide6/Qt/translations/qtbase_de.qm")
