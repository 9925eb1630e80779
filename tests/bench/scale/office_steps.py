"""The city office's steps of the scale bench, each through the public
services only, each run in its own child process (tests/bench/scale/child.py).

Every step returns its figures: ``ms`` is the timed part; what it needs
first (opening the workspace with its raw key) is not timed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.bench.scale import material
from tests.bench.scale.workspaces import (
    PASSPHRASE,
    inbox_files,
    load_state,
    open_ws,
    package_files,
    save_state,
)

CALL = material.CALL_ID
OTHERS = 14  # members played by keys alone; the fifteenth is a real workspace


def prepare(work: Path) -> dict[str, Any]:
    """The input files, the office and the member workspaces, the call."""
    from app.crypto.keys import KeyPair
    from app.services.calls import create_call
    from app.services.workspace import create_workspace

    state = load_state(work)
    count = int(state["proposals"])
    start = time.perf_counter()
    material.write_proposals(work / "input", count, int(state.get("pdf_kb", 200)) * 1024)
    generated = (time.perf_counter() - start) * 1000
    keys = {}
    for name, role in (("office", "secretariat"), ("member", "member")):
        ws = create_workspace(work / name, role=role, name=f"Bench {name}",
                              passphrase=PASSPHRASE, use_keyring=False).workspace  # fmt: skip
        keys[name] = ws.store.raw_key.hex()
        if name == "office":
            create_call(ws, material.call_text())
        ws.close()
    others = [KeyPair.generate() for _ in range(OTHERS)]
    save_state(work, keys=keys,
               others=[[k.signing_private.hex(), k.sealing_private.hex()] for k in others])  # fmt: skip
    return {"ms": generated}


def import_step(work: Path) -> dict[str, Any]:
    """Import the proposals and their PDFs; then (not timed) enrol the commission."""
    from app.crypto.keys import KeyPair
    from app.services.cards import enroll_cards, export_card
    from app.services.proposal_import import import_proposals
    from app.services.roster import enroll_member

    office = open_ws(work, "office")
    start = time.perf_counter()
    result = import_proposals(
        office, CALL, work / "input" / "proposals.csv", work / "input" / "pdf"
    )
    ms = (time.perf_counter() - start) * 1000
    member = open_ws(work, "member")
    enroll_cards(office, CALL, [(export_card(member), "member")])
    for n, (signing, sealing) in enumerate(load_state(work)["others"]):
        keys = KeyPair(bytes.fromhex(signing), bytes.fromhex(sealing))
        enroll_member(office, CALL, name=f"Commissario {n + 2}", email="", public_keys=keys.public)
    (work / "office.card").write_bytes(export_card(office))
    member.close()
    office.close()
    return {"ms": ms, "imported": result.imported, "attachments": result.attachments}


def publish(work: Path) -> dict[str, Any]:
    """Sign and seal the call package for 15 members and put it on the share."""
    from app.services.exchange import sync
    from app.services.publication import publish_call
    from app.services.remotes import set_remote

    (work / "share").mkdir(exist_ok=True)
    office = open_ws(work, "office")
    set_remote(office, CALL, str(work / "share"))
    start = time.perf_counter()
    publish_call(office, CALL)
    sealed = (time.perf_counter() - start) * 1000
    sync(office)
    ms = (time.perf_counter() - start) * 1000
    office.close()
    files = package_files(work, CALL)
    return {"ms": ms, "sealed_ms": sealed, "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
            "largest": max((p.stat().st_size for p in files), default=0)}  # fmt: skip


def other_bundles(work: Path) -> dict[str, Any]:
    """The 14 other members' sealed bundles, built directly as the intake bench
    does (not timed as a step: they stand for 14 laptops)."""
    from decimal import Decimal

    from app import clock
    from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
    from app.crypto.keys import KeyPair
    from app.services.calls import get_call
    from app.services.workspace import own_identity
    from tests.support.bundle_factory import member_head

    state = load_state(work)
    count = int(state["proposals"])
    office = open_ws(work, "office")
    with office.session() as session:
        identity = own_identity(session)
        office_keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        grid_hash = get_call(session, CALL).grid_hash
    office.close()
    start = time.perf_counter()
    now = clock.now()
    codes = [material.code(n) for n in range(count)]
    folder = work / "bundles"
    folder.mkdir(exist_ok=True)
    for m, (signing, sealing) in enumerate(state["others"], start=1):
        keys = KeyPair(bytes.fromhex(signing), bytes.fromhex(sealing))
        scores = [
            BundleScore(c, key, Decimal(material.level(m, n, i)), f"{material.WHY} ({key})", now)
            for n, c in enumerate(codes)
            for i, key in enumerate(material.KEYS)
        ]
        _bundle, data = ScoreBundle.build(
            call_id=CALL, grid_hash=grid_hash, package_sequence=1, sequence=1, previous=None,
            author=keys, recipient_key_id=office_keys.public.key_id,
            recipient_sealing_key=office_keys.public.sealing, general_text_version="2020-1",
            general_declared_at=now,
            declarations=[BundleDeclaration(c, False, None, "", now) for c in codes],
            scores=scores, audit_head=member_head(keys, 1),
        )  # fmt: skip
        (folder / f"{m:02d}.bundle").write_bytes(data)
    return {"ms": (time.perf_counter() - start) * 1000}


def others_sent(work: Path) -> list[int]:
    """Which of the 14 other members' bundles were built (their numbers, from 1)."""
    folder = work / "bundles"
    return sorted(int(p.stem) for p in folder.glob("*.bundle")) if folder.exists() else []


def sealed_bundles(work: Path) -> list[bytes]:
    """The 15 sealed bundles: the real member's from the share, and the 14 others."""
    own = [p.read_bytes() for p in inbox_files(work, CALL)]
    return own + [(work / "bundles" / f"{m:02d}.bundle").read_bytes() for m in others_sent(work)]


def intake(work: Path) -> dict[str, Any]:
    """The office's data check once, then the 15 bundles taken in."""
    from app.errors import VaglioError
    from app.services.intake import accept_score_bundle, check_before_intake

    bundles = sealed_bundles(work)
    office = open_ws(work, "office")
    start = time.perf_counter()
    check_before_intake(office)
    checked = (time.perf_counter() - start) * 1000
    outcomes, refusals = [], []
    for data in bundles:
        try:
            outcomes.append(accept_score_bundle(office, data, checked=True).outcome)
        except VaglioError as refused:
            refusals.append(f"{len(data) / 2**20:.1f} MiB: {refused}")
    ms = (time.perf_counter() - start) * 1000
    office.close()
    if refusals:
        raise RuntimeError(f"{len(refusals)} of {len(bundles)} bundles refused, " + refusals[0])
    return {"ms": ms, "check_ms": checked, "bundles": len(bundles),
            "accepted": outcomes.count("accepted"),
            "bundle_bytes": max((len(b) for b in bundles), default=0)}  # fmt: skip


def ranking(work: Path) -> dict[str, Any]:
    """The ranking view, computed from the 15 members' scores."""
    from app.services.ranking import ranking_view

    office = open_ws(work, "office")
    start = time.perf_counter()
    view = ranking_view(office, CALL)
    ms = (time.perf_counter() - start) * 1000
    office.close()
    return {"ms": ms, "ranked": len(view.rows), "excluded": len(view.excluded)}


def approve(work: Path) -> dict[str, Any]:
    """A sitting recorded (the call file carries its acts), then the approval."""
    from app.models import RankingRecord
    from app.services.ranking import approve_ranking
    from tests.support.minutes import record_sitting

    office = open_ws(work, "office")
    record_sitting(office, CALL)
    start = time.perf_counter()
    # The reason is recorded only if a member sent nothing (the real member
    # has no package when the publication failed): the office goes on with 14.
    decided = approve_ranking(office, CALL, "Un componente non ha inviato valutazioni.")
    ms = (time.perf_counter() - start) * 1000
    with office.session() as session:
        record = session.get(RankingRecord, CALL)
        assert record is not None and record.document is not None
        (work / "approved.json").write_text(record.document, encoding="utf-8")
    ranked = [(r.proposal, f"{r.total_cost:f}") for r in decided.view.rows]
    office.close()
    save_state(work, ranked=ranked)
    return {"ms": ms, "document_bytes": (work / "approved.json").stat().st_size}


def minutes(work: Path) -> dict[str, Any]:
    """The minutes printed to a file (unsigned), as ``vaglio minutes`` does."""
    from app.services.minutes import write_minutes

    office = open_ws(work, "office")
    start = time.perf_counter()
    written = write_minutes(office, CALL, work / "minutes.pdf")
    ms = (time.perf_counter() - start) * 1000
    office.close()
    # The bare floor needs the same number of tables: one per proposal and
    # those of the other sections (tests/bench/minutes_bench.py).
    save_state(work, minutes_pages=written.pages)
    return {"ms": ms, "pages": written.pages, "bytes": (work / "minutes.pdf").stat().st_size}


def funding(work: Path) -> dict[str, Any]:
    """Campaign results for every ranked project taken in (not timed), then the
    funding walk: the matchfunding allocation down the ranking."""
    from app import clock
    from app.services.funding import funding_view, import_campaigns

    state = load_state(work)
    path = material.write_campaigns(
        work / "campaigns.csv",
        [tuple(r) for r in state["ranked"]],
        clock.today_in_rome().isoformat(),
    )
    office = open_ws(work, "office")
    import_campaigns(office, CALL, path)
    start = time.perf_counter()
    view = funding_view(office, CALL)
    ms = (time.perf_counter() - start) * 1000
    office.close()
    return {"ms": ms, "projects": len(view.projects)}
