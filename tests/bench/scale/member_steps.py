"""The real member's steps of the scale bench (the fifteenth member has a
workspace of their own; the other fourteen are keys, office_steps.py)."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.bench.harness import percentile
from tests.bench.scale import material
from tests.bench.scale.workspaces import open_ws, plain_copy

CALL = material.CALL_ID
AUTOSAVES = 200
SHEET = 2000  # proposals per score sheet
LEVELS = (Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.8"))


def first_sync(work: Path) -> dict[str, Any]:
    """The member's first sync: fetch, open, verify and install the package."""
    from app.services.cards import trust_office
    from app.services.exchange import sync
    from app.services.remotes import set_remote

    member = open_ws(work, "member")
    trust_office(member, (work / "office.card").read_bytes())
    set_remote(member, CALL, str(work / "share"))
    start = time.perf_counter()
    report = sync(member)
    ms = (time.perf_counter() - start) * 1000
    member.close()
    if report.refused or report.failures or not report.taken_in:
        raise RuntimeError(f"no package installed: {report.refused} {report.failures}")
    return {"ms": ms, "taken_in": len(report.taken_in)}


def score_everything(work: Path) -> dict[str, Any]:
    """The member's general declaration, then every declaration and score from
    one sheet (``vaglio score import``): how a member with 10,000 proposals
    would fill them in bulk. Then (not timed) the plain copy the floors read."""
    from app.services.declarations import declare_general
    from app.services.scores import import_scores

    count = len(list((work / "input" / "pdf").glob("*.pdf")))
    # A sheet holds at most 20,000 rows (app/services/tabular.py): 2,000
    # proposals x 8 criteria a file, imported one after the other.
    sheets = [
        material.write_member_scores(
            work / f"member-scores-{first}.csv", range(first, min(count, first + SHEET))
        )
        for first in range(0, count, SHEET)
    ]
    member = open_ws(work, "member")
    declare_general(member, CALL)
    start = time.perf_counter()
    scores = sum(import_scores(member, CALL, sheet).scores for sheet in sheets)
    ms = (time.perf_counter() - start) * 1000
    member.close()
    start = time.perf_counter()
    plain_copy(work, "member", work / "member-plain.db")
    exported = (time.perf_counter() - start) * 1000
    return {"ms": ms, "scores": scores, "sheets": len(sheets), "plain_copy_ms": exported}


def desk(work: Path) -> dict[str, Any]:
    """The member's desk view (every proposal with its state), first call in a
    fresh process, as on opening the call."""
    from app.services.member_desk import desk as desk_view

    member = open_ws(work, "member")
    start = time.perf_counter()
    view = desk_view(member, CALL)
    ms = (time.perf_counter() - start) * 1000
    member.close()
    return {"ms": ms, "rows": len(view.rows)}


def _autosave(ws: Any, codes: list[str], count: int) -> list[float]:
    """Timed edits: 200, or 50 for a call of fewer than 1,000 proposals (CI)."""
    from app.services.scores import save_scores

    samples = []
    for n in range((AUTOSAVES if count >= 1000 else 50) + 20):
        start = time.perf_counter()
        save_scores(ws, CALL, codes[n % len(codes)], values={"impact": LEVELS[n % 4]},
                    justifications={"impact": f"motivazione salvata numero {n}, rivista"})  # fmt: skip
        if n >= 20:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def autosave(work: Path) -> dict[str, Any]:
    """One score edit saved, p50 and p99 over 200 edits spread over the call."""
    count = len(list((work / "input" / "pdf").glob("*.pdf")))
    codes = [material.code(n) for n in range(0, count, max(1, count // 50))]
    member = open_ws(work, "member")
    samples = _autosave(member, codes, count)
    member.close()
    return {"ms": percentile(samples, 50), "p99_ms": percentile(samples, 99)}


def autosave_floor(work: Path) -> dict[str, Any]:
    """The same code on the plain SQLite copy (tests/bench/desk_bench.py)."""
    from tests.bench.desk_bench import _plain_workspace

    count = len(list((work / "input" / "pdf").glob("*.pdf")))
    codes = [material.code(n) for n in range(0, count, max(1, count // 50))]
    plain = _plain_workspace(work / "member", work / "member-plain.db")
    samples = _autosave(plain, codes, count)
    plain.close()
    return {"ms": percentile(samples, 50), "p99_ms": percentile(samples, 99)}


def submit(work: Path) -> dict[str, Any]:
    """Freeze, sign and seal the member's bundle; then (timed apart) upload it."""
    from app.services.exchange import sync
    from app.services.submission import submit as submit_bundle

    member = open_ws(work, "member")
    start = time.perf_counter()
    submitted = submit_bundle(member, CALL)
    ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    sync(member)
    uploaded = (time.perf_counter() - start) * 1000
    member.close()
    size = submitted.copy.stat().st_size if submitted.copy.exists() else 0
    return {"ms": ms, "upload_ms": uploaded, "scores": submitted.scores, "bytes": size}
