"""Refusals and failures of a remote."""

from __future__ import annotations

from app.errors import VaglioError, echo
from app.i18n import _


class SyncError(VaglioError):
    """Base of every remote failure."""


class TransientError(SyncError):
    """Worth retrying: the network or the server failed this time."""

    def __init__(self, remote: str, detail: str) -> None:
        super().__init__(
            _("The remote {remote} did not answer as expected ({detail}).").format(
                remote=remote, detail=echo(detail, 100)
            )
        )


class RemoteRefusedError(SyncError):
    """Not worth retrying: permissions, a missing folder, a bad address."""

    def __init__(self, remote: str, detail: str) -> None:
        super().__init__(
            _("The remote {remote} refused the operation ({detail}).").format(
                remote=remote, detail=echo(detail, 100)
            )
        )


class RemoteConflictError(SyncError):
    def __init__(self, path: str) -> None:
        super().__init__(
            _(
                "A different file with the same name is already on the remote ({path}): "
                "nothing was overwritten."
            ).format(path=echo(path, 80))
        )


class CancelledError(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Synchronisation cancelled."))


class RemoteFileTooLargeError(SyncError):
    def __init__(self, path: str, limit: int) -> None:
        super().__init__(
            _("The remote file {path} is larger than {limit} bytes: it was not read.").format(
                path=echo(path, 80), limit=limit
            )
        )
