"""The floor of each step: the least any program must do with the same bytes
or values, timed in a child process of its own in the same run.

- import: ``csv.DictReader``, read each PDF, plain ``sqlite3`` ``executemany``
  of the same rows and blobs;
- publish: SHA-256 of every PDF, ChaCha20-Poly1305 over all their bytes
  (1 MiB at a time), an Ed25519 signature over the list of hashes, written
  to a file: sealing the same bytes;
- first sync: copy the package's files, SHA-256 and ChaCha20-Poly1305 over
  them, the PDFs into plain ``sqlite3``: fetching, checking, opening and
  storing the same bytes;
- desk: plain ``sqlite3`` reading the same proposals, declarations and score
  counts from an unencrypted copy of the member's database;
- autosave: the same code on that plain copy (member_steps.autosave_floor);
- submit: plain ``sqlite3`` read of the member's scores and motivations,
  ``json.dumps``, Ed25519 signature, ChaCha20-Poly1305 seal;
- intake: HPKE open + Ed25519 verify + ``json.loads`` of the same bytes (issue 16);
- ranking view: plain ``sqlite3`` reading the same values, plus summing (issue 16);
- approval: that, plus ``json.dumps`` and SHA-256 of the same frozen
  document and one plain ``sqlite3`` insert of it;
- minutes: bare reportlab, same pages and tables (tests/bench/minutes_bench.py);
- funding walk: ``json.loads`` of the approved ranking and the same walk down
  it in plain Python (reserve, campaign outcome, slide to the next).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.bench.scale import material
from tests.bench.scale.workspaces import (
    load_state,
    package_files,
    plain_copy,
)

CHUNK = 1024 * 1024


def _aead() -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    return ChaCha20Poly1305(os.urandom(32))


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def import_floor(work: Path) -> dict[str, Any]:
    target = work / "floor-import.db"
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    connection = sqlite3.connect(target)
    connection.execute(
        "CREATE TABLE p (code TEXT, title TEXT, applicant TEXT, cost TEXT, pdf BLOB)"
    )
    folder = work / "input" / "pdf"
    with (work / "input" / "proposals.csv").open(encoding="utf-8") as handle:
        connection.executemany(
            "INSERT INTO p VALUES (?,?,?,?,?)",
            ((r["id"], r["title"], r["applicant"], r["total_cost"],
              (folder / r["attachments"]).read_bytes()) for r in csv.DictReader(handle)),
        )  # fmt: skip
    connection.commit()
    connection.close()
    ms = _ms(start)
    target.unlink()
    return {"ms": ms}


def publish_floor(work: Path) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    aead, key = _aead(), Ed25519PrivateKey.generate()
    target = work / "floor-package.bin"
    start = time.perf_counter()
    hashes = []
    with target.open("wb") as out:
        for n, path in enumerate(sorted((work / "input" / "pdf").glob("*.pdf"))):
            data = path.read_bytes()
            hashes.append(hashlib.sha256(data).hexdigest())
            for offset in range(0, len(data), CHUNK):
                nonce = n.to_bytes(8, "big") + (offset // CHUNK).to_bytes(4, "big")
                out.write(aead.encrypt(nonce, data[offset : offset + CHUNK], None))
        manifest = json.dumps(hashes).encode()
        out.write(key.sign(manifest) + manifest)
    ms = _ms(start)
    target.unlink()
    return {"ms": ms}


def sync_floor(work: Path) -> dict[str, Any]:
    import shutil

    aead = _aead()
    copy = work / "floor-copy"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    target = work / "floor-install.db"
    target.unlink(missing_ok=True)
    files = package_files(work, material.CALL_ID)
    start = time.perf_counter()
    for n, path in enumerate(files):
        data = path.read_bytes()
        (copy / f"{n}.bin").write_bytes(data)
        hashlib.sha256(data).hexdigest()
        for offset in range(0, len(data), CHUNK):
            nonce = n.to_bytes(8, "big") + (offset // CHUNK).to_bytes(4, "big")
            aead.encrypt(nonce, data[offset : offset + CHUNK], None)
        del data
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE a (code TEXT, pdf BLOB)")
    connection.executemany(
        "INSERT INTO a VALUES (?,?)",
        ((p.stem, p.read_bytes()) for p in sorted((work / "input" / "pdf").glob("*.pdf"))),
    )
    connection.commit()
    connection.close()
    ms = _ms(start)
    shutil.rmtree(copy)
    target.unlink()
    return {"ms": ms}


def desk_floor(work: Path) -> dict[str, Any]:
    start = time.perf_counter()
    connection = sqlite3.connect(work / "member-plain.db")
    proposals = connection.execute(
        "SELECT id, code, title, applicant, neighbourhood, thematic_area, total_cost, "
        "requested_contribution, admissible FROM proposals ORDER BY code"
    ).fetchall()
    declared = dict(
        connection.execute("SELECT proposal_id, has_conflict FROM conflict_declarations").fetchall()
    )
    scored = dict(
        connection.execute(
            "SELECT proposal_id, count(*) FROM scores WHERE value IS NOT NULL GROUP BY proposal_id"
        ).fetchall()
    )
    rows = [(*p, declared.get(p[0]), scored.get(p[0], 0)) for p in proposals]
    connection.close()
    return {"ms": _ms(start), "rows": len(rows)}


def submit_floor(work: Path) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    aead, key = _aead(), Ed25519PrivateKey.generate()
    start = time.perf_counter()
    connection = sqlite3.connect(work / "member-plain.db")
    scores = [
        {"proposal": p, "criterion": c, "value": v, "justification": j, "at": at}
        for p, c, v, j, at in connection.execute(
            "SELECT proposal_id, criterion_id, value, justification, updated_at FROM scores"
        )
    ]
    declarations = [
        {"proposal": p, "conflict": bool(c), "at": at}
        for p, c, at in connection.execute(
            "SELECT proposal_id, has_conflict, declared_at FROM conflict_declarations"
        )
    ]
    connection.close()
    payload = json.dumps({"scores": scores, "declarations": declarations}).encode()
    signature = key.sign(payload)
    sealed = aead.encrypt(b"\0" * 12, payload + signature, None)
    return {"ms": _ms(start), "bytes": len(sealed)}


def intake_floor(work: Path) -> dict[str, Any]:
    from app.bundles.score_bundle import ScoreBundle
    from app.crypto import dsse
    from app.crypto.keys import KeyPair
    from app.services.workspace import own_identity
    from tests.bench.scale.office_steps import others_sent, sealed_bundles
    from tests.bench.scale.workspaces import open_ws

    bundles = sealed_bundles(work)
    sent = len(bundles) - len(others_sent(work))  # 0 when the member sent nothing
    office = open_ws(work, "office")
    with office.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
    office.close()
    member = open_ws(work, "member")
    with member.session() as session:
        own = own_identity(session)
        mine = KeyPair(own.signing_private_key, own.sealing_private_key).public.signing
    member.close()
    other_keys = load_state(work)["others"]
    others = [KeyPair(bytes.fromhex(other_keys[m - 1][0]), bytes.fromhex(other_keys[m - 1][1])).public.signing
              for m in others_sent(work)]  # fmt: skip
    signers = [mine] * sent + others
    start = time.perf_counter()
    for data, signer in zip(bundles, signers, strict=True):
        _call, envelope = ScoreBundle.unseal(data, office_key_id=keys.public.key_id,
                                             office_sealing_private=keys.sealing_private)  # fmt: skip
        parsed = dsse.parse(envelope, max_size=len(envelope) + 1)
        parsed.verify(signer)
        json.loads(parsed.payload)
    return {"ms": _ms(start)}


RANKING_TABLES = ("scores", "conflict_declarations", "proposals", "members", "criteria")


def _plain_ranking_tables(work: Path) -> Path:
    """The tables the ranking reads, copied without encryption (not timed).
    The proposals' attachments live in a table of their own, not copied."""
    return plain_copy(work, "office", work / "office-ranking-plain.db", RANKING_TABLES)


def _read_and_sum(path: Path) -> dict[int, Decimal]:
    connection = sqlite3.connect(path)
    conflicted = {
        (m, p)
        for m, p in connection.execute(
            "SELECT member_id, proposal_id FROM conflict_declarations WHERE has_conflict"
        )
    }
    totals: dict[int, Decimal] = {}
    for member, proposal, value in connection.execute(
        "SELECT member_id, proposal_id, value FROM scores WHERE value IS NOT NULL"
    ):
        if (member, proposal) not in conflicted:
            totals[proposal] = totals.get(proposal, Decimal(0)) + Decimal(value)
    connection.close()
    return totals


def ranking_floor(work: Path) -> dict[str, Any]:
    path = _plain_ranking_tables(work)
    start = time.perf_counter()
    totals = _read_and_sum(path)
    return {"ms": _ms(start), "proposals": len(totals)}


def approve_floor(work: Path) -> dict[str, Any]:
    path = _plain_ranking_tables(work)
    document = json.loads((work / "approved.json").read_text(encoding="utf-8"))
    target = work / "floor-approve.db"
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    _read_and_sum(path)
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE r (document TEXT, sha256 TEXT)")
    connection.execute("INSERT INTO r VALUES (?, ?)", (text, digest))
    connection.commit()
    connection.close()
    ms = _ms(start)
    target.unlink()
    return {"ms": ms}


def bare_minutes(pages: int, tables: int) -> float:
    """Milliseconds to build, into a file, a plain reportlab document of
    ``pages`` pages holding at least ``tables`` tables of plain-text cells
    (each page its share of the tables, about a page of rows between them)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    from app.reports.fonts import REGULAR, register_fonts

    register_fonts()
    per_page = [0] * pages
    for n in range(tables):
        per_page[n * pages // tables] += 1
    story: list[object] = []
    for page, count in enumerate(per_page):
        if page:
            story.append(PageBreak())
        for _n in range(max(1, count)):
            data = [[f"Criterio {r}", "25,00", "20,00", "testo della riga"]
                    for r in range(max(1, 36 // max(1, count)))]  # fmt: skip
            table = Table(data)
            table.setStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)])
            story.append(table)
    import tempfile

    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        document = SimpleDocTemplate(out, pagesize=A4)
        document.build(story)
        elapsed = _ms(start)
    assert document.page == pages, (document.page, pages)
    return elapsed


def minutes_floor(work: Path) -> dict[str, Any]:
    state = load_state(work)
    pages, proposals = int(state["minutes_pages"]), int(state["proposals"])
    # One table per proposal and those of the other sections (minutes_bench).
    return {"ms": bare_minutes(pages, proposals + 8)}


def funding_floor(work: Path) -> dict[str, Any]:
    """The same walk as app/scoring/matchfunding.py, by hand: each project in
    rank order reserves min(cap, budget x (1 - crowd share)) while the fund
    lasts; a failed campaign frees its reserve for the next in line."""
    rows: list[tuple[str, Decimal]] = []
    raised: dict[str, Decimal] = {}
    with (work / "campaigns.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            raised[r["proposal"]] = Decimal(r["raised"])
    start = time.perf_counter()
    document = json.loads((work / "approved.json").read_text(encoding="utf-8"))
    rows = [(r["proposal"], Decimal(r["total_cost"])) for r in document["ranking"]]
    share, cap, fund = Decimal("0.40"), Decimal("60000.00"), Decimal("55000000.00")
    reserved: dict[str, Decimal] = {}
    left = fund
    for proposal, cost in rows:
        if raised.get(proposal, Decimal(0)) < cost * share:
            continue
        amount = min(cap, cost * (1 - share))
        if amount <= left:
            reserved[proposal] = amount
            left -= amount
    return {"ms": _ms(start), "funded": len(reserved)}
