"""The audit logs anchored at the other end (docs/formats.md, section 8.4),
with real workspaces exchanging real signed artefacts over the demo's shared
folder: the city office and Sara Esposito, whose bundle 1 the office accepted
and whose receipt 1 she holds.

Each attack cuts or rewrites a log behind the triggers, the way someone
holding the key could, and leaves a log whose own links all hold: only the
other side's anchors show it — at the intake, in the receiving side's own
log, and in ``vaglio check``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

from sqlalchemy import select

from app.bundles.anchors import LINK, NOT_HELD, WENT_BACK
from app.bundles.receipt import Receipt
from app.bundles.score_bundle import BundleAnchors, ScoreBundle
from app.models import AuditEvent, ReceiptRecord, ScoreBundleRecord
from app.models.audit_head import AuditHead
from app.services.demo import DEMO_PASSPHRASE
from app.services.exchange import SyncReport, sync
from app.services.intake import IntakeResult
from app.services.integrity import check_workspace
from app.services.scores import save_scores
from app.services.submission import submit
from app.services.unlocking import OpenWorkspace
from app.store import audit
from app.store.workspace import load_slots, open_with_key
from tests.support import damage
from tests.support.workspaces import CALL_ID

OFFICE = "segreteria"
MEMBER = "commissario-3"
NAME = "Sara Esposito"


@contextlib.contextmanager
def opened(demo: Path, keys: dict[str, bytes], name: str) -> Iterator[OpenWorkspace]:
    home = demo / name
    with OpenWorkspace(open_with_key(home, load_slots(home), keys[name])) as ws:
        yield ws


def _sent(ws: OpenWorkspace, sequence: int, call_id: str = CALL_ID) -> BundleAnchors:
    with ws.session() as session:
        record = session.scalars(
            select(ScoreBundleRecord).where(
                ScoreBundleRecord.call_id == call_id,
                ScoreBundleRecord.direction == "sent",
                ScoreBundleRecord.sequence == sequence,
            )
        ).one()
        return ScoreBundle.read_anchors(record.envelope)


def _receipt_head(ws: OpenWorkspace, sequence: int) -> AuditHead:
    with ws.session() as session:
        record = session.scalars(
            select(ReceiptRecord).where(
                ReceiptRecord.call_id == CALL_ID,
                ReceiptRecord.direction == "received",
                ReceiptRecord.sequence == sequence,
            )
        ).one()
        head = Receipt.read_audit_head(record.envelope)
    assert head is not None
    return head


def _head(ws: OpenWorkspace) -> AuditHead:
    with ws.session() as session:
        return audit.head(session)


def _anchor_entries(ws: OpenWorkspace) -> list[dict[str, object]]:
    with ws.session() as session:
        rows = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "audit.anchor_broken")
        ).all()
    return [json.loads(row) for row in rows]


def _member_sends_bundle_2(demo: Path, keys: dict[str, bytes]) -> BundleAnchors:
    """Sara corrects a score, submits bundle 2 and puts it on the shared folder."""
    with opened(demo, keys, MEMBER) as member:
        save_scores(member, CALL_ID, "P001", values={"impact": D("1")})
        assert submit(member, CALL_ID).sequence == 2
        sync(member)
        return _sent(member, 2)


def _office_takes_in(demo: Path, keys: dict[str, bytes]) -> tuple[IntakeResult, SyncReport]:
    with opened(demo, keys, OFFICE) as office:
        report = sync(office)
    (result,) = [r for r in report.taken_in if r.outcome == "accepted"]
    assert (result.kind, result.member, result.sequence) == ("score-bundle", NAME, 2)
    return result, report


def _member_takes_receipt_2(demo: Path, keys: dict[str, bytes]) -> IntakeResult:
    with opened(demo, keys, MEMBER) as member:
        report = sync(member)
    (result,) = [r for r in report.taken_in if r.kind == "receipt"]
    assert (result.outcome, result.sequence) == ("accepted", 2)
    return result


def _check(cli, demo: Path, name: str) -> tuple[int, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """``vaglio check --json`` on one workspace: its exit code and the failed checks."""
    result = cli("check", "--json", home=demo / name, passphrase=DEMO_PASSPHRASE)
    document = json.loads(result.out)
    failed = {c["name"]: c["problems"] for c in document["checks"] if not c["ok"]}
    assert (result.code == 1) == bool(failed), result.err
    return result.code, failed


def _database(demo: Path, keys: dict[str, bytes], name: str) -> tuple[Path, bytes]:
    return demo / name / "vaglio.db", keys[name]


def test_an_honest_exchange_carries_every_anchor_and_checks_clean(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    keys = demo_built.raw_keys
    with opened(demo_copy, keys, MEMBER) as member:
        first = _sent(member, 1)
        receipt_1 = _receipt_head(member, 1)
    # Bundle 1 went before any receipt: a head, nothing to link to or return.
    assert first.audit_head is not None and first.audit_head.seq > 1
    assert first.audit_link is None and first.office_audit_head is None
    second = _member_sends_bundle_2(demo_copy, keys)
    assert second.audit_link == first.audit_head
    assert second.office_audit_head == receipt_1
    assert second.audit_head is not None and second.audit_head.seq > first.audit_head.seq
    result, _report = _office_takes_in(demo_copy, keys)
    assert result.anchors == () and result.notes() == []
    receipt = _member_takes_receipt_2(demo_copy, keys)
    assert receipt.anchors == ()
    with opened(demo_copy, keys, OFFICE) as office:
        with office.session() as session:
            issued = session.scalars(
                select(ReceiptRecord).where(
                    ReceiptRecord.call_id == CALL_ID,
                    ReceiptRecord.direction == "issued",
                    ReceiptRecord.sequence == 2,
                )
            ).one()
            receipt_2 = Receipt.read_audit_head(issued.envelope)
            assert receipt_2 is not None
            # The receipt's head is the office's entry that records the acceptance.
            entry = session.scalars(select(AuditEvent).where(AuditEvent.seq == receipt_2.seq)).one()
            assert (entry.action, entry.hash) == ("bundle.accepted", receipt_2.hash)
        assert _anchor_entries(office) == []
        assert check_workspace(office).ok
    assert receipt_2.seq > receipt_1.seq
    for name in (OFFICE, MEMBER):
        assert _check(cli, demo_copy, name) == (0, {})


def test_a_member_log_cut_short_is_told_by_the_office_and_by_vaglio_check(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    from app.services.demo_collegial import COLLEGIAL_CALL

    keys = demo_built.raw_keys
    with opened(demo_copy, keys, MEMBER) as member:
        held = _sent(member, 1).audit_head
        # The demo's second call: the member's bundle 1 for it is later in the log.
        held_too = _sent(member, 1, COLLEGIAL_CALL).audit_head
    assert held is not None and held.seq > 10
    assert held_too is not None and held_too.seq > held.seq
    damage.cut_audit_tail(*_database(demo_copy, keys, MEMBER), keep=3)
    code, failed = _check(cli, demo_copy, MEMBER)

    def cut(call_id: str, seq: int) -> str:
        return (
            f"{call_id}: Il registro delle operazioni di quest'area di lavoro non contiene più "
            f"la voce {seq} come il pacchetto 1 l'ha portata alla segreteria: è stato tagliato "
            "o riscritto."
        )

    sentence = cut(CALL_ID, held.seq)
    # The log's own links all hold; both calls' anchors show the cut.
    assert (code, failed) == (1, {"anchors": [sentence, cut(COLLEGIAL_CALL, held_too.seq)]})

    second = _member_sends_bundle_2(demo_copy, keys)
    assert second.audit_head is not None and second.audit_head.seq < held.seq
    result, report = _office_takes_in(demo_copy, keys)
    (finding,) = result.anchors
    assert (finding.chain, finding.problem, finding.expected) == ("member", WENT_BACK, held)
    told = (
        f"Il registro delle operazioni di {NAME} è tornato indietro: il pacchetto 2 è stato "
        f"firmato alla voce {second.audit_head.seq}, il pacchetto 1 alla voce {held.seq}. "
        "Il registro del commissario è stato tagliato o riscritto."
    )
    assert told in report.lines()
    with opened(demo_copy, keys, OFFICE) as office:
        (entry,) = _anchor_entries(office)
        assert entry == {
            "chain": "member", "problem": "went_back", "sequence": 2, "other": 1,
            "expected": held.as_json(), "found": second.audit_head.as_json(), "member": NAME,
        }  # fmt: skip
    # The bundle was accepted and answered; the office's own log is whole.
    assert _check(cli, demo_copy, OFFICE) == (0, {})
    receipt = _member_takes_receipt_2(demo_copy, keys)
    assert [(f.chain, f.problem, f.sequence) for f in receipt.anchors] == [("member", NOT_HELD, 1)]
    assert receipt.notes() == [sentence.removeprefix(f"{CALL_ID}: ")]


def test_a_member_log_rewritten_and_hashed_again_is_told_by_the_office(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    keys = demo_built.raw_keys
    with opened(demo_copy, keys, MEMBER) as member:
        held = _sent(member, 1).audit_head
    assert held is not None
    damage.rewrite_audit_entry(*_database(demo_copy, keys, MEMBER), 5, '{"forged":true}')
    code, failed = _check(cli, demo_copy, MEMBER)
    assert code == 1 and list(failed) == ["anchors"]  # every link holds: only the anchor shows it
    second = _member_sends_bundle_2(demo_copy, keys)
    # Heads alone would not show it: the log is as long as before, and longer.
    assert second.audit_head is not None and second.audit_head.seq > held.seq
    assert second.audit_link is not None and second.audit_link.seq == held.seq
    assert second.audit_link.hash != held.hash
    result, report = _office_takes_in(demo_copy, keys)
    (finding,) = result.anchors
    assert (finding.chain, finding.problem, finding.found) == ("member", LINK, second.audit_link)
    assert (
        f"Quando è stato firmato il pacchetto 2, il registro delle operazioni di {NAME} non "
        f"conteneva più la voce {held.seq} come la portava il pacchetto 1: il registro del "
        "commissario è stato tagliato o riscritto."
    ) in report.lines()
    with opened(demo_copy, keys, OFFICE) as office:
        assert [e["problem"] for e in _anchor_entries(office)] == ["link"]


def test_an_office_log_cut_short_is_told_at_the_next_bundle_and_by_vaglio_check(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    keys = demo_built.raw_keys
    with opened(demo_copy, keys, MEMBER) as member:
        returned = _receipt_head(member, 1)
    damage.cut_audit_tail(*_database(demo_copy, keys, OFFICE), keep=returned.seq - 6)
    # No bundle has returned an office head yet: nothing shows it so far.
    assert _check(cli, demo_copy, OFFICE) == (0, {})

    second = _member_sends_bundle_2(demo_copy, keys)
    assert second.office_audit_head == returned
    result, report = _office_takes_in(demo_copy, keys)
    (finding,) = result.anchors
    assert (finding.chain, finding.problem, finding.expected) == ("office", NOT_HELD, returned)
    sentence = (
        f"Il pacchetto 2 di {NAME} riporta la voce {returned.seq} del registro delle operazioni "
        "di questa segreteria come gliel'aveva portata una ricevuta, e il registro non la "
        "contiene più: è stato tagliato o riscritto."
    )
    assert sentence in report.lines()
    with opened(demo_copy, keys, OFFICE) as office:
        (entry,) = _anchor_entries(office)
        assert (entry["chain"], entry["problem"], entry["found"]) == ("office", "not_held", None)
    assert _check(cli, demo_copy, OFFICE) == (1, {"anchors": [f"{CALL_ID}: {sentence}"]})

    # The receipt for bundle 2 comes from the shorter log: its head goes back.
    receipt = _member_takes_receipt_2(demo_copy, keys)
    (finding,) = receipt.anchors
    assert (finding.chain, finding.problem, finding.other) == ("office", WENT_BACK, 1)
    assert finding.found is not None and finding.found.seq < returned.seq
    went_back = (
        "Il registro delle operazioni della segreteria è tornato indietro: la ricevuta del "
        f"pacchetto 2 porta la voce {finding.found.seq}, quella del pacchetto 1 la voce "
        f"{returned.seq}. Il registro della segreteria è stato tagliato o riscritto."
    )
    assert receipt.notes() == [went_back]
    with opened(demo_copy, keys, MEMBER) as member:
        assert [e["chain"] for e in _anchor_entries(member)] == ["office"]
    assert _check(cli, demo_copy, MEMBER) == (1, {"anchors": [f"{CALL_ID}: {went_back}"]})


def test_an_office_log_rewritten_and_hashed_again_is_told_at_the_next_bundle(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    keys = demo_built.raw_keys
    with opened(demo_copy, keys, MEMBER) as member:
        returned = _receipt_head(member, 1)
    db, raw_key = _database(demo_copy, keys, OFFICE)
    damage.rewrite_audit_entry(db, raw_key, 2, '{"forged":true}')
    with opened(demo_copy, keys, OFFICE) as office:
        assert _head(office).seq >= returned.seq  # as long as before: only the hashes changed
        assert check_workspace(office).ok  # every link holds, and nothing returned a head yet
    _member_sends_bundle_2(demo_copy, keys)
    result, _report = _office_takes_in(demo_copy, keys)
    (finding,) = result.anchors
    assert (finding.chain, finding.problem, finding.expected) == ("office", NOT_HELD, returned)
    assert finding.found is not None and finding.found.seq == returned.seq
    code, failed = _check(cli, demo_copy, OFFICE)
    assert code == 1 and list(failed) == ["anchors"]


# -- versions and malformed anchors, through the office's real intake ---------------


def _rows(ws: OpenWorkspace) -> dict[str, int]:
    from sqlalchemy import text

    tables = ("score_bundles", "receipts", "audit_events", "outbox", "scores")
    with ws.session() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def _as_version_1(document: dict[str, object]) -> dict[str, object]:
    for field in ("audit_head", "audit_link", "office_audit_head"):
        del document[field]
    document["version"] = 1
    return document


def test_version_1_bundles_keep_their_meaning(secretariat) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from app.services.intake import accept_score_bundle
    from tests.support.bundle_factory import ADMISSIBLE
    from tests.support.commission import Commission, uniform

    commission = Commission(secretariat, CALL_ID)
    commission.enrol("Elena Colombo")
    commission.publish()
    sheet = {p: uniform("0.8") for p in ADMISSIBLE}

    def send_version_1(sequence: int) -> IntakeResult:
        document = _as_version_1(commission.document("Elena Colombo", sheet))
        result = accept_score_bundle(secretariat, commission.seal("Elena Colombo", document))
        payload_hash = hashlib.sha256(json.dumps(document).encode()).hexdigest()
        commission.sent["Elena Colombo"] = (sequence, payload_hash)
        return result

    # A laptop that writes version 1: accepted as ever, no anchor to check.
    first = send_version_1(1)
    assert (first.outcome, first.anchors) == ("accepted", ())
    second = commission.send("Elena Colombo", sheet)  # version 2 after version 1
    assert (second.outcome, second.anchors) == ("accepted", ())
    # Version 1 again after a head: accepted, and told.
    third = send_version_1(3)
    assert third.outcome == "accepted"
    assert [(f.chain, f.problem, f.other) for f in third.anchors] == [("member", "no_head", 2)]
    assert third.notes() == [
        "Il pacchetto 3 di Elena Colombo non porta la testa del registro delle operazioni, "
        "benché il pacchetto 2 la portasse: non si può dire se il registro del commissario sia "
        "stato tagliato."
    ]
    assert [e["problem"] for e in _anchor_entries(secretariat)] == ["no_head"]
    assert check_workspace(secretariat).ok


def test_malformed_anchors_are_refused_and_write_nothing(secretariat) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from app.bundles.errors import BadPayloadError
    from app.services.intake import accept_score_bundle
    from tests.support.bundle_factory import ADMISSIBLE
    from tests.support.commission import Commission, uniform

    commission = Commission(secretariat, CALL_ID)
    commission.enrol("Elena Colombo")
    commission.publish()
    sheet = {p: uniform("0.8") for p in ADMISSIBLE}
    before = _rows(secretariat)
    zeros, other = "0" * 64, "a" * 64
    for change, words in (
        (lambda d: d.pop("audit_head"), "missing field audit_head"),
        (lambda d: d.update(audit_head=None), "audit_head"),
        (lambda d: d.update(audit_head={"seq": 0, "hash": other}), "the empty chain's hash"),
        (lambda d: d.update(audit_head={"seq": "7", "hash": other}), "whole number"),
        (lambda d: d.update(audit_head={"seq": -1, "hash": other}), "whole number"),
        (lambda d: d.update(audit_head={"seq": 2**53, "hash": other}), r"up to 2\^53"),
        (lambda d: d.update(audit_head={"seq": 7, "hash": other, "at": 1}), "unknown field at"),
        (lambda d: d.update(office_audit_head={"seq": 7}), "missing field hash"),
        (lambda d: d.update(audit_link={"seq": 1, "hash": zeros}), "no previous head"),
        (lambda d: _as_version_1(d).update(audit_head=None), "unknown field audit_head"),
        (lambda d: d.update(version=3), "1 or 2 expected"),
    ):
        document = commission.document("Elena Colombo", sheet)
        change(document)
        with pytest.raises(BadPayloadError, match=words):
            accept_score_bundle(secretariat, commission.seal("Elena Colombo", document))
        assert _rows(secretariat) == before, words


def test_a_stored_bundle_that_no_longer_reads_is_named_and_stops_nothing(secretariat) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from tests.support.bundle_factory import ADMISSIBLE
    from tests.support.commission import Commission, uniform

    commission = Commission(secretariat, CALL_ID)
    commission.enrol("Elena Colombo")
    commission.publish()
    sheet = {p: uniform("0.8") for p in ADMISSIBLE}
    commission.send("Elena Colombo", sheet)
    with secretariat.session() as session:  # what an edit behind the application could leave
        session.execute(text("UPDATE score_bundles SET envelope = x'7b7d' WHERE sequence = 1"))
    assert check_workspace(secretariat).check("anchors").problems == (
        f"{CALL_ID}: La copia conservata del pacchetto 1 non si legge più: le voci del registro "
        "delle operazioni che porta non si possono verificare.",
    )
    # It holds no head for the intake, which goes on (the data checks pass).
    result = commission.send("Elena Colombo", sheet)
    assert (result.outcome, result.anchors) == ("accepted", ())
