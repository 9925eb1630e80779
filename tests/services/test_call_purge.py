"""A closed call leaves the member's laptop (issue 12, deliverable 9).

The office's approval signs a close notice that the sync carries to the
members; after it, ``purge_call`` removes the call's material. The proof is a
reading of the workspace folder with the key: every page of the database and
of its log decrypted, every other file as it lies, searched for markers put
in each thing removed, before (where they must be found) and after (where
they must not). What is kept as evidence still verifies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.crypto.keys import KeyPair
from app.models import (
    Attachment,
    AuditEvent,
    Call,
    Member,
    Proposal,
    ReceiptRecord,
    Score,
    ScoreBundleRecord,
)
from app.services.errors import UnknownCallError
from app.services.exchange import sync
from app.services.integrity import check_workspace
from app.services.purge import (
    CallNotClosedError,
    SecretariatKeepsRecordError,
    purge_call,
    purge_plan,
)
from app.services.scores import save_scores
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity, verify_audit
from tests.support import closed_call
from tests.support.closed_call import REMOVED, SUBMITTED, ClosedCall
from tests.support.plaintext import database_pages, sightings
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


# -- the purge -----------------------------------------------------------------------


def _found(scenario: ClosedCall) -> dict[bytes, set[tuple[str, bool]]]:
    """Each marker: the files it can be read in, and whether only in base64."""
    seen: dict[bytes, set[tuple[str, bool]]] = {}
    for sighting in sightings(scenario.member, scenario.keys["member"], MARKERS):
        seen.setdefault(sighting.marker, set()).add((sighting.file, sighting.encoded))
    return seen


def test_the_purge_leaves_no_readable_trace_and_keeps_the_evidence(scenario: ClosedCall) -> None:
    office_keys = _office_keys(scenario)
    with scenario.open("member") as member:
        _closed(member)
        # A motivation typed now lies in the write-ahead log, not yet in the file.
        save_scores(member, CALL_ID, "P002", justifications={"impact": LATE.decode() + " (ultima)"})
        before = _found(scenario)
        assert ("vaglio.db-wal", False) in before[LATE]
        # The reading finds every marker before: in the database and in the backup.
        for marker in MARKERS:
            files = {file for file, _encoded in before.get(marker, set())}
            assert "vaglio.db" in files or "vaglio.db-wal" in files, marker
            assert marker == LATE or any(f.startswith("backups/") for f in files), marker
        outbox_copies = {
            p.relative_to(scenario.member).as_posix(): p.read_bytes()
            for p in (scenario.member / "outbox").rglob("*")
            if p.is_file()
        }
        assert len(outbox_copies) == 1  # the sealed bundle 1

        purged = purge_call(member, CALL_ID)

        removed = purged.plan.removed
        assert (removed.proposals, removed.attachments, removed.members) == (2, 1, 1)
        assert (removed.declarations, removed.scores, removed.backups) == (2, 10, 1)
        assert (purged.plan.kept_bundles, purged.plan.kept_receipts) == (1, 1)
        # Still open, as the application keeps it: the journal is empty.
        assert (scenario.member / "vaglio.db-wal").stat().st_size == 0
        after = _found(scenario)
        assert not (set(after) & GONE), after
        # The member's submitted motivations survive only in base64, inside
        # the signed bundle they sent.
        assert after[SUBMITTED] == {("vaglio.db", True)}
        assert not list((scenario.member / "backups").glob("*"))
        assert {
            p.relative_to(scenario.member).as_posix(): p.read_bytes()
            for p in (scenario.member / "outbox").rglob("*")
            if p.is_file()
        } == outbox_copies

        with member.session() as session:
            identity = own_identity(session)
            for table in (Proposal, Attachment, Score):
                assert session.scalar(select(func.count()).select_from(table)) == 0
            assert [m.key_id for m in session.scalars(select(Member))] == [identity.key_id]
            assert session.get(Call, CALL_ID).status == "purged"  # type: ignore[union-attr]
            bundle_row = session.scalars(select(ScoreBundleRecord)).one()
            receipt_envelope = bytes(session.scalars(select(ReceiptRecord)).one().envelope)
            bundle = ScoreBundle.parse(bytes(bundle_row.envelope))
            member_signing = KeyPair(
                identity.signing_private_key, identity.sealing_private_key
            ).public.signing
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "call.purged")
            ).one()
        bundle.envelope.verify(member_signing)
        receipt = Receipt.parse(receipt_envelope, office_signing_key=office_keys.public.signing)
        assert receipt.bundle_hash == bundle.payload_hash == bundle_row.payload_hash
        assert all(SUBMITTED.decode() in s.justification for s in bundle.scores)
        details = json.loads(event.details)
        assert (details["proposals"], details["scores"], details["kept_bundles"]) == (2, 10, 1)
        assert verify_audit(member).entries > 0
        assert check_workspace(member).ok

        # A sync after the purge brings none of it back.
        sync(member)
        assert not (set(_found(scenario)) & GONE)
    # Closed: the log is gone, and the file alone still reads clean.
    assert not (scenario.member / "vaglio.db-wal").exists()
    assert not (set(_found(scenario)) & GONE)


def test_every_page_of_the_purged_file_is_authentic_and_readable(scenario: ClosedCall) -> None:
    with scenario.open("member") as member:
        _closed(member)
        purge_call(member, CALL_ID)
    pages = list(database_pages(scenario.member / "vaglio.db", scenario.keys["member"]))
    assert pages[0][1].startswith(b"SQLite format 3\x00\x10\x00")  # 4096-byte pages
    assert len(pages) == int.from_bytes(pages[0][1][28:32], "big")  # no page past the end


def test_a_purge_run_again_finishes_or_repeats_it(scenario: ClosedCall) -> None:
    with scenario.open("member") as member:
        _closed(member)
        purge_call(member, CALL_ID)
        again = purge_call(member, CALL_ID)
        assert again.plan.again
        assert again.plan.removed.proposals == again.plan.removed.backups == 0
        assert again.plan.removal() == "non resta nulla da rimuovere"


def test_the_secretariat_keeps_the_record(scenario: ClosedCall) -> None:
    with scenario.open("office") as office:
        before = written(scenario.office)
        with pytest.raises(SecretariatKeepsRecordError, match="segreteria conserva"):
            purge_call(office, CALL_ID)
        assert written(scenario.office) == before


def test_nothing_is_removed_before_the_office_closes_the_call(scenario: ClosedCall) -> None:
    with scenario.open("member") as member:
        before = written(scenario.member)
        with pytest.raises(CallNotClosedError, match="non ha comunicato"):
            purge_plan(member, CALL_ID)
        with pytest.raises(CallNotClosedError):
            purge_call(member, CALL_ID)
        with pytest.raises(UnknownCallError):
            purge_call(member, "MI-CC-1999")
        assert written(scenario.member) == before
