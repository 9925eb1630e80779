"""The layers hold, as DESIGN.md draws them: every module of ``app`` belongs to
one layer (or is a shared leaf), imports only the layers below it, and only
the GUI imports Qt. The checker (tests/support/layers.py) sees relative,
dynamic and type-only imports and the top-level modules, and its own tests
(test_layering_checker.py) feed it each kind of violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.layers import VAGLIO_RULES, imported_modules, violations

APP = Path(__file__).resolve().parents[2] / "app"


def test_every_module_keeps_to_its_layer() -> None:
    assert violations(APP, VAGLIO_RULES) == []


def test_the_screens_and_the_command_line_reach_the_workspace_only_through_services() -> None:
    # The "done when" of the redesign, said directly: nothing under app/ui or
    # app/cli imports the store, the models or the rules below the services.
    below = ("app.store", "app.models", "app.scoring", "app.reports", "app.config")
    offenders = [
        f"{path.relative_to(APP.parent)}:{item.line} {item.module}"
        for folder in ("ui", "cli")
        for path in sorted((APP / folder).rglob("*.py"))
        for item in imported_modules(path, APP)
        if item.module.startswith(below)
    ]
    assert offenders == []


def test_no_scoring_method_is_named_outside_the_registry() -> None:
    offenders = [
        f"{path.relative_to(APP.parent)}"
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "models" / "methods.py" and "method ==" in path.read_text("utf-8")
    ]
    assert offenders == []


def test_the_domain_imports_without_qt() -> None:
    code = (
        "import sys, app.services.demo, app.services.proposals, app.cli, app.store.workspace;"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=APP.parent)


def test_no_test_imports_another_test_module_or_the_conftest() -> None:
    # Helpers live in tests/support; a test module is never a library.
    tests = APP.parent / "tests"
    offenders = [
        f"{path.relative_to(tests)}:{item.line} {item.module}"
        for path in sorted(tests.rglob("*.py"))
        if "artifacts" not in path.parts
        for item in imported_modules(path, tests)
        if item.module.split(".")[-1].startswith("test_") or item.module == "tests.conftest"
    ]
    assert offenders == []
