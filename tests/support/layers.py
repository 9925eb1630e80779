"""An import checker that sees every way a module of `app` reaches another one.

It reads each module with `ast` (nothing is imported or executed), lists what
the module imports and checks that list against a table of layers (`Rules`).
Each kind of import is counted because each is a way around the layers:

- ``import a.b`` ("import") and ``from a.b import c`` ("from") are the plain
  cases. ``from a.b import c`` records ``a.b.c`` when ``c`` is a submodule, so
  ``from app import store`` is an import of ``app.store``, not of the shared
  package ``app``, which any layer may import.
- ``from ..store import files`` and ``from .. import store`` ("relative") name
  no package at all: a checker that skips ``level > 0`` never sees a ui module
  reaching into the store that way.
- ``importlib.import_module("app.store")``, ``import_module(...)`` imported from
  importlib and ``__import__("app.store")`` ("dynamic") load the module exactly
  as a statement does, only later; relative names are resolved as importlib
  does when the package is a constant, ``__package__`` or ``__name__``.
- A dynamic import whose name is computed ("dynamic-unknown") may reach any
  module, so no table can allow it case by case: it is refused in every layer
  not listed in `Rules.dynamic_unknown_allowed`.
- Imports inside functions, ``try``/``except`` blocks and ``if TYPE_CHECKING:``
  blocks count too: a deferred import is still a dependency, and a type-only
  import still ties a layer to another one's names and breaks as soon as they
  move. ``include_type_checking=False`` gives the runtime graph only.
- The top-level modules (``app/cli*.py``, ``app/gui.py``, ``app/__main__.py``)
  belong to layers like the sub-packages do, and a module that matches no layer
  pattern and is no shared leaf is a violation by itself ("belongs to no
  layer"), so a new file cannot slip past the table.
- Third-party roots can be forbidden per layer: only the ui and the GUI entry
  points may import Qt, so the domain runs (and is tested) without it.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from types import MappingProxyType
from typing import Literal

Kind = Literal["import", "from", "relative", "dynamic", "dynamic-unknown"]
KINDS: tuple[Kind, ...] = ("import", "from", "relative", "dynamic", "dynamic-unknown")

SHARED = "shared"
"""The pseudo-layer of the shared leaves: a key of `Rules.forbidden_roots`, and
the layer a shared leaf is checked as (it may import only shared leaves)."""


class LayeringError(ValueError):
    """An import that cannot be resolved, such as ``from ... import x`` in ``app/x.py``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Import:
    """One module imported by a file, with the line and the kind of the import."""

    module: str
    """The absolute dotted name, or ``<expression>`` for "dynamic-unknown"."""
    line: int
    kind: Kind
    type_checking: bool = False
    """True when the import is under ``if TYPE_CHECKING:``."""


def module_name(path: Path, package_root: Path) -> str:
    """The dotted name of `path`, a ``.py`` file under `package_root` (the ``app`` folder)."""
    relative = path.resolve().relative_to(package_root.resolve().parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(
    path: Path, package_root: Path, include_type_checking: bool = True
) -> list[Import]:
    """Every import of the module at `path`, in source order.

    Raises SyntaxError for a file that does not parse and LayeringError for a
    relative import that goes beyond the top-level package.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = module_name(path, package_root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    collector = _Collector(module, package, package_root, include_type_checking, tree)
    collector.visit(tree)
    return collector.found


class _Collector(ast.NodeVisitor):
    def __init__(
        self,
        module: str,
        package: str,
        package_root: Path,
        include_type_checking: bool,
        tree: ast.Module,
    ) -> None:
        self.module = module
        self.package = package
        self.root = package_root
        self.include_type_checking = include_type_checking
        self.found: list[Import] = []
        self._type_checking = False
        self._importlib, self._import_module = _importlib_aliases(tree)

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        if self.include_type_checking:
            outer, self._type_checking = self._type_checking, True
            for child in node.body:
                self.visit(child)
            self._type_checking = outer
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno, "import")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = [alias.name for alias in node.names]
        if node.level:
            base = _resolve(self.package, node.level, node.module, node.lineno)
            for module in self._from_targets(base, names):
                self._add(module, node.lineno, "relative")
        else:
            for module in self._from_targets(node.module or "", names):
                self._add(module, node.lineno, "from")

    def visit_Call(self, node: ast.Call) -> None:
        function = self._dynamic_function(node.func)
        if function == "import_module":
            self._import_module_call(node)
        elif function == "__import__":
            self._dunder_import_call(node)
        self.generic_visit(node)

    def _add(self, module: str, line: int, kind: Kind) -> None:
        self.found.append(Import(module, line, kind, self._type_checking))

    def _exists(self, dotted: str) -> bool:
        parts = dotted.split(".")
        if parts[0] != self.root.name:
            return False
        path = self.root.parent.joinpath(*parts)
        return path.with_suffix(".py").is_file() or path.is_dir()

    def _from_targets(self, base: str, names: list[str]) -> list[str]:
        """``from base import names``: the submodules among names, else base itself."""
        targets: list[str] = []
        for name in names:
            candidate = f"{base}.{name}"
            target = candidate if name != "*" and self._exists(candidate) else base
            if target not in targets:
                targets.append(target)
        return targets or [base]

    def _dynamic_function(self, func: ast.expr) -> str | None:
        if isinstance(func, ast.Name):
            if func.id in self._import_module:
                return "import_module"
            if func.id == "__import__":
                return "__import__"
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if owner in self._importlib and func.attr == "import_module":
                return "import_module"
            if owner in {*self._importlib, "builtins"} and func.attr == "__import__":
                return "__import__"
        return None

    def _unknown(self, node: ast.Call, expression: ast.expr | None) -> None:
        text = ast.unparse(expression) if expression is not None else "no name"
        self._add(f"<{text}>", node.lineno, "dynamic-unknown")

    def _import_module_call(self, node: ast.Call) -> None:
        expression = _argument(node, 0, "name")
        name = _string(expression)
        if not name:
            self._unknown(node, expression)
            return
        level = len(name) - len(name.lstrip("."))
        if level:
            package = self._package_value(_argument(node, 1, "package"))
            if package is None:
                self._unknown(node, expression)
                return
            name = _resolve(package, level, name[level:] or None, node.lineno)
        self._add(name, node.lineno, "dynamic")

    def _dunder_import_call(self, node: ast.Call) -> None:
        expression = _argument(node, 0, "name")
        name = _string(expression)
        level_expression = _argument(node, 4, "level")
        level = 0 if level_expression is None else _integer(level_expression)
        if name is None or level is None or (not name and not level):
            wrong = level_expression if name is not None and level is None else expression
            self._unknown(node, wrong)
            return
        base = _resolve(self.package, level, name or None, node.lineno) if level else name
        fromlist_expression = _argument(node, 3, "fromlist")
        fromlist = _strings(fromlist_expression)
        if fromlist is None:
            self._add(base, node.lineno, "dynamic")
            self._unknown(node, fromlist_expression)
            return
        for module in self._from_targets(base, fromlist):
            self._add(module, node.lineno, "dynamic")

    def _package_value(self, expression: ast.expr | None) -> str | None:
        if isinstance(expression, ast.Name):
            return {"__package__": self.package, "__name__": self.module}.get(expression.id)
        return _string(expression)


def _importlib_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names bound to the importlib module and to importlib.import_module."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "importlib" and alias.asname:
                    modules.add(alias.asname)
                elif alias.name.split(".")[0] == "importlib" and not alias.asname:
                    modules.add("importlib")
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module == "importlib":
            functions.update(
                alias.asname or alias.name for alias in node.names if alias.name == "import_module"
            )
    return modules, functions


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(package: str, level: int, name: str | None, line: int) -> str:
    """The absolute name of a relative import, as importlib resolves it."""
    bits = package.split(".") if package else []
    if level > len(bits):
        raise LayeringError(line, f"relative import of level {level} beyond the top package")
    base = ".".join(bits[: len(bits) - level + 1])
    return f"{base}.{name}" if name else base


def _argument(node: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(node.args) > position:
        return node.args[position]
    return next((item.value for item in node.keywords if item.arg == keyword), None)


def _string(expression: ast.expr | None) -> str | None:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return expression.value
    return None


def _integer(expression: ast.expr) -> int | None:
    if isinstance(expression, ast.Constant) and type(expression.value) is int:
        return expression.value
    return None


def _strings(expression: ast.expr | None) -> list[str] | None:
    """A constant fromlist: [] when absent or None, None when not constant."""
    if expression is None or (isinstance(expression, ast.Constant) and expression.value is None):
        return []
    if isinstance(expression, ast.List | ast.Tuple):
        items = [_string(item) for item in expression.elts]
        if all(item is not None for item in items):
            return [item for item in items if item is not None]
    return None


@dataclass(frozen=True)
class Rules:
    """The layers of a package and what each may import.

    A layer may always import itself and the shared leaves. Patterns are
    `fnmatch` patterns on dotted names, where ``*`` also matches dots:
    ``app.ui.*`` matches ``app.ui.x`` and ``app.ui.x.y`` but not ``app.ui``.
    """

    may_import: Mapping[str, frozenset[str]]
    """Layer name -> the other layers it may import."""
    modules: Mapping[str, str]
    """Module pattern -> layer; every module must match exactly one layer or be shared."""
    shared: frozenset[str] = frozenset()
    """Patterns of the shared leaves, which any layer may import."""
    forbidden_roots: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Layer (or SHARED) -> third-party top-level packages it must not import."""
    dynamic_unknown_allowed: frozenset[str] = frozenset()
    """Layers that may import a module whose name is computed at run time."""

    def __post_init__(self) -> None:
        def freeze(table: Mapping[str, frozenset[str]]) -> Mapping[str, frozenset[str]]:
            return MappingProxyType({key: frozenset(value) for key, value in table.items()})

        object.__setattr__(self, "may_import", freeze(self.may_import))
        object.__setattr__(self, "modules", MappingProxyType(dict(self.modules)))
        object.__setattr__(self, "shared", frozenset(self.shared))
        object.__setattr__(self, "forbidden_roots", freeze(self.forbidden_roots))
        object.__setattr__(self, "dynamic_unknown_allowed", frozenset(self.dynamic_unknown_allowed))
        layers = set(self.may_import)
        if SHARED in layers:
            raise ValueError(f"{SHARED!r} is reserved for the shared leaves")
        used = {*self.modules.values(), *self.dynamic_unknown_allowed}
        used.update(*self.may_import.values())
        used.update(set(self.forbidden_roots) - {SHARED})
        if undeclared := used - layers:
            raise ValueError(f"layers used but not declared: {', '.join(sorted(undeclared))}")

    def owners(self, module: str) -> set[str]:
        """The layers whose patterns match `module`, plus SHARED if it is a shared leaf."""
        owners = {layer for pattern, layer in self.modules.items() if fnmatchcase(module, pattern)}
        if any(fnmatchcase(module, pattern) for pattern in self.shared):
            owners.add(SHARED)
        return owners


def violations(
    package_root: Path, rules: Rules, *, include_type_checking: bool = True
) -> list[str]:
    """Every module of `package_root` that belongs to no layer or imports against `rules`.

    Lines read ``app/ui/x.py:12 imports app.store.files (relative): ui may
    import only services``; ``; TYPE_CHECKING`` follows the kind of a type-only
    import.
    """
    found: list[str] = []
    for path in sorted(package_root.rglob("*.py")):
        where = path.relative_to(package_root.parent).as_posix()
        module = module_name(path, package_root)
        owners = rules.owners(module)
        if len(owners) != 1:
            found.append(f"{where}:1 {module} {_membership(owners)}")
            continue
        (layer,) = owners
        try:
            imports = imported_modules(path, package_root, include_type_checking)
        except SyntaxError as error:
            found.append(f"{where}:{error.lineno or 1} cannot be parsed: {error.msg}")
            continue
        except LayeringError as error:
            found.append(f"{where}:{error.line} cannot be resolved: {error}")
            continue
        for item in imports:
            reason = _refusal(rules, layer, item, package_root.name)
            if reason:
                kind = f"{item.kind}; TYPE_CHECKING" if item.type_checking else item.kind
                found.append(f"{where}:{item.line} imports {item.module} ({kind}): {reason}")
    return found


def _membership(owners: set[str]) -> str:
    if not owners:
        return "belongs to no layer and is no shared leaf"
    return f"belongs to several layers: {', '.join(sorted(owners))}"


def _refusal(rules: Rules, layer: str, item: Import, top: str) -> str | None:
    """Why `layer` may not import `item`, or None when it may."""
    who = "a shared leaf" if layer == SHARED else layer
    if item.kind == "dynamic-unknown":
        if layer in rules.dynamic_unknown_allowed:
            return None
        return f"{who} may not import a module whose name is computed"
    if item.module != top and not item.module.startswith(f"{top}."):
        root = item.module.split(".")[0]
        if root in rules.forbidden_roots.get(layer, frozenset()):
            return f"{who} may not import {root}"
        return None
    owners = rules.owners(item.module)
    if len(owners) != 1:
        return f"{item.module} {_membership(owners)}"
    (target,) = owners
    if target in (SHARED, layer) or target in rules.may_import.get(layer, frozenset()):
        return None
    if layer == SHARED:
        return "a shared leaf may import only shared leaves"
    allowed = sorted(rules.may_import[layer])
    if not allowed:
        return f"{layer} may import no other layer"
    return f"{layer} may import only {', '.join(allowed)}"


def _package_layers(*names: str) -> dict[str, str]:
    """``app.<name>`` and everything under it, for each sub-package name."""
    return {pattern: name for name in names for pattern in (f"app.{name}", f"app.{name}.*")}


QT_ROOTS = frozenset({"PySide6", "shiboken6", "PyQt5", "PyQt6"})

_VAGLIO_MAY_IMPORT: dict[str, frozenset[str]] = {
    "config": frozenset(),
    "models": frozenset(),
    "scoring": frozenset({"models"}),
    "crypto": frozenset(),
    "store": frozenset({"models", "config"}),
    "bundles": frozenset({"crypto", "models"}),
    "sync": frozenset({"bundles"}),
    "reports": frozenset({"scoring", "models"}),
    "services": frozenset(
        {"models", "scoring", "store", "crypto", "bundles", "sync", "reports", "config"}
    ),
    "ui": frozenset({"services"}),
    "cli": frozenset({"services"}),
    "gui": frozenset({"ui", "services"}),
    "entry": frozenset({"cli", "gui"}),
}

VAGLIO_RULES = Rules(
    may_import=_VAGLIO_MAY_IMPORT,
    modules={
        **_package_layers(
            "config",
            "models",
            "scoring",
            "crypto",
            "store",
            "bundles",
            "sync",
            "reports",
            "services",
            "ui",
            "cli",
        ),
        "app.gui": "gui",
        "app.main": "entry",
        "app.__main__": "entry",
    },
    shared=frozenset(
        {
            "app",
            "app.errors",
            "app.i18n",
            "app.clock",
            "app.resources",
            "app.build_info",
            "app.labels",
        }
    ),
    forbidden_roots={
        layer: QT_ROOTS for layer in (*_VAGLIO_MAY_IMPORT, SHARED) if layer not in {"ui", "gui"}
    },
)
"""The layers of DESIGN.md, as tests/test_architecture.py enforces them."""
