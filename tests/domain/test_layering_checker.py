"""The layering checker of tests/support/layers.py finds each kind of violation.

Every case is the clean fake package below plus one file (new or replaced)
that holds exactly one violation; the checker must report that one line, with
its file, line and kind, and nothing else.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.support.layers import (
    KINDS,
    VAGLIO_RULES,
    Import,
    Rules,
    imported_modules,
    violations,
)

APP = Path(__file__).resolve().parents[2] / "app"

# Allowed by VAGLIO_RULES, yet it uses every kind of import the checker knows.
CLEAN = {
    "app/__init__.py": "",
    "app/errors.py": "class VaglioError(Exception):\n    pass\n",
    "app/models/__init__.py": "",
    "app/models/call.py": "import decimal\n",
    "app/store/__init__.py": "from . import files\n",
    "app/store/files.py": "from app import errors\nfrom app.models.call import Call\n",
    "app/services/__init__.py": "",
    "app/services/ranking.py": (
        "import importlib\n"
        "\n"
        "from app.store import files\n"
        "\n"
        "STORE = importlib.import_module('app.store.files')\n"
    ),
    "app/ui/__init__.py": "",
    "app/ui/window.py": (
        "from typing import TYPE_CHECKING\n"
        "\n"
        "from PySide6.QtWidgets import QWidget\n"
        "\n"
        "from .. import services\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from app.services.ranking import Ranking\n"
    ),
    "app/cli/__init__.py": "from app.services import ranking\n",
    "app/cli/extra.py": "import app.services.ranking\n",
    "app/gui.py": "from app.ui import window\n",
    "app/main.py": "from app import cli\nfrom app.gui import run_gui\n",
    "app/__main__.py": "from app.main import main\n",
}


def build(root: Path, extra: dict[str, str] | None = None) -> Path:
    """The clean package under `root`, with `extra` files added or replaced."""
    for name, source in {**CLEAN, **(extra or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "app"


def test_the_clean_package_has_no_violation(tmp_path: Path) -> None:
    assert violations(build(tmp_path), VAGLIO_RULES) == []


def test_the_clean_package_is_clean_because_allowed_not_because_unseen(tmp_path: Path) -> None:
    app = build(tmp_path)
    assert imported_modules(app / "ui" / "window.py", app) == [
        Import("typing", 1, "from"),
        Import("PySide6.QtWidgets", 3, "from"),
        Import("app.services", 5, "relative"),
        Import("app.services.ranking", 8, "from", type_checking=True),
    ]
    assert imported_modules(app / "store" / "__init__.py", app) == [
        Import("app.store.files", 1, "relative")
    ]
    assert imported_modules(app / "services" / "ranking.py", app) == [
        Import("importlib", 1, "import"),
        Import("app.store.files", 3, "from"),
        Import("app.store.files", 5, "dynamic"),
    ]
    assert imported_modules(app / "ui" / "window.py", app, include_type_checking=False) == [
        Import("typing", 1, "from"),
        Import("PySide6.QtWidgets", 3, "from"),
        Import("app.services", 5, "relative"),
    ]


UI_ONLY_SERVICES = "ui may import only services"

CASES = {
    "plain import": (
        "app/ui/bad.py",
        "import app.store.files\n",
        f"app/ui/bad.py:1 imports app.store.files (import): {UI_ONLY_SERVICES}",
    ),
    "from-import of a module": (
        "app/ui/bad.py",
        "from app.store.files import read\n",
        f"app/ui/bad.py:1 imports app.store.files (from): {UI_ONLY_SERVICES}",
    ),
    "from-import of a name": (
        "app/ui/bad.py",
        "from app.store import Workspace\n",
        f"app/ui/bad.py:1 imports app.store (from): {UI_ONLY_SERVICES}",
    ),
    "from app import store": (
        "app/ui/bad.py",
        "from app import errors, store\n",
        f"app/ui/bad.py:1 imports app.store (from): {UI_ONLY_SERVICES}",
    ),
    "relative to a module": (
        "app/ui/bad.py",
        "from ..store import files\n",
        f"app/ui/bad.py:1 imports app.store.files (relative): {UI_ONLY_SERVICES}",
    ),
    "relative to a package": (
        "app/ui/bad.py",
        "from .. import store\n",
        f"app/ui/bad.py:1 imports app.store (relative): {UI_ONLY_SERVICES}",
    ),
    "relative in an __init__": (
        "app/store/__init__.py",
        "from .. import ui\n",
        "app/store/__init__.py:1 imports app.ui (relative): store may import only config, models",
    ),
    "relative beyond the top package": (
        "app/ui/bad.py",
        "from ... import store\n",
        "app/ui/bad.py:1 cannot be resolved: relative import of level 3 beyond the top package",
    ),
    "importlib.import_module": (
        "app/ui/bad.py",
        "import importlib\n\nSTORE = importlib.import_module('app.store')\n",
        f"app/ui/bad.py:3 imports app.store (dynamic): {UI_ONLY_SERVICES}",
    ),
    "importlib imported under another name": (
        "app/ui/bad.py",
        "import importlib as il\n\nil.import_module('app.store.files')\n",
        f"app/ui/bad.py:3 imports app.store.files (dynamic): {UI_ONLY_SERVICES}",
    ),
    "import_module imported by name": (
        "app/ui/bad.py",
        "from importlib import import_module as load\n\nload('app.store')\n",
        f"app/ui/bad.py:3 imports app.store (dynamic): {UI_ONLY_SERVICES}",
    ),
    "relative import_module against __package__": (
        "app/ui/bad.py",
        "from importlib import import_module\n\nimport_module('..store', __package__)\n",
        f"app/ui/bad.py:3 imports app.store (dynamic): {UI_ONLY_SERVICES}",
    ),
    "relative import_module against a constant": (
        "app/ui/bad.py",
        "import importlib\n\nimportlib.import_module('.files', package='app.store')\n",
        f"app/ui/bad.py:3 imports app.store.files (dynamic): {UI_ONLY_SERVICES}",
    ),
    "__import__": (
        "app/ui/bad.py",
        "__import__('app.store.files')\n",
        f"app/ui/bad.py:1 imports app.store.files (dynamic): {UI_ONLY_SERVICES}",
    ),
    "__import__ with a fromlist": (
        "app/ui/bad.py",
        "__import__('app', fromlist=['errors', 'store'])\n",
        f"app/ui/bad.py:1 imports app.store (dynamic): {UI_ONLY_SERVICES}",
    ),
    "a computed dynamic import": (
        "app/ui/bad.py",
        "import importlib\n\nNAME = 'app.services'\nimportlib.import_module(NAME)\n",
        "app/ui/bad.py:4 imports <NAME> (dynamic-unknown):"
        " ui may not import a module whose name is computed",
    ),
    "an import inside a function": (
        "app/ui/bad.py",
        "def load():\n    import app.store\n",
        f"app/ui/bad.py:2 imports app.store (import): {UI_ONLY_SERVICES}",
    ),
    "an import inside try/except": (
        "app/ui/bad.py",
        "try:\n    import app.store\nexcept ImportError:\n    pass\n",
        f"app/ui/bad.py:2 imports app.store (import): {UI_ONLY_SERVICES}",
    ),
    "an import under a plain if": (
        "app/ui/bad.py",
        "import sys\n\nif sys.platform == 'win32':\n    import app.store\n",
        f"app/ui/bad.py:4 imports app.store (import): {UI_ONLY_SERVICES}",
    ),
    "an import in the else of TYPE_CHECKING": (
        "app/ui/bad.py",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    pass\nelse:\n    import app.store\n",
        f"app/ui/bad.py:6 imports app.store (import): {UI_ONLY_SERVICES}",
    ),
    "an import under TYPE_CHECKING": (
        "app/ui/bad.py",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.store import files\n",
        f"app/ui/bad.py:4 imports app.store.files (from; TYPE_CHECKING): {UI_ONLY_SERVICES}",
    ),
    "a lower layer importing a higher one": (
        "app/models/bad.py",
        "from app.store import files\n",
        "app/models/bad.py:1 imports app.store.files (from): models may import no other layer",
    ),
    "a command importing the store": (
        "app/cli/extra.py",
        "import os\n\nfrom app.store import files\n",
        "app/cli/extra.py:3 imports app.store.files (from): cli may import only services",
    ),
    "the command line importing the GUI": (
        "app/cli/extra.py",
        "from app import gui\n",
        "app/cli/extra.py:1 imports app.gui (from): cli may import only services",
    ),
    "app/gui.py": (
        "app/gui.py",
        "from app.ui import window\nfrom app.store import files\n",
        "app/gui.py:2 imports app.store.files (from): gui may import only services, ui",
    ),
    "app/main.py": (
        "app/main.py",
        "from app import cli\nfrom app.services import ranking\n",
        "app/main.py:2 imports app.services.ranking (from): entry may import only cli, gui",
    ),
    "an unassigned module": (
        "app/helpers.py",
        "import os\n",
        "app/helpers.py:1 app.helpers belongs to no layer and is no shared leaf",
    ),
    "a shared leaf importing a layer": (
        "app/errors.py",
        "from app.store import files\n",
        "app/errors.py:1 imports app.store.files (from): a shared leaf may import only shared leaves",
    ),
    "Qt outside the ui": (
        "app/services/bad.py",
        "from PySide6.QtCore import QObject\n",
        "app/services/bad.py:1 imports PySide6.QtCore (from): services may not import PySide6",
    ),
    "shiboken6 in a shared leaf": (
        "app/errors.py",
        "import shiboken6\n",
        "app/errors.py:1 imports shiboken6 (import): a shared leaf may not import shiboken6",
    ),
}


@pytest.mark.parametrize(("name", "source", "expected"), CASES.values(), ids=CASES.keys())
def test_each_kind_of_violation_is_reported(
    tmp_path: Path, name: str, source: str, expected: str
) -> None:
    assert violations(build(tmp_path, {name: source}), VAGLIO_RULES) == [expected]


def test_type_only_imports_can_be_left_out(tmp_path: Path) -> None:
    name, source, _ = CASES["an import under TYPE_CHECKING"]
    app = build(tmp_path, {name: source})
    assert violations(app, VAGLIO_RULES, include_type_checking=False) == []


def test_leaving_type_only_imports_out_keeps_the_else_branch(tmp_path: Path) -> None:
    name, source, expected = CASES["an import in the else of TYPE_CHECKING"]
    app = build(tmp_path, {name: source})
    assert violations(app, VAGLIO_RULES, include_type_checking=False) == [expected]


def test_a_module_in_two_layers_is_reported(tmp_path: Path) -> None:
    rules = Rules(
        may_import={"a": frozenset(), "b": frozenset()},
        modules={"app": "a", "app.*": "a", "app.ui.*": "b"},
    )
    (tmp_path / "app" / "ui").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "ui" / "x.py").write_text("")
    assert violations(tmp_path / "app", rules) == [
        "app/ui/x.py:1 app.ui.x belongs to several layers: a, b"
    ]


def test_a_rules_table_naming_an_undeclared_layer_is_refused() -> None:
    with pytest.raises(ValueError, match="servics"):
        Rules(may_import={"ui": frozenset({"servics"})}, modules={"app.ui.*": "ui"})


PERMISSIVE = Rules(
    may_import={"all": frozenset()},
    modules={"app": "all", "app.*": "all"},
    dynamic_unknown_allowed=frozenset({"all"}),
)


def test_the_real_package_parses_and_resolves_under_permissive_rules() -> None:
    assert violations(APP, PERMISSIVE) == []


def test_the_walker_sees_the_imports_of_the_real_package() -> None:
    # Guard against a walker that finds nothing: app/ has about 180 plain
    # imports and 1400 from-imports, and (since the redesign) no import by a
    # computed name.
    found = {
        path.relative_to(APP.parent).as_posix(): imported_modules(path, APP)
        for path in sorted(APP.rglob("*.py"))
    }
    kinds = Counter(item.kind for items in found.values() for item in items)
    assert set(kinds) <= set(KINDS)
    assert kinds["import"] > 50
    assert kinds["from"] > 500
    assert kinds["dynamic-unknown"] == 0
    assert any(item.type_checking for items in found.values() for item in items)
    assert any(m.module.startswith("PySide6.") for m in found["app/ui/shell/main_window.py"])
    assert any(m.module == "app.models.call" for m in found["app/models/__init__.py"])
    # Top-level modules are read too.
    assert any(m.module.startswith("app.main") for m in found["app/__main__.py"])
    assert {"app.cli", "app.gui"} <= {m.module for m in found["app/main.py"]}
