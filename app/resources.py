"""Where the files shipped beside the code live (translations, fonts, demo).

In a source checkout or an editable install they are in ``resources/`` at the
top of the repository; in a frozen bundle PyInstaller puts them in
``sys._MEIPASS/resources``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding Vaglio's shipped resources."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder (not checked for existence)."""
    return resources_dir().joinpath(*parts)
