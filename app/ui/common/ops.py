"""The GUI's one way to run a use case: on the database worker, with the open
workspace, back on the GUI thread (Anki's ``CollectionOp``).

- :class:`WorkspaceState` holds which workspace the window works on and, once
  unlocked, the services' handle to it; only the worker thread touches it.
- :meth:`Ops.run` runs ``op(workspace)`` on the worker. When it returns, the
  callback runs on the GUI thread, unless the widget that asked (``context``)
  has gone meanwhile: a dialog closed while its work ran is not called back.
  A refusal goes to ``failed`` if given, otherwise to one warning dialog; an
  unexpected error is logged and reported (:mod:`app.ui.common.failure`).
- Whatever changed (the ``changes`` the use cases return) is broadcast on
  :attr:`Ops.changed`, and each screen refreshes what it shows of it.

The use cases are imported inside the ops themselves, so the main window is
on screen before the database layer has loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.services.changes import Changes
from app.services.unlocking import LockedError, OpenWorkspace
from app.ui.common.worker import DbWorker

log = logging.getLogger(__name__)

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class WorkspaceState:
    """The workspace a window works on: its folder, and the handle once unlocked."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._workspace: OpenWorkspace | None = None

    @property
    def unlocked(self) -> bool:
        return self._workspace is not None

    def workspace(self) -> OpenWorkspace:
        """The open workspace, or :class:`LockedError` (work queued before a lock)."""
        if self._workspace is None:
            raise LockedError()
        return self._workspace

    def open(self, secret: str | None) -> Any:
        """Unlock (worker thread): the secret given, else the keyring; the identity.

        Without a secret and without a usable keyring slot this raises, and the
        window asks for the secret.
        """
        from app.services.preferences import remember_workspace
        from app.services.unlocking import GivenSecret, open_workspace
        from app.services.workspace import identity

        workspace = open_workspace(self.home, GivenSecret(secret))
        self.lock()
        self._workspace = workspace
        view = identity(workspace)
        remember_workspace(self.home, view.name, view.role)
        return view

    def adopt(self, workspace: OpenWorkspace) -> None:
        """Work on ``workspace``, already open (worker thread): the one the
        first-run wizard has just created."""
        self.lock()
        self._workspace = workspace

    def lock(self) -> None:
        """Close every connection (worker thread)."""
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def changes_of(result: object) -> Changes:
    """What a use case's result says it changed (a tuple: all of its parts)."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        merged = Changes()
        for part in result:
            merged = merged | changes_of(part)
        return merged
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else Changes()


def alive(context: QObject | None) -> bool:
    """Whether the object that asked for some work still exists."""
    return context is None or shiboken6.isValid(context)


class Ops(QObject):
    """Runs use cases for the screens of one application."""

    changed = Signal(object)  # Changes

    def __init__(self, worker: DbWorker, state: WorkspaceState, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self.state = state

    @property
    def unlocked(self) -> bool:
        return self.state.unlocked

    def run(
        self,
        context: QObject | None,
        op: Callable[[OpenWorkspace], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Run ``op(workspace)`` on the worker; ``done(result)`` back on the GUI thread."""
        state = self.state
        return self._submit(context, lambda: op(state.workspace()), done, failed)

    def run_free(
        self,
        context: QObject | None,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Run ``job()``, which needs no workspace (a file, a signature), on the worker."""
        return self._submit(context, job, done, failed)

    def unlock(
        self, context: QObject | None, secret: str | None, done: Done, failed: Failed
    ) -> int:
        """Open the workspace with ``secret`` (None: the keyring); ``done(identity)``."""
        state = self.state
        return self._submit(context, lambda: state.open(secret), done, failed)

    def lock(self, context: QObject | None = None, done: Done | None = None) -> int:
        """Close the workspace on the worker, after the work already queued."""
        return self._submit(context, self.state.lock, done, None)

    def _submit(
        self,
        context: QObject | None,
        job: Callable[[], Any],
        done: Callable[[Any], None] | None,
        failed: Failed | None,
    ) -> int:
        def delivered(result: Any) -> None:
            if alive(context) and done is not None:
                done(result)
            changes = changes_of(result)
            if changes.any():
                self.changed.emit(changes)

        def refused(error: BaseException) -> None:
            if isinstance(error, LockedError):
                return  # work queued before a lock: nothing to tell
            if not alive(context):
                log.info("dropped the failure of a job whose window is gone: %r", error)
                return
            if failed is not None:
                failed(error)
                return
            from app.ui.common.failure import report

            report(context, error)

        return self.worker.submit(job, delivered, refused)
