"""The single background worker for database work.

Every use case that touches the workspace runs on this one thread, in
submission order (SQLite wants one writer; one thread also keeps the session
rules simple). Results and errors come back on the GUI thread through a
queued signal, so widgets and item models are only ever touched there (Anki's
``CollectionOp`` / ``taskman``). :meth:`DbWorker.shutdown` drains the queue and
joins the thread; tests call it in a fixture so that no thread outlives them.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class DbWorker(QObject):
    """Runs jobs one at a time off the GUI thread; calls back on the GUI thread."""

    _finished = Signal(int, object, object)  # job id, result, error
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[tuple[int, Job] | None] = queue.Queue()
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._ids = itertools.count(1)
        self._pending = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name="vaglio-db", daemon=True)
        self._thread.start()

    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> int:
        """Queue ``job``; ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread."""
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._jobs.put((job_id, job))
        return job_id

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job_id, job = item
            try:
                result, error = job(), None
            except BaseException as exc:
                result, error = None, exc
            self._finished.emit(job_id, result, error)

    def _deliver(self, job_id: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background job failed", exc_info=error)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Finish queued jobs, then stop the thread."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout)
