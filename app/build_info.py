"""Which Vaglio this is: its version and, in an installed bundle, how it was built.

The version comes from the package metadata (``pyproject.toml``). The
installer's build (``installers/vaglio.spec``) also writes ``build_info.json``
at the top of the bundle with the version, the git commit and the build date,
so that ``vaglio --version`` and the About dialog say which build a member
runs. A source checkout has no such file and says "development".
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DISTRIBUTION = "vaglio"
BUILD_INFO_FILE = "build_info.json"


@dataclass(frozen=True)
class BuildInfo:
    """The version, and the commit and date of an installer build (None when run from source)."""

    version: str
    commit: str | None = None
    built: str | None = None

    @property
    def development(self) -> bool:
        """True when run from a source checkout rather than an installed bundle."""
        return self.commit is None and self.built is None

    def describe(self) -> str:
        """One line, as ``vaglio --version`` prints it (never translated: scripts read it)."""
        if self.development:
            return f"vaglio {self.version} (development)"
        return (
            f"vaglio {self.version} "
            f"(commit {self.commit or 'unknown'}, built {self.built or 'unknown'})"
        )

    def to_json(self) -> str:
        """The content of ``build_info.json``."""
        return json.dumps(
            {"version": self.version, "commit": self.commit, "built": self.built}, indent=2
        )


def package_version() -> str:
    """The version in the installed package metadata, else the one in ``app``."""
    # Imported here: importlib.metadata costs more than a bare window's start-up
    # share, and only `--version` and the about box need it.
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        from app import __version__

        return __version__


def bundle_root() -> Path | None:
    """The folder of a frozen bundle (PyInstaller's ``sys._MEIPASS``), or None."""
    root = getattr(sys, "_MEIPASS", None)
    return Path(root) if root else None


@functools.cache
def current() -> BuildInfo:
    """This copy's build information (read once)."""
    root = bundle_root()
    if root is not None:
        try:
            data = json.loads((root / BUILD_INFO_FILE).read_text(encoding="utf-8"))
            return BuildInfo(
                version=str(data["version"]),
                commit=data.get("commit") or None,
                built=data.get("built") or None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a bundle built by hand without the spec: fall back to the metadata
    return BuildInfo(package_version())


class VersionAction(argparse.Action):
    """``--version``: the build line, computed only when asked (start-up stays cheap)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "show the version and build, then exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(current().describe())
        parser.exit()
