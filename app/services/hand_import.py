"""Files carried by hand (a USB stick): which files a list of paths means,
in which order, and the packages they complete.

A folder stands for every file under it (names starting with ``.`` left
out), so a member can take in a call package and its parts by naming the
folder copied from the office's ``outbox/<call-id>/package``. Parts go after
the packages they belong to. Inside a folder, a file sealed to someone else
(a substitute's package, the parts of another roster) or a part no package
waits for is passed over, not refused: the folder holds more than this
member's files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.bundles.parts import PartNotForYouError
from app.services.exchange_errors import PackageNotForYouError
from app.services.intake import IntakeResult
from app.services.package_staging import NoPackageWaitingError
from app.services.unlocking import OpenWorkspace

# What a file found in a folder may be without being refused.
NOT_MINE = (PackageNotForYouError, PartNotForYouError, NoPackageWaitingError)


@dataclass(frozen=True)
class HandFile:
    path: str
    # Found by walking a folder that was named (rather than named itself).
    in_folder: bool


def _is_part(path: str) -> bool:
    """A sealed part of a call package, from its first bytes."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'"purpose":"call-attachment"' in head.replace(b" ", b"")


def files_of(paths: Sequence[str]) -> list[HandFile]:
    """The files ``paths`` name, folders walked, parts last."""
    found: list[HandFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += [
                HandFile(str(child), True)
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            ]
        else:
            found.append(HandFile(raw, False))
    return sorted(found, key=lambda f: _is_part(f.path))  # stable: the order given otherwise


def complete(ws: OpenWorkspace) -> list[IntakeResult]:
    """After the files: each package that waited for parts, installed if
    they are all here now, or still waiting (how many it lacks)."""
    from app.services.package_install import complete_waiting, waiting_calls

    results = []
    for call_id in waiting_calls(ws):
        result = complete_waiting(ws, call_id)
        if result is not None:
            results.append(result)
    return results
