"""Fifteen members' clients syncing at once against one WebDAV server, which
is restarted once while their bundles arrive: the scenario of the load test
(tests/services/test_webdav_load.py) and of its figures in ``make bench``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app.services import cards, declarations, exchange, publication, remotes, scores, submission
from app.services.calls import create_call
from app.services.proposal_import import import_proposals
from app.services.unlocking import OpenWorkspace
from app.services.workspace import create_workspace
from app.sync.engine import Backoff
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE

MEMBERS = 15
ROUNDS = 6
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
WHY = "Motivazione sufficiente per la prova di carico."
FAST = Backoff(4, 0.05)


def workspace(folder: Path, role: str, name: str) -> OpenWorkspace:
    return create_workspace(
        folder, role=role, name=name, passphrase=PASSPHRASE, use_keyring=False
    ).workspace


@dataclass
class Load:
    """What the scenario left: the workspaces, and what it counted."""

    office: OpenWorkspace
    members: list[OpenWorkspace]
    parts: int
    retries: list[int] = field(default_factory=list)  # one entry per sync round that failed
    errors: list[BaseException] = field(default_factory=list)
    uploads_seconds: float = 0.0  # from the fifteen bundles leaving to the last one arriving

    def sync_until_clean(self, ws: OpenWorkspace) -> exchange.SyncReport:
        """Sync again after a transient failure, as the app's next sync would."""
        for _round in range(ROUNDS):
            report = exchange.sync(ws, backoff=FAST)
            if not report.failures:
                return report
            self.retries.append(1)
        raise AssertionError(f"still failing after {ROUNDS} rounds: {report.failures}")

    def close(self) -> None:
        for ws in (*self.members, self.office):
            ws.close()


def prepare(folder: Path, url: str, members: int = MEMBERS) -> Load:
    """The office publishes the fixture call to ``url``; ``members`` members trust it
    (the WebDAV password in ``VAGLIO_WEBDAV_PASSWORD``, as the caller sets it)."""
    office = workspace(folder / "office", "secretariat", "Segreteria")
    create_call(office, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    people = [workspace(folder / f"m{n:02d}", "member", f"Membro {n:02d}") for n in range(members)]
    cards.enroll_cards(office, CALL_ID, [(cards.export_card(m), "member") for m in people])
    office_card = cards.export_card(office)
    remotes.set_remote(office, CALL_ID, url)
    published = publication.publish_call(office, CALL_ID)
    load = Load(office, people, published.parts)
    uploaded = exchange.sync(office, backoff=FAST).uploaded
    assert uploaded == 1 + published.parts, uploaded  # the package and its parts
    for member in people:
        cards.trust_office(member, office_card)
        remotes.set_remote(member, CALL_ID, url)
    return load


def _evaluate(member: OpenWorkspace) -> None:
    declarations.declare_general(member, CALL_ID)
    for code in ("P001", "P002", "P003", "P004", "P005", "P006"):
        declarations.declare_proposal(member, CALL_ID, code, conflict=False)
    for code in ("P001", "P002", "P003", "P004", "P005"):
        scores.save_scores(member, CALL_ID, code,
                           values={k: Decimal("0.6") for k in KEYS},
                           justifications={k: WHY for k in KEYS})  # fmt: skip
    submission.submit(member, CALL_ID)


def run(load: Load, inbox: Path, restart: Callable[[], None]) -> None:
    """Every member installs the package and submits; then their bundles leave
    at once, and ``restart`` runs as soon as the first one is on the server."""
    ready = threading.Barrier(len(load.members) + 1, timeout=300)

    def member_job(member: OpenWorkspace) -> None:
        try:
            first = load.sync_until_clean(member)
            assert [t.kind for t in first.taken_in] == ["call-package"]
            _evaluate(member)
        except BaseException as exc:  # reported by the caller
            load.errors.append(exc)
        ready.wait()
        try:
            load.sync_until_clean(member)
        except BaseException as exc:
            load.errors.append(exc)

    def arrived() -> int:
        return len(list(inbox.rglob("*.vaglio"))) if inbox.exists() else 0

    threads = [threading.Thread(target=member_job, args=(m,)) for m in load.members]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    pause = threading.Event()
    while arrived() < 1 and any(t.is_alive() for t in threads):
        pause.wait(0.01)
    restart()
    for thread in threads:
        thread.join(300)
    load.uploads_seconds = time.perf_counter() - start
    assert not any(t.is_alive() for t in threads)
