"""Fifteen members syncing at once against Apache httpd with mod_dav, with the
server restarted once in the middle (issue 16, item 5): nothing is lost or
duplicated, and every bundle gets its receipt.

Bounded in count (15 clients, at most 6 rounds each) and in time (the
pytest timeout); how fast it goes is measured by ``make bench``, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import InboxEntry, ScoreBundleRecord
from app.services import exchange
from app.services.status import call_status
from tests.support.apache_dav import ApacheDav, apache_server
from tests.support.load_scenario import FAST, MEMBERS, prepare, run
from tests.support.webdav_server import PASSWORD
from tests.support.workspaces import CALL_ID


@pytest.fixture
def apache() -> Iterator[ApacheDav]:
    with apache_server() as server:
        yield server


@pytest.mark.timeout(600)
def test_fifteen_members_sync_at_once_through_a_server_restart(
    apache: ApacheDav, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAGLIO_WEBDAV_PASSWORD", PASSWORD)
    load = prepare(tmp_path, apache.url)
    inbox = apache.root / CALL_ID / "inbox"
    # The city's IT restarts the server once, while bundles are arriving.
    run(load, inbox, apache.restart)
    assert not load.errors, load.errors

    # Every bundle arrived once, with no temporary file left behind.
    arrived = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    assert len(arrived) == MEMBERS
    assert not [p for p in arrived if ".part" in p]

    office = load.office
    report = load.sync_until_clean(office)
    assert len([r for r in report.taken_in if r.outcome == "accepted"]) == MEMBERS
    assert exchange.sync(office, backoff=FAST).taken_in == []  # nothing twice
    with office.session() as session:
        assert session.scalar(select(func.count()).select_from(ScoreBundleRecord)) == MEMBERS
        paths = session.scalars(select(InboxEntry.remote_path)).all()
        assert len(paths) == len(set(paths)) == MEMBERS
    status = call_status(office, CALL_ID)
    assert [m.bundle_sequence for m in status.members] == [1] * MEMBERS
    assert all(m.receipt_sent for m in status.members)
    for member in load.members:
        load.sync_until_clean(member)
        assert call_status(member, CALL_ID).bundles[0].receipt_at is not None
    load.close()
    # The server did restart in the middle: its log shows two lives.
    log = apache.error_log.read_text(errors="replace")
    assert log.count("resuming normal operations") == 2
