"""Synchronisation with the city office: push the outbox, pull what is new.

- Secretariat: upload call packages and receipts; take in every new score
  bundle under ``<call>/inbox/``; upload the receipts this produced.
- Member: take in the newest call package (even before the call is known,
  once its remote is set): a substitute's own under ``<call>/package/<own
  key>/`` if there is one; upload submitted bundles; take in receipts under
  ``<call>/receipts/<own key>/``.

Every remote file looked at is recorded (``InboxEntry``): a second sync does
not fetch it again, and re-importing a bundle already accepted changes
nothing. A refused file (too large, malformed, refused by the office's
checks, or failing in a way nobody foresaw) is recorded with its reason and
reported once; it never stops the intake of the other files.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.bundles import envelopes
from app.bundles.close_notice import MAX_CLOSE_NOTICE
from app.errors import VaglioError, echo
from app.i18n import _
from app.models import InboxEntry, OutboxItem
from app.models.base import utc_now
from app.services import closing, intake, outbox
from app.services.changes import Changes
from app.services.remotes import remotes, transport_for
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.sync import engine
from app.sync.engine import Backoff, Cancel
from app.sync.errors import CancelledError, RemoteFileTooLargeError, SyncError
from app.sync.transport import Transport

Progress = Callable[[str], None]
log = logging.getLogger(__name__)

__all__ = ["Backoff", "Cancel", "SyncReport", "sync"]


@dataclass
class SyncReport:
    """What one synchronisation did."""

    uploaded: int = 0
    taken_in: list[intake.IntakeResult] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        changes = Changes()
        for result in self.taken_in:
            changes = changes | result.changes
        return changes | (Changes(bundles=True) if self.uploaded else Changes())

    def lines(self) -> list[str]:
        """The report for people, one line each."""
        lines = [
            line
            for result in self.taken_in
            if result.outcome == "accepted"
            for line in [result.describe(), *result.notes()]
        ]
        lines += [
            _("Refused {path}: {reason}").format(path=echo(p, 80), reason=r)
            for p, r in self.refused
        ]
        lines += [_("{call_id}: {reason}").format(call_id=c, reason=r) for c, r in self.failures]
        lines.append(
            _("{uploaded} files sent, {received} received.").format(
                uploaded=self.uploaded,
                received=sum(1 for r in self.taken_in if r.outcome == "accepted"),
            )
        )
        return lines


@dataclass
class _CallRun:
    """One call's synchronisation: its transport and everything it reports to."""

    ws: OpenWorkspace
    transport: Transport
    call_id: str
    cancel: Cancel
    backoff: Backoff
    report: SyncReport
    progress: Progress

    def push(self) -> None:
        with self.ws.session() as session:
            pending = session.scalars(
                select(OutboxItem)
                .where(OutboxItem.call_id == self.call_id, OutboxItem.uploaded_at.is_(None))
                .order_by(OutboxItem.id)
            ).all()
            uploads = [engine.Upload(i.id, i.remote_path, bytes(i.content)) for i in pending]
        engine.push(
            self.transport,
            uploads,
            cancel=self.cancel,
            on_done=self._uploaded,
            backoff=self.backoff,
        )

    def _uploaded(self, upload: engine.Upload, _written: bool) -> None:
        with self.ws.session() as session:
            item = session.get(OutboxItem, upload.key)
            if item is not None:
                item.uploaded_at = utc_now()
        self.report.uploaded += 1
        self.progress(_("Sent {path}").format(path=upload.path))

    def files(self, folder: str, depth: int) -> list[str]:
        return list(
            engine.walk(
                self.transport, folder, cancel=self.cancel, backoff=self.backoff, depth=depth
            )
        )

    def unseen(self, paths: list[str]) -> list[str]:
        """The remote files not looked at yet."""
        with self.ws.session() as session:
            seen = set(
                session.scalars(
                    select(InboxEntry.remote_path).where(InboxEntry.call_id == self.call_id)
                )
            )
        return [path for path in paths if path not in seen]

    def take_in(self, paths: list[str], max_size: int, *, checked: bool = False) -> None:
        for path in self.unseen(paths):
            self.cancel.check()
            try:
                data = engine.fetch(
                    self.transport, path, max_size, cancel=self.cancel, backoff=self.backoff
                )
            except RemoteFileTooLargeError as exc:
                self._refuse(path, b"", str(exc))
                continue
            try:
                result = intake.import_file(self.ws, data, checked=checked)
            except SyncError:
                raise
            except VaglioError as exc:
                self._refuse(path, data, str(exc))
                continue
            except Exception:
                # A file nobody foresaw must not stop the other members' bundles:
                # it is refused like the rest, and the trace goes to the log.
                log.exception("unexpected failure taking in %s", path)
                self._refuse(path, data, _("it could not be read (see the log)"))
                continue
            self.report.taken_in.append(result)
            self._record(path, data, result.outcome, result.describe())
            for line in [result.describe(), *result.notes()]:
                self.progress(line)

    def _refuse(self, path: str, data: bytes, reason: str) -> None:
        """Recorded once: the next sync does not look at the file again."""
        self.report.refused.append((path, reason))
        self._record(path, data, "refused", reason)
        self.progress(_("Refused {path}: {reason}").format(path=echo(path, 80), reason=reason))

    def _record(self, path: str, data: bytes, outcome: str, message: str) -> None:
        with self.ws.session() as session:
            session.add(
                InboxEntry(
                    call_id=self.call_id,
                    remote_path=path,
                    sha256=hashlib.sha256(data).hexdigest(),
                    outcome=outcome,
                    message=message,
                )
            )

    def run(self, role: str, key_id: str) -> None:
        call_id = self.call_id
        self.progress(
            _("{call_id}: connecting to {remote}").format(
                call_id=call_id, remote=self.transport.describe()
            )
        )
        if role == "secretariat":
            inbox = self.files(f"{call_id}/inbox", 1)
            if self.unseen(inbox):
                # New bundles: the full check once, before anything is written.
                intake.check_before_intake(self.ws)
            self.push()
            self.take_in(inbox, envelopes.MAX_SEALED_BUNDLE, checked=True)
            self.push()  # the receipts just issued
            return
        # A closed call's package is never fetched again: its material must not come back.
        # A substitute's own package (only the proposals assigned to them) is
        # in a folder named by their key; everyone else takes the whole one.
        closed = closing.is_closed(self.ws, call_id)
        if not closed:
            own = self.files(f"{call_id}/package/{key_id}", 0)
            packages = sorted(
                own or self.files(f"{call_id}/package", 0),
                key=lambda path: outbox.sequence_of(path.rsplit("/", 1)[-1]) or 0,
            )
            self.take_in(packages[-1:], envelopes.MAX_SEALED_PACKAGE)
        self.push()
        self.take_in(self.files(f"{call_id}/receipts/{key_id}", 0), envelopes.MAX_RECEIPT)
        if not closed:
            notice = closing.notice_path(call_id)
            found = [path for path in self.files(call_id, 0) if path == notice]
            self.take_in(found, MAX_CLOSE_NOTICE)


def sync(
    ws: OpenWorkspace,
    *,
    cancel: Cancel | None = None,
    progress: Progress = lambda _text: None,
    backoff: Backoff | None = None,
    call_id: str | None = None,
) -> SyncReport:
    """Synchronise every call that has a remote (or only ``call_id``)."""
    cancel = cancel or Cancel()
    backoff = backoff or Backoff()
    report = SyncReport()
    with ws.session() as session:
        identity = own_identity(session)
        role, key_id = identity.role, identity.key_id
    for remote in remotes(ws):
        if call_id is not None and remote.call_id != call_id:
            continue
        report.calls.append(remote.call_id)
        transport = transport_for(remote)
        run = _CallRun(ws, transport, remote.call_id, cancel, backoff, report, progress)
        try:
            run.run(role, key_id)
        except CancelledError:
            raise
        except SyncError as exc:
            report.failures.append((remote.call_id, str(exc)))
        finally:
            transport.close()
    return report
