"""Intake of score bundles (issue: bundles and sync)."""

from __future__ import annotations

import csv
import time
from decimal import Decimal
from pathlib import Path

from tests.bench.harness import Figure

PROPOSALS = 1000
MEMBERS = 9
CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community", "partnership")
PASSPHRASE = "bench passphrase 2020"
ROOT = Path(__file__).resolve().parents[2]


def _call_text() -> str:
    text = (ROOT / "tests" / "fixtures" / "call.toml").read_text(encoding="utf-8")
    extra = (
        '\n[[criteria]]\nkey = "partnership"\ntitle = "Partenariato"\n'
        'description = "Qualità della rete."\nmax_points = "10"\n'
    )
    text = text.replace('max_points = "10"\n', 'max_points = "10"\n' + extra, 1)
    return text.replace('threshold = "60"', 'threshold = "50"')


def _proposals(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "applicant", "applicant_tax_code", "legal_representative",
                         "neighbourhood", "thematic_area", "total_cost", "requested_contribution"])  # fmt: skip
        for n in range(PROPOSALS):
            writer.writerow([f"B{n:05d}", f"Progetto {n}", f"Associazione {n}", "01234560157",
                             "Maria Rossi", "Corvetto", "servizi educativi", "50000.00",
                             "30000.00"])  # fmt: skip


def intake(work: Path) -> list[Figure]:
    from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
    from app.crypto.keys import KeyPair
    from app.services.calls import create_call
    from app.services.intake import accept_score_bundle
    from app.services.proposal_import import import_proposals
    from app.services.roster import enroll_member
    from app.services.workspace import create_workspace, own_identity
    from tests.support.bundle_factory import member_head

    office_ws = create_workspace(work / "office", role="secretariat", name="Bench",
                                 passphrase=PASSPHRASE, use_keyring=False).workspace  # fmt: skip
    call_id = create_call(office_ws, _call_text()).call_id
    _proposals(work / "p.csv")
    import_proposals(office_ws, call_id, work / "p.csv", work)
    members = [KeyPair.generate() for _ in range(MEMBERS)]
    for n, keys in enumerate(members):
        enroll_member(
            office_ws, call_id, name=f"Commissario {n}", email="", public_keys=keys.public
        )
    with office_ws.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        from app.services.calls import get_call

        grid_hash = get_call(session, call_id).grid_hash
    from app import clock
    from app.services.publication import publish_call

    publish_call(office_ws, call_id)  # the bundles answer package 1
    now = clock.now()
    why = "Motivazione della valutazione, scritta per esteso come nella realtà."
    sealed = []
    for keys in members:
        codes = [f"B{n:05d}" for n in range(PROPOSALS)]
        _bundle, data = ScoreBundle.build(
            call_id=call_id, grid_hash=grid_hash, package_sequence=1, sequence=1, previous=None,
            author=keys, recipient_key_id=office.public.key_id,
            recipient_sealing_key=office.public.sealing, general_text_version="2020-1",
            general_declared_at=now,
            declarations=[BundleDeclaration(c, False, None, "", now) for c in codes],
            scores=[BundleScore(c, k, Decimal("0.6"), why, now) for c in codes for k in CRITERIA],
            audit_head=member_head(keys, 1),
        )  # fmt: skip
        sealed.append((keys, data))

    def floor() -> float:
        # Open and verify, plus json.loads of the same payload: what any
        # reader of these bytes must do (issue 16's floor).
        import json

        from app.crypto import dsse

        start = time.perf_counter()
        for keys, data in sealed:
            _call, envelope = ScoreBundle.unseal(data, office_key_id=office.public.key_id,
                                                 office_sealing_private=office.sealing_private)  # fmt: skip
            parsed = dsse.parse(envelope, max_size=len(envelope) + 1)
            parsed.verify(keys.public.signing)
            json.loads(parsed.payload)
        return (time.perf_counter() - start) * 1000

    floor_ms = min(floor() for _ in range(3))
    content_ms = _content_checks(office_ws, call_id, sealed, office)
    # The full check runs once per batch (check_before_intake); its cost is a
    # figure of its own (tests/bench/integrity_bench.py).
    start = time.perf_counter()
    for _keys, data in sealed:
        accept_score_bundle(office_ws, data, checked=True)
    value_ms = (time.perf_counter() - start) * 1000
    office_ws.close()
    size = len(sealed[0][1]) // 1024
    return [
        Figure(
            f"intake of 9 bundles, 1,000 proposals x 6 criteria ({size} KiB each)",
            value_ms,
            "HPKE open + Ed25519 verify + json.loads",
            floor_ms,
            "<= 3",
        ),
        Figure(
            "of which: every field checked against the call (9 bundles)",
            content_ms,
            "HPKE open + Ed25519 verify + json.loads",
            floor_ms,
            "",
        ),
    ]


def _content_checks(office_ws, call_id: str, sealed, office) -> float:  # type: ignore[no-untyped-def]
    """The office's checks of every field against the call (bundle_content),
    on bundles already opened and parsed: the cost this round added."""
    from sqlalchemy import select

    from app.bundles.score_bundle import ScoreBundle
    from app.models import Member
    from app.services.calls import get_call
    from app.services.intake import _check_content

    parsed = []
    for _keys, data in sealed:
        _call, envelope = ScoreBundle.unseal(data, office_key_id=office.public.key_id,
                                             office_sealing_private=office.sealing_private)  # fmt: skip
        parsed.append(ScoreBundle.parse(envelope))
    best = float("inf")
    for _round in range(3):
        with office_ws.session() as session:
            call = get_call(session, call_id)
            members = {m.key_id: m for m in session.scalars(select(Member))}
            start = time.perf_counter()
            for bundle in parsed:
                _check_content(session, call, members[bundle.author_key_id], bundle)
            best = min(best, (time.perf_counter() - start) * 1000)
    return best
