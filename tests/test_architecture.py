"""The layers hold: only app/ui (and the GUI entry point) import Qt, and the
domain packages import only what DESIGN.md allows."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
GUI_ENTRY_POINTS = {"app/gui.py"}

# package -> app packages it may import (besides itself and the shared leaves)
SHARED = {"app", "app.errors", "app.i18n", "app.resources", "app.build_info", "app.clock"}
ALLOWED = {
    "models": set(),
    "scoring": {"models"},
    "crypto": set(),
    "store": {"models"},
    "bundles": {"crypto", "models"},
    "sync": {"bundles"},
    "reports": {"scoring", "models"},
    "services": {"models", "scoring", "store", "crypto", "bundles", "sync", "reports"},
    "ui": {"services", "store", "models"},
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(APP.parent).as_posix(), path) for path in sorted(APP.rglob("*.py"))]


def test_only_the_ui_imports_qt() -> None:
    offenders = [
        f"{name}: {module}"
        for name, path in _modules()
        if not name.startswith("app/ui/") and name not in GUI_ENTRY_POINTS
        for module in _imports(path)
        if module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
    ]
    assert offenders == []


def test_the_architecture_test_sees_qt_imports() -> None:
    # Guard against a walker that finds nothing.
    window = APP / "ui" / "main_window.py"
    assert any(m.startswith("PySide6") for m in _imports(window))


def test_layers_import_only_downwards() -> None:
    offenders = []
    for name, path in _modules():
        parts = name.removesuffix(".py").split("/")
        if len(parts) < 3 or parts[1] not in ALLOWED:
            continue
        layer = parts[1]
        for module in _imports(path):
            if not module.startswith("app.") or module in SHARED:
                continue
            target = module.split(".")[1]
            if target != layer and target not in ALLOWED[layer]:
                offenders.append(f"{name} imports {module}")
    assert offenders == []


def test_the_domain_imports_without_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, app.services.demo, app.services.proposals, app.cli, app.store.workspace;"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=APP.parent)
