"""The office's close notice (issue 12, deliverable 9): signed at the approval,
uploaded by the office's sync, taken in by the member's, verified against the
office that published the call; after it the member's laptop fetches no
package and submits no bundle for the call."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundles.close_notice import CloseNotice, notice_path
from app.crypto.errors import BadSignatureError
from app.crypto.keys import KeyPair
from app.models import (
    AuditEvent,
    Call,
    RankingRecord,
)
from app.services.closing import CloseNoticeConflictError, UntrustedCloseNoticeError
from app.services.exchange import sync
from app.services.exchange_errors import EvaluationClosedError
from app.services.intake import import_file
from app.services.submission import submit
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from tests.support import closed_call
from tests.support.closed_call import REMOVED, SUBMITTED, ClosedCall
from tests.support.workspaces import CALL_ID, snapshot_tree

# A draft typed after the close notice, while the workspace is open.
LATE = b"RITARDO-ZQX-5150"
MARKERS = [*REMOVED.values(), SUBMITTED, LATE]
GONE = {*REMOVED.values(), LATE}


def written(home: Path) -> dict[str, bytes]:
    """The workspace's files, but for SQLite's shared-memory index, which reads touch."""
    return {name: data for name, data in snapshot_tree(home).items() if not name.endswith("-shm")}


@pytest.fixture(scope="module")
def closed_template(tmp_path_factory: pytest.TempPathFactory) -> ClosedCall:
    return closed_call.build(tmp_path_factory.mktemp("closed") / "scenario")


@pytest.fixture
def scenario(closed_template: ClosedCall, tmp_path: Path) -> ClosedCall:
    return closed_call.copy(closed_template, tmp_path / "scenario")


def _office_keys(scenario: ClosedCall) -> KeyPair:
    with scenario.open("office") as office, office.session() as session:
        identity = own_identity(session)
        return KeyPair(identity.signing_private_key, identity.sealing_private_key)


def _closed(ws: OpenWorkspace) -> None:
    """The member's sync takes the close notice in."""
    report = sync(ws)
    assert [r.kind for r in report.taken_in if r.outcome == "accepted"] == ["call-closed"]


# -- the close notice ----------------------------------------------------------------


def test_the_approval_signs_a_close_notice_that_the_sync_uploads(scenario: ClosedCall) -> None:
    with scenario.open("office") as office, office.session() as session:
        record = session.get(RankingRecord, CALL_ID)
        assert record is not None and record.approved_at is not None
        approved_at, digest = record.approved_at, record.sha256
    data = (scenario.share / notice_path(CALL_ID)).read_bytes()
    assert (scenario.office / "outbox" / notice_path(CALL_ID)).read_bytes() == data
    notice = CloseNotice.parse(data, office_signing_key=_office_keys(scenario).public.signing)
    assert (notice.call_id, notice.approved_at, notice.ranking_sha256) == (
        CALL_ID,
        approved_at,
        digest,
    )
    assert json.loads(base64.b64decode(json.loads(data)["payload"]))["type"] == "call-closed"


def test_the_member_learns_at_the_sync_that_the_call_is_closed(scenario: ClosedCall) -> None:
    with scenario.open("office") as office, office.session() as session:
        record = session.get(RankingRecord, CALL_ID)
        assert record is not None
        approved_at, digest = record.approved_at, record.sha256
    with scenario.open("member") as member:
        report = sync(member)
        lines = report.lines()
        assert any(
            "ha chiuso l'avviso MI-CC-2020" in line and str(digest) in line for line in lines
        ), lines
        assert any("vaglio call purge MI-CC-2020" in line for line in lines)
        with member.session() as session:
            call = session.get(Call, CALL_ID)
            assert call is not None
            assert (call.status, call.evaluation_closed_at) == ("closed", approved_at)
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "call.closed")
            ).one()
            assert json.loads(event.details)["ranking_sha256"] == digest
        # Once closed, the sync fetches neither the notice nor the package again.
        again = sync(member)
        assert again.taken_in == [] and again.refused == []
        duplicate = import_file(member, (scenario.share / notice_path(CALL_ID)).read_bytes())
        assert duplicate.outcome == "duplicate"


def _notice(keys: KeyPair, **changes: object) -> bytes:
    arguments: dict[str, object] = {
        "call_id": CALL_ID,
        "approved_at": dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC),
        "ranking_sha256": "ab" * 32,
        "office": keys,
    }
    return CloseNotice.build(**(arguments | changes)).raw  # type: ignore[arg-type]


def test_a_close_notice_the_call_office_did_not_sign_is_refused(scenario: ClosedCall) -> None:
    forged = _notice(KeyPair.generate())
    document = json.loads((scenario.share / notice_path(CALL_ID)).read_bytes())
    middle = len(document["payload"]) // 2
    swapped = "B" if document["payload"][middle] != "B" else "C"
    document["payload"] = document["payload"][:middle] + swapped + document["payload"][middle + 1 :]
    tampered = json.dumps(document, separators=(",", ":")).encode()
    office = _office_keys(scenario)
    with scenario.open("member") as member:
        before = written(scenario.member)
        with pytest.raises(UntrustedCloseNoticeError, match="non è firmata"):
            import_file(member, forged)
        with pytest.raises(BadSignatureError):
            import_file(member, tampered)
        with pytest.raises(Exception, match="ALTRO-AVVISO"):
            import_file(member, _notice(office, call_id="ALTRO-AVVISO"))
        assert written(scenario.member) == before
        _closed(member)
        # A different notice for a call already closed is refused.
        with pytest.raises(CloseNoticeConflictError):
            import_file(member, _notice(office))


def test_the_secretariat_does_not_take_in_a_close_notice(scenario: ClosedCall) -> None:
    data = (scenario.share / notice_path(CALL_ID)).read_bytes()
    with scenario.open("office") as office, pytest.raises(Exception, match="non "):
        import_file(office, data)


def test_after_the_close_notice_no_bundle_is_signed(scenario: ClosedCall) -> None:
    with scenario.open("member") as member:
        _closed(member)
        before = written(scenario.member)
        with pytest.raises(EvaluationClosedError, match="chiusa"):
            submit(member, CALL_ID)
        assert written(scenario.member) == before
