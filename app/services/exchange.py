"""Synchronisation with the city office: push the outbox, pull what is new.

- Secretariat: upload call packages and receipts; take in every new score
  bundle under ``<call>/inbox/``; upload the receipts this produced.
- Member: take in the newest call package (even before the call is known,
  once its remote is set): a substitute's own under ``<call>/package/<own
  key>/`` if there is one; upload submitted bundles; take in receipts under
  ``<call>/receipts/<own key>/``. A package whose attachments travel as parts
  waits in the workspace while the parts it lists and this workspace does
  not hold are fetched, each verified and kept as it arrives (an interrupted
  sync resumes with the others); it is installed once every part is here.
  A part not on the remote yet leaves it waiting: said, not refused.

Every remote file looked at is recorded (``InboxEntry``): a second sync does
not fetch it again, and re-importing a bundle already accepted changes
nothing. A refused file (too large, malformed, refused by the office's
checks, or failing in a way nobody foresaw) is recorded with its reason and
reported once; it never stops the intake of the other files.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import Row, delete, select, update

from app.bundles import envelopes, parts
from app.bundles.close_notice import MAX_CLOSE_NOTICE
from app.errors import VaglioError, echo
from app.i18n import _
from app.models import InboxEntry, OutboxItem
from app.models.base import utc_now
from app.services import closing, intake, outbox, package_install
from app.services import package_staging as staging
from app.services.changes import Changes
from app.services.exchange_errors import IntakeStoppedError, OutboxCopyLostError
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
    # Parts fetched (verified and kept) by this sync.
    parts_fetched: int = 0

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
            if result.outcome in {"accepted", "waiting"}
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
    sent: list[int] = field(default_factory=list)  # uploaded, not yet marked

    def push(self) -> None:
        """Upload what waits in the outbox, one file in memory at a time."""
        with self.ws.session() as session:
            pending = session.execute(
                select(OutboxItem.id, OutboxItem.remote_path, OutboxItem.kind)
                .where(OutboxItem.call_id == self.call_id, OutboxItem.uploaded_at.is_(None))
                .order_by(OutboxItem.id)
            ).all()
        total_parts = sum(1 for _key, _path, kind in pending if kind == "part")
        try:
            self._push(pending, total_parts)
        finally:
            self._mark_sent()

    def _push(self, pending: Sequence[Row[int, str, str]], total_parts: int) -> None:
        sent_parts = 0
        for key, path, kind in pending:
            self.cancel.check()
            if kind == "part":
                sent_parts += 1
                self.progress(
                    _("Attachment {index} of {total}…").format(index=sent_parts, total=total_parts)
                )
            with self.ws.session() as session:
                content, sha256 = session.execute(
                    select(OutboxItem.content, OutboxItem.sha256).where(OutboxItem.id == key)
                ).one()
                data = outbox.queued_bytes(self.ws, path, content, sha256)
                if data is None:  # a part's only copy went missing or changed
                    session.execute(delete(OutboxItem).where(OutboxItem.id == key))
                    self.report.failures.append((self.call_id, str(OutboxCopyLostError(path))))
                    continue
            engine.push(
                self.transport,
                [engine.Upload(key, path, bytes(data))],
                cancel=self.cancel,
                on_done=partial(self._uploaded, kind=kind),
                backoff=self.backoff,
            )

    def _uploaded(self, upload: engine.Upload, _written: bool, *, kind: str) -> None:
        # Marked a hundred at a time (one commit each, not one per file: a
        # regional call's 10,000 parts): one uploaded again after a crash
        # is found on the remote with the same bytes and not written twice.
        self.sent.append(upload.key)
        if len(self.sent) >= 100:
            self._mark_sent()
        self.report.uploaded += 1
        if kind != "part":  # parts are counted as they go
            self.progress(_("Sent {path}").format(path=upload.path))

    def _mark_sent(self) -> None:
        if self.sent:
            with self.ws.session() as session:
                session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(self.sent))
                    .values(uploaded_at=utc_now())
                )
            self.sent.clear()

    def files(self, folder: str, depth: int) -> list[str]:
        return list(
            engine.walk(
                self.transport, folder, cancel=self.cancel, backoff=self.backoff, depth=depth
            )
        )

    def seen(self) -> set[str]:
        """The remote files looked at already."""
        with self.ws.session() as session:
            return set(
                session.scalars(
                    select(InboxEntry.remote_path).where(InboxEntry.call_id == self.call_id)
                )
            )

    def unseen(self, paths: list[str]) -> list[str]:
        """The remote files not looked at yet."""
        seen = self.seen()
        return [path for path in paths if path not in seen]

    def take_in(
        self, paths: list[str], max_size: int, *, checked: bool = False, bundles: bool = False
    ) -> None:
        """Take in each remote file not looked at yet; ``bundles``: the
        office's score bundles, each reported ("Bundle 3 of 15…") and undone
        if the sync is stopped while it is taken in."""
        todo = self.unseen(paths)
        for index, path in enumerate(todo, start=1):
            self.cancel.check()
            if bundles:
                self.progress(_("Bundle {index} of {total}…").format(index=index, total=len(todo)))
            data = self._fetch(path, max_size)
            if data is not None:
                take = partial(
                    intake.import_file, self.ws, data, checked=checked, cancel=self.cancel
                )
                self._take(path, take, data)

    def _fetch(self, path: str, max_size: int) -> bytes | None:
        """One remote file; None when it is too large (then refused)."""
        try:
            return engine.fetch(
                self.transport, path, max_size, cancel=self.cancel, backoff=self.backoff
            )
        except RemoteFileTooLargeError as exc:
            self._refuse(path, b"", str(exc))
            return None

    def _take(
        self,
        path: str,
        action: Callable[[], intake.IntakeResult | None],
        data: bytes,
        *,
        final: bool = True,
    ) -> intake.IntakeResult | None:
        """Take in one file: recorded with its outcome, or refused (None). A
        package waiting for its parts is not recorded: the next sync looks
        at it again (and, unless ``final``, it is not reported yet: its
        parts come next)."""
        try:
            result = action()
        except SyncError:
            raise
        except VaglioError as exc:
            self._refuse(path, data, str(exc))
            return None
        except Exception:
            # A file nobody foresaw must not stop the other members' bundles:
            # it is refused like the rest, and the trace goes to the log.
            log.exception("unexpected failure taking in %s", path)
            self._refuse(path, data, _("it could not be read (see the log)"))
            return None
        if result is None or (result.outcome == "waiting" and not final):
            return result
        self.report.taken_in.append(result)
        if result.outcome != "waiting" and path:
            self._record(path, data, result.outcome, result.describe())
        for line in [result.describe(), *result.notes()]:
            self.progress(line)
        return result

    def take_package(self, paths: list[str]) -> None:
        """The newest package on the remote; one whose parts are not all here
        waits while the missing parts are fetched, then installs."""
        kept = staging.waiting(self.ws, self.call_id)
        path = paths[-1] if paths else ""
        if path and path not in self.seen():
            self.cancel.check()
            if kept is not None and kept.remote_path == path:
                data: bytes | None = kept.sealed  # kept by an earlier sync: no download
            else:
                data = self._fetch(path, envelopes.MAX_SEALED_PACKAGE)
            if data is None:
                return
            package = data
            result = self._take(
                path,
                lambda: intake.install_package(self.ws, package, remote_path=path),
                package,
                final=False,
            )
            if result is None or result.outcome != "waiting":
                return
            kept = staging.waiting(self.ws, self.call_id)
        if kept is None:
            return
        self._fetch_parts(kept)
        final = self._take(
            kept.remote_path,
            lambda: package_install.complete_waiting(self.ws, self.call_id),
            kept.sealed,
        )
        if final is None:  # refused now (an office no longer trusted...): stop waiting
            staging.discard(self.ws, self.call_id)

    def _fetch_parts(self, kept: staging.Waiting) -> None:
        """Fetch each part the waiting package lists, this workspace does
        not hold, and the remote has; verify and keep each as it arrives."""
        with self.ws.session() as session:
            identity = own_identity(session)
            package = package_install.open_package(session, identity, kept.sealed)
            absent = staging.missing(self.ws, session, package)
        folder = parts.folder(self.call_id, package.sealed_to)
        there = set(self.files(folder, 0))
        seen = self.seen()
        listed = package.listed()
        todo = [
            f"{folder}/{sha}.vaglio"
            for sha in absent
            if f"{folder}/{sha}.vaglio" in there and f"{folder}/{sha}.vaglio" not in seen
        ]
        for index, path in enumerate(todo, start=1):
            self.cancel.check()
            self.progress(_("Attachment {index} of {total}…").format(index=index, total=len(todo)))
            sha = path.rsplit("/", 1)[-1].removesuffix(".vaglio")
            data = self._fetch(path, parts.sealed_limit(listed[sha]))
            if data is None:
                continue
            try:
                parts.open_part(
                    data,
                    call_id=self.call_id,
                    my_key_id=identity.key_id,
                    my_sealing_private=identity.sealing_private_key,
                    listed=listed,
                    expected=sha,
                )
            except VaglioError as exc:
                self._refuse(path, data, str(exc))
                continue
            staging.keep_part(self.ws, self.call_id, sha, data)
            self.report.parts_fetched += 1

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
            self.take_in(inbox, envelopes.MAX_SEALED_BUNDLE, checked=True, bundles=True)
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
            self.take_package(packages[-1:])
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
    """Synchronise every call that has a remote (or only ``call_id``).

    ``cancel`` stops it between two files; the office's stop raises
    :class:`IntakeStoppedError` (the bundles taken in stay), a member's
    :class:`~app.sync.errors.CancelledError`.
    """
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
            if role != "secretariat":
                raise
            # The office's bundles are each their own transaction: those
            # taken in stay, the one in progress was rolled back.
            raise IntakeStoppedError(
                sum(1 for r in report.taken_in if r.outcome == "accepted"),
                office=True,
                synchronising=True,
            ) from None
        except SyncError as exc:
            report.failures.append((remote.call_id, str(exc)))
        finally:
            transport.close()
    return report
