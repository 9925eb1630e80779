"""The bundle's self-check: what a frozen Vaglio can reach from inside itself.

Run by the bundled executable when ``VAGLIO_BUNDLE_CHECK=1`` (see
``vaglio_main.py``); ``installers/smoke_test.py`` reads its JSON. It also runs
from a checkout (``python installers/vaglio_main.py``), which the test suite
does so that it cannot rot. It prints one JSON object and exits 1 if anything
the application needs is missing:

- the keyring backends of every OS are in the bundle (they are found through
  entry points, which frozen apps lose unless the spec names them), and those
  of this OS import;
- Qt's platform plugins (offscreen, and xcb and wayland on Linux), the image
  formats and icon engine for the SVG icon, Qt's Italian strings, QtPdf
  rendering a page that reportlab wrote with the bundled fonts;
- SQLCipher, the translations, the resources and the migrations;
- every module of ``app`` and every module its code imports, at the top or
  inside a function (the list is made from the sources at build time and
  shipped as ``bundle_manifest.json``): what another team adds is checked too.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

# Every backend is named, whatever the OS the bundle was built on: a bundle that
# lacks one shows it here. Those of the running OS must also import.
KEYRING_BACKENDS = {
    "keyring.backends.SecretService": "linux",
    "keyring.backends.libsecret": "linux",
    "keyring.backends.kwallet": "linux",
    "keyring.backends.macOS": "darwin",
    "keyring.backends.Windows": "win32",
    "keyring.backends.fail": "any",
    "keyring.backends.chainer": "any",
    "keyring.backends.null": "any",
}
KEYRING_SUPPORT = {"linux": ["secretstorage", "jeepney"], "win32": ["win32ctypes"]}
PLATFORM_PLUGINS = {
    "linux": ["offscreen", "xcb", "wayland"],
    "win32": ["offscreen", "windows"],
    "darwin": ["offscreen", "cocoa"],
}
IMAGE_FORMATS = ["png", "svg", "jpeg", "ico"]
MANIFEST_FILE = "bundle_manifest.json"
# Not imported by the check: developer tools, and modules that run something.
NOT_IMPORTED = ("app.__main__", "app.store.migrations", "__future__")


def _platform() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def modules_to_import(app_dir: Path) -> list[str]:
    """``app``'s modules and every absolute import in its code (run on the sources)."""
    names: set[str] = set()
    for path in sorted(app_dir.rglob("*.py")):
        parts = path.relative_to(app_dir.parent).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(
        name
        for name in names
        if not any(name == skip or name.startswith(skip + ".") for skip in NOT_IMPORTED)
    )


def _available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def check_modules(problems: list[str]) -> dict[str, Any]:
    root = getattr(sys, "_MEIPASS", None)
    if root is not None:
        wanted = json.loads((Path(root) / MANIFEST_FILE).read_text(encoding="utf-8"))["modules"]
    else:
        app_dir = Path(__file__).resolve().parent.parent / "app"
        wanted = [name for name in modules_to_import(app_dir) if _available(name)]
    failed = {}
    for name in wanted:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
            problems.append(f"module {name} does not import: {type(exc).__name__}: {exc}")
    return {"imported": len(wanted) - len(failed), "failed": failed}


def check_keyring(problems: list[str]) -> dict[str, Any]:
    here = _platform()
    modules: dict[str, str] = {}
    for name, system in KEYRING_BACKENDS.items():
        if importlib.util.find_spec(name) is None:
            modules[name] = "missing"
            problems.append(f"keyring backend not in the bundle: {name}")
            continue
        modules[name] = "present"
        if system in ("any", here):
            try:
                importlib.import_module(name)
                modules[name] = "imports"
            except Exception as exc:
                modules[name] = f"fails: {exc}"
                problems.append(f"keyring backend {name} does not import: {exc}")
    for name in KEYRING_SUPPORT.get(here, []):
        if importlib.util.find_spec(name) is None:
            problems.append(f"keyring support module not in the bundle: {name}")

    from importlib.metadata import entry_points

    import keyring
    import keyring.backend

    found = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    if not found:
        problems.append("keyring finds no backend entry points (metadata not bundled)")
    viable = [f"{type(k).__module__}.{type(k).__name__}" for k in keyring.backend.get_all_keyring()]
    chosen = keyring.get_keyring()
    return {
        "modules": modules,
        "entry_points": found,
        "viable": viable,
        "chosen": f"{type(chosen).__module__}.{type(chosen).__name__}",
    }


def _sample_pdf() -> bytes:
    """One page written by reportlab with the bundled fonts (accents and €)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from app.reports.fonts import register_fonts

    font = register_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(font, 14)
    page.drawString(72, 760, "Verbale della commissione — contributo 48.000,00 € (perché)")
    page.showPage()
    page.save()
    return out.getvalue()


def check_qt(problems: list[str]) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QSize, QTranslator
    from PySide6.QtGui import QGuiApplication, QIcon, QImageReader
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtWidgets import QApplication

    from app.resources import resource_path

    app = QApplication.instance() or QApplication(sys.argv[:1])
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platforms = sorted(
        p.name.split(".")[0].removeprefix("libq").removeprefix("q")
        for p in (plugins / "platforms").glob("*")
        if p.suffix in (".so", ".dll", ".dylib")
    )
    for wanted in PLATFORM_PLUGINS.get(_platform(), ["offscreen"]):
        if wanted not in platforms:
            problems.append(f"Qt platform plugin missing: {wanted}")
    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    for wanted in IMAGE_FORMATS:
        if wanted not in formats:
            problems.append(f"Qt image format missing: {wanted}")
    icon = QIcon(str(resource_path("icons", "vaglio.svg")))
    if icon.pixmap(QSize(64, 64)).isNull():
        problems.append("the SVG icon does not render")

    printing = importlib.util.find_spec("PySide6.QtPrintSupport") is not None
    if printing and _platform() == "linux" and not list((plugins / "printsupport").glob("*cups*")):
        problems.append("QtPrintSupport is bundled without its CUPS plugin: no printers")

    translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    translator = QTranslator()
    qt_italian = translator.load("qtbase_it", str(translations))
    if not qt_italian:
        problems.append(f"Qt's Italian strings (qtbase_it.qm) not found in {translations}")

    document = QPdfDocument()
    data = QByteArray(_sample_pdf())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    pages = document.pageCount()
    rendered = not document.render(0, QSize(200, 280)).isNull() if pages else False
    if pages != 1 or not rendered:
        problems.append(f"QtPdf did not render the reportlab page (pages={pages})")
    view = QPdfView()
    view.setDocument(document)
    view.deleteLater()
    app.processEvents()
    return {
        "version": QLibraryInfo.version().toString(),
        "platform": QGuiApplication.platformName(),
        "platform_plugins": platforms,
        "plugin_types": sorted(p.name for p in plugins.iterdir() if p.is_dir()),
        "image_formats": formats,
        "qtbase_it": qt_italian,
        "printing": printing,
        "pdf_pages": pages,
        "pdf_rendered": rendered,
    }


def check_store(problems: list[str]) -> dict[str, Any]:
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    if not row or not row[0]:
        problems.append("sqlcipher3 is not SQLCipher (no cipher_version)")

    from app.store.schema import MIGRATIONS_DIR

    migrations = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    if not (MIGRATIONS_DIR / "env.py").is_file() or not migrations:
        problems.append(f"Alembic migrations missing from {MIGRATIONS_DIR}")
    return {"cipher_version": row[0] if row else None, "migrations": migrations}


def check_resources(problems: list[str]) -> dict[str, Any]:
    from app.i18n import _, set_language
    from app.resources import resource_path, resources_dir

    wanted = [
        ("locale", "it", "LC_MESSAGES", "vaglio.mo"),
        ("fonts", "DejaVuSans.ttf"),
        ("icons", "vaglio.svg"),
        ("declarations", "general.it.txt"),
        ("demo", "call.toml"),
        ("demo", "proposals.csv"),
    ]
    missing = ["/".join(parts) for parts in wanted if not resource_path(*parts).is_file()]
    problems.extend(f"resource missing: {name}" for name in missing)
    set_language("it")
    italian = _("&About Vaglio")
    if italian == "&About Vaglio":
        problems.append("the Italian catalogue does not translate")
    return {"folder": str(resources_dir()), "missing": missing, "italian": italian}


def main() -> int:
    """Print the report as JSON; 0 if nothing is missing."""
    from app.build_info import current

    problems: list[str] = []
    report: dict[str, Any] = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "bundle": getattr(sys, "_MEIPASS", None),
        "build": current().describe(),
    }
    for name, check in (
        ("keyring", check_keyring),
        ("store", check_store),
        ("resources", check_resources),
        ("qt", check_qt),
        ("modules", check_modules),
    ):
        try:
            report[name] = check(problems)
        except Exception as exc:
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
    report["problems"] = problems
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if problems else 0
