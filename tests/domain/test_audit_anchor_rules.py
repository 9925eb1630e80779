"""The rules of the audit anchors (app/bundles/anchors.py) on plain values:
which heads a log that was not cut or rewritten can carry."""

from __future__ import annotations

import hashlib

import pytest

from app.bundles.anchors import (
    LINK,
    NO_HEAD,
    WENT_BACK,
    HeldHead,
    member_chain_finding,
    office_heads_finding,
)
from app.bundles.score_bundle import ScoreBundle
from app.crypto.keys import KeyPair
from app.models.audit_head import EMPTY_CHAIN, GENESIS, AuditHead, went_back
from tests.support.bundle_factory import NOW

MEMBER, OFFICE = KeyPair.generate(), KeyPair.generate()


def at(seq: int, label: str = "") -> AuditHead:
    return AuditHead(seq, hashlib.sha256(f"{label}{seq}".encode()).hexdigest())


def bundle(sequence: int, head: AuditHead, link: AuditHead | None = None) -> ScoreBundle:
    built, _sealed = ScoreBundle.build(
        call_id="MI-CC-2020", grid_hash="a" * 64, package_sequence=1, sequence=sequence,
        previous=None if sequence == 1 else "b" * 64, author=MEMBER,
        recipient_key_id=OFFICE.public.key_id, recipient_sealing_key=OFFICE.public.sealing,
        general_text_version="2020-1", general_declared_at=NOW, declarations=[], scores=[],
        audit_head=head, audit_link=link,
    )  # fmt: skip
    return built


@pytest.mark.parametrize(
    ("earlier", "later", "back"),
    [
        (at(10), at(9), True),
        (at(10), at(10, "rewritten"), True),
        (at(10), at(10), False),
        (at(10), at(11, "anything"), False),
        (EMPTY_CHAIN, at(1), False),
        (at(1), EMPTY_CHAIN, True),
    ],
)
def test_a_head_goes_back_when_lower_or_rewritten(
    earlier: AuditHead, later: AuditHead, back: bool
) -> None:
    assert went_back(earlier, later) is back
    assert AuditHead(0, GENESIS) == EMPTY_CHAIN


def test_the_office_has_nothing_to_compare_before_a_head() -> None:
    assert member_chain_finding(bundle(1, at(5)), None) is None
    assert member_chain_finding(bundle(4, at(1)), None) is None


def test_the_bundle_right_after_must_link_to_the_held_head() -> None:
    held = HeldHead(1, at(10))
    assert member_chain_finding(bundle(2, at(15), at(10)), held) is None
    link = member_chain_finding(bundle(2, at(15), None), held)
    assert link is not None and (link.problem, link.expected, link.found) == (LINK, at(10), None)
    rewritten = member_chain_finding(bundle(2, at(15), at(10, "x")), held)
    assert rewritten is not None and rewritten.problem == LINK
    assert rewritten.details() == {
        "chain": "member", "problem": "link", "sequence": 2, "other": 1,
        "expected": at(10).as_json(), "found": at(10, "x").as_json(),
    }  # fmt: skip


def test_after_a_gap_only_the_order_of_heads_is_checked() -> None:
    held = HeldHead(1, at(10))
    # Bundle 2 never arrived: its head is not known here, the link is not checked.
    assert member_chain_finding(bundle(3, at(30), at(20, "unknown")), held) is None
    back = member_chain_finding(bundle(3, at(4), None), held)
    assert back is not None and (back.problem, back.sequence, back.other) == (WENT_BACK, 3, 1)


def test_going_back_is_told_before_the_link() -> None:
    finding = member_chain_finding(bundle(2, at(10, "x"), at(10)), HeldHead(1, at(10)))
    assert finding is not None and finding.problem == WENT_BACK


def test_a_bundle_without_a_head_after_one_with_it() -> None:
    from app.bundles.score_bundle import BundleAnchors

    version_1 = bundle(2, at(1))
    object.__setattr__(version_1, "anchors", BundleAnchors())
    finding = member_chain_finding(version_1, HeldHead(1, at(10)))
    assert finding is not None and (finding.problem, finding.found) == (NO_HEAD, None)


def test_receipt_heads_must_follow_the_bundles_in_any_order_of_arrival() -> None:
    held = {1: at(10), 3: at(30)}
    assert office_heads_finding(2, at(20), held) is None
    # A receipt for a later bundle with an earlier head, whichever came first.
    later = office_heads_finding(4, at(25), held)
    assert later is not None and (later.sequence, later.other, later.found) == (4, 3, at(25))
    earlier = office_heads_finding(2, at(35), held)
    assert earlier is not None and (earlier.sequence, earlier.other) == (3, 2)
    assert (earlier.expected, earlier.found) == (at(35), at(30))
    assert office_heads_finding(2, at(10, "x"), {1: at(10)}) is not None
