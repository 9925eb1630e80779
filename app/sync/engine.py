"""Retries with back-off, cancellation, and the push and pull loops.

The engine moves opaque files: what to upload and what to do with what comes
down is decided by the use cases (``app/services/exchange.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from app.sync.errors import CancelledError, TransientError
from app.sync.transport import Transport

T = TypeVar("T")
Progress = Callable[[int, int, str], None]


class Cancel:
    """A flag another thread sets to stop the synchronisation between two steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise CancelledError()

    def wait(self, seconds: float) -> None:
        """Sleep, but wake up (and stop) as soon as cancelled."""
        if self._event.wait(seconds):
            raise CancelledError()


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4
    first_delay: float = 0.5
    factor: float = 2.0


def retrying(action: Callable[[], T], *, cancel: Cancel, backoff: Backoff = Backoff()) -> T:
    """Run ``action``; on a transient failure wait and try again, up to the limit."""
    delay = backoff.first_delay
    for attempt in range(1, backoff.attempts + 1):
        cancel.check()
        try:
            return action()
        except TransientError:
            if attempt == backoff.attempts:
                raise
            cancel.wait(delay)
            delay *= backoff.factor
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Upload:
    key: int
    path: str
    data: bytes


def push(
    transport: Transport,
    uploads: list[Upload],
    *,
    cancel: Cancel,
    on_done: Callable[[Upload, bool], None],
    progress: Progress = lambda _done, _total, _text: None,
    backoff: Backoff = Backoff(),
) -> None:
    """Upload each file; ``on_done(upload, written_now)`` after each success."""
    for index, upload in enumerate(uploads, start=1):
        progress(index - 1, len(uploads), upload.path)
        written = retrying(
            lambda upload=upload: transport.put(upload.path, upload.data),  # type: ignore[misc]
            cancel=cancel,
            backoff=backoff,
        )
        on_done(upload, written)
    progress(len(uploads), len(uploads), "")


def walk(
    transport: Transport,
    folder: str,
    *,
    cancel: Cancel,
    backoff: Backoff = Backoff(),
    depth: int = 1,
) -> Iterator[str]:
    """The file paths under ``folder``, down to ``depth`` levels of sub-folders."""
    entries = retrying(lambda: transport.list(folder), cancel=cancel, backoff=backoff)
    for entry in entries:
        path = f"{folder}/{entry.name}"
        if entry.is_folder:
            if depth > 0:
                yield from walk(transport, path, cancel=cancel, backoff=backoff, depth=depth - 1)
        else:
            yield path


def fetch(
    transport: Transport, path: str, max_size: int, *, cancel: Cancel, backoff: Backoff = Backoff()
) -> bytes:
    """One file, with retries."""
    return retrying(lambda: transport.get(path, max_size), cancel=cancel, backoff=backoff)
