"""Fifteen members syncing at once against Apache httpd with mod_dav, with the
server restarted once in the middle (issue 16, item 5): nothing is lost or
duplicated, and every bundle gets its receipt.

Bounded in count (15 clients, at most 6 rounds each) and in time (the
pytest timeout); how fast it goes is measured by ``make bench``, not here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import InboxEntry, ScoreBundleRecord
from app.services import cards, declarations, exchange, publication, remotes, scores, submission
from app.services.calls import create_call
from app.services.proposal_import import import_proposals
from app.services.status import call_status
from app.services.unlocking import OpenWorkspace
from app.services.workspace import create_workspace
from app.sync.engine import Backoff
from tests.support.apache_dav import ApacheDav, apache_server
from tests.support.webdav_server import PASSWORD
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE

MEMBERS = 15
ROUNDS = 6
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
WHY = "Motivazione sufficiente per la prova di carico."
FAST = Backoff(4, 0.05)


@pytest.fixture
def apache() -> Iterator[ApacheDav]:
    with apache_server() as server:
        yield server


def workspace(folder: Path, role: str, name: str) -> OpenWorkspace:
    return create_workspace(
        folder, role=role, name=name, passphrase=PASSPHRASE, use_keyring=False
    ).workspace


def sync_until_clean(ws: OpenWorkspace, retries: list[int]) -> exchange.SyncReport:
    """Sync again after a transient failure, as the app's next sync would."""
    for _round in range(ROUNDS):
        report = exchange.sync(ws, backoff=FAST)
        if not report.failures:
            return report
        retries.append(1)
    raise AssertionError(f"still failing after {ROUNDS} rounds: {report.failures}")


@pytest.mark.timeout(600)
def test_fifteen_members_sync_at_once_through_a_server_restart(
    apache: ApacheDav, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAGLIO_WEBDAV_PASSWORD", PASSWORD)
    office = workspace(tmp_path / "office", "secretariat", "Segreteria")
    create_call(office, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    members = [workspace(tmp_path / f"m{n:02d}", "member", f"Membro {n:02d}")
               for n in range(MEMBERS)]  # fmt: skip
    cards.enroll_cards(office, CALL_ID, [(cards.export_card(m), "member") for m in members])
    office_card = cards.export_card(office)
    remotes.set_remote(office, CALL_ID, apache.url)
    published = publication.publish_call(office, CALL_ID)
    assert exchange.sync(office, backoff=FAST).uploaded == 1 + published.parts  # package, parts
    for member in members:
        cards.trust_office(member, office_card)
        remotes.set_remote(member, CALL_ID, apache.url)

    retries: list[int] = []
    errors: list[BaseException] = []
    inbox = apache.root / CALL_ID / "inbox"
    # Every member submits first; then the fifteen bundles leave at once.
    ready = threading.Barrier(MEMBERS + 1, timeout=300)

    def member_job(member: OpenWorkspace) -> None:
        try:
            first = sync_until_clean(member, retries)
            assert [t.kind for t in first.taken_in] == ["call-package"]
            declarations.declare_general(member, CALL_ID)
            for code in ("P001", "P002", "P003", "P004", "P005", "P006"):
                declarations.declare_proposal(member, CALL_ID, code, conflict=False)
            for code in ("P001", "P002", "P003", "P004", "P005"):
                scores.save_scores(member, CALL_ID, code,
                                   values={k: Decimal("0.6") for k in KEYS},
                                   justifications={k: WHY for k in KEYS})  # fmt: skip
            submission.submit(member, CALL_ID)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        ready.wait()
        try:
            sync_until_clean(member, retries)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=member_job, args=(m,)) for m in members]
    for thread in threads:
        thread.start()

    # The city's IT restarts the server once, while bundles are arriving.
    def uploaded() -> int:
        return len(list(inbox.rglob("*.vaglio"))) if inbox.exists() else 0

    ready.wait()
    pause = threading.Event()
    while uploaded() < 1 and any(t.is_alive() for t in threads):
        pause.wait(0.01)
    apache.restart()
    for thread in threads:
        thread.join(300)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors

    # Every bundle arrived once, with no temporary file left behind.
    arrived = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    assert len(arrived) == MEMBERS
    assert not [p for p in arrived if ".part" in p]

    report = sync_until_clean(office, retries)
    assert len([r for r in report.taken_in if r.outcome == "accepted"]) == MEMBERS
    assert exchange.sync(office, backoff=FAST).taken_in == []  # nothing twice
    with office.session() as session:
        assert session.scalar(select(func.count()).select_from(ScoreBundleRecord)) == MEMBERS
        paths = session.scalars(select(InboxEntry.remote_path)).all()
        assert len(paths) == len(set(paths)) == MEMBERS
    status = call_status(office, CALL_ID)
    assert [m.bundle_sequence for m in status.members] == [1] * MEMBERS
    assert all(m.receipt_sent for m in status.members)
    for member in members:
        sync_until_clean(member, retries)
        assert call_status(member, CALL_ID).bundles[0].receipt_at is not None
        member.close()
    office.close()
    # The server did restart in the middle: its log shows two lives.
    log = apache.error_log.read_text(errors="replace")
    assert log.count("resuming normal operations") == 2
