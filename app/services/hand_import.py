"""Files carried by hand (a USB stick): which files a list of paths means,
in which order, and the packages they complete.

A folder stands for every file under it (names starting with ``.`` left
out), so a member can take in a call package and its parts by naming the
folder copied from the office's ``outbox/<call-id>/package``. Parts go after
the packages they belong to. Inside a folder, a file sealed to someone else
(a substitute's package, the parts of another roster) or a part no package
waits for is passed over, not refused: the folder holds more than this
member's files.

:func:`take_in` takes the files in one by one, each in its own transaction,
saying which it is at ("Pacchetto di punteggi 3 di 15…"); a stop between two files (or
during a bundle, which is then rolled back) keeps the files already taken in
and says how many (issue 16, item 4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.bundles.parts import PartNotForYouError
from app.errors import VaglioError
from app.i18n import _
from app.services.exchange_errors import IntakeStoppedError, PackageNotForYouError
from app.services.intake import IntakeResult
from app.services.package_staging import NoPackageWaitingError
from app.services.steps import Cancel, CancelledError, Progress, no_progress
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity

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


@dataclass(frozen=True)
class HandIntake:
    """What a manual import did: each file taken in with its outcome, each
    refused with why, then the packages its parts completed."""

    taken: tuple[tuple[HandFile, IntakeResult], ...]
    refused: tuple[tuple[HandFile, str], ...]
    completed: tuple[IntakeResult, ...]


def take_in(
    ws: OpenWorkspace,
    paths: Sequence[str],
    *,
    stop_at_refusal: bool = False,
    on_taken: Callable[[HandFile, IntakeResult], None] | None = None,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> HandIntake:
    """Take in the files ``paths`` name (see :func:`files_of`), each in its own
    transaction, as a sync does.

    A refused file is listed and the others go on, unless
    ``stop_at_refusal`` (then it raises, naming the file). ``on_taken`` hears
    each file as it is taken in. ``cancel`` stops between two files, or
    during a score bundle (rolled back): :class:`IntakeStoppedError` says how
    many files were taken in and stay.
    """
    from app.services.files import read_input
    from app.services.intake import check_before_intake, import_file

    cancel = cancel or Cancel()
    check_before_intake(ws)
    with ws.session() as session:
        office = own_identity(session).role == "secretariat"
    found = files_of(paths)
    label = _("Bundle {index} of {total}…") if office else _("File {index} of {total}…")
    taken: list[tuple[HandFile, IntakeResult]] = []
    refused: list[tuple[HandFile, str]] = []
    try:
        for index, hand in enumerate(found, start=1):
            cancel.check()
            progress(label.format(index=index, total=len(found)))
            try:
                data = read_input(hand.path)
            except VaglioError as exc:
                if stop_at_refusal:
                    raise
                refused.append((hand, str(exc)))
                continue
            try:
                result = import_file(ws, data, checked=True, cancel=cancel)
            except CancelledError:
                raise
            except VaglioError as exc:
                if isinstance(exc, NOT_MINE) and hand.in_folder:
                    continue  # a folder holds other people's files too
                if stop_at_refusal:
                    if isinstance(exc, NOT_MINE):
                        raise
                    raise VaglioError(f"{hand.path}: {exc}") from None
                refused.append((hand, str(exc)))
                continue
            taken.append((hand, result))
            if on_taken is not None:
                on_taken(hand, result)
    except CancelledError:
        kept = sum(1 for _hand, result in taken if result.outcome != "duplicate")
        raise IntakeStoppedError(kept, office=office) from None
    return HandIntake(tuple(taken), tuple(refused), tuple(complete(ws)))
