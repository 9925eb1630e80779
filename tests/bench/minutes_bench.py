"""The minutes of a call with 1,000 proposals (issue: evaluation minutes).

Value: rendering the minutes (reportlab, then the signature fields with
pyHanko) from a plain view of 1,000 scored proposals, 3 members, 5 criteria,
motivations on every score. Floor: a bare reportlab document with the same
number of pages and tables (plain-text cells, no Paragraphs), built in the
same run. Goal: ratio <= 2.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal
from pathlib import Path

from tests.bench.harness import Figure, median_ms

PROPOSALS = 1000
MEMBERS = ("Elena Colombo", "Marco Ferrari", "Sara Esposito")
CRITERIA = (
    ("innovation", "Carattere innovativo della proposta", "25"),
    ("impact", "Impatto sociale sul territorio e sui destinatari", "30"),
    ("coherence", "Coerenza con gli obiettivi e gli ambiti dell'avviso", "15"),
    ("sustainability", "Sostenibilità economica e fattibilità", "20"),
    ("community", "Attivazione della comunità e potenziale di raccolta", "10"),
)
ROOT = Path(__file__).resolve().parents[2]
WHY = "Proposta solida, con una rete di quartiere ben descritta e un piano credibile."


def minutes_view(count: int = PROPOSALS) -> object:
    from app.models.definition import CallInfo
    from app.models.rules import Criterion, Grid, Level
    from app.reports.minutes_view import (
        CommissionMember,
        MemberScores,
        MinutesView,
        ProposalScores,
        Secretary,
        Sitting,
    )
    from app.scoring.views import BundleRef, ExcludedRow, RankedRow, RankingView

    now = dt.datetime(2020, 10, 1, 10, 0, tzinfo=dt.UTC)
    criteria = tuple(Criterion(k, t, Decimal(m), "Descrizione.") for k, t, m in CRITERIA)
    grid = Grid(
        method="coefficients", criteria=criteria, threshold=Decimal(60), rescale="none",
        min_evaluators=3, decimals=2, justification_min_chars=20, dispersion_flag=Decimal("0.6"),
        levels=(Level(Decimal(0), "no"), Level(Decimal(1), "sì")), tie_break=("lottery",),
    )  # fmt: skip
    rows, excluded, proposals = [], [], []
    for n in range(count):
        code = f"B{n:05d}"
        points = {k: Decimal(m) * Decimal("0.8") for k, _t, m in CRITERIA}
        total = Decimal(80) - Decimal(n) / 100
        ranked = n < count // 2
        if ranked:
            rows.append(RankedRow(n + 1, code, f"Progetto {n}", f"Associazione {n}", total, points,
                                  3, (), "", Decimal("50000"), Decimal("30000")))  # fmt: skip
        else:
            excluded.append(ExcludedRow(code, f"Progetto {n}", f"Associazione {n}",
                                        "below_threshold", total, points, 3, ()))  # fmt: skip
        proposals.append(
            ProposalScores(
                proposal=code, title=f"Progetto {n}", applicant=f"Associazione {n}",
                rank=n + 1 if ranked else None, reason=None if ranked else "below_threshold",
                total=total, points=points, evaluators=3, flags=(),
                members=tuple(
                    MemberScores(m, {k: Decimal("0.8") for k, _t, _m in CRITERIA},
                                 {k: WHY for k, _t, _m in CRITERIA})
                    for m in MEMBERS
                ),
                abstained=(),
            )
        )  # fmt: skip
    ranking = RankingView(
        call_id="BENCH", call_title="Bench", grid=grid, rows=tuple(rows), excluded=tuple(excluded), lotteries=(), pending_lottery=(),
        lottery_number=None,
        bundles=tuple(BundleRef(m, "ABCD " * 10, 1, "a" * 64, "b" * 64, now) for m in MEMBERS),
        members_without_bundle=(), approved_at=now, document_sha256="c" * 64,
    )  # fmt: skip
    return MinutesView(
        call=CallInfo("BENCH", "Bench", "Comune di Milano", "PON Metro", "MI3.3.1.c",
                      "B49J17000100006", Decimal(550000), dt.date(2020, 7, 15), ("Corvetto",),
                      ("servizi educativi",)),
        proposals_received=count,
        rules=grid,
        commission=tuple(CommissionMember(m, "member", "ABCD " * 10, now, "2020-1", 1)
                         for m in MEMBERS),
        secretary=Secretary("Segreteria tecnica", "ABCD " * 10),
        sittings=(Sitting(now.date(), "Sala", MEMBERS, (), "", "09:30", "12:00", "in_person",
                          "Giulia Marchi", MEMBERS),),
        conflicts=(), proposals=tuple(proposals), ranking=ranking,
        reason_labels={"below_threshold": "totale sotto la soglia"},
    )  # fmt: skip


def bare_document(pages: int, tables: int) -> float:
    """Milliseconds to build a plain reportlab document of ``pages`` pages and ``tables`` tables.

    Table ``n`` goes on page ``n * pages // tables``, with as many rows of
    plain text as fill about a page between the tables sharing it.
    """
    import io
    import math

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    from app.reports.fonts import REGULAR, register_fonts

    register_fonts()
    rows = max(1, 36 // math.ceil(tables / pages))
    story: list[object] = []
    page = 0
    for n in range(tables):
        if n * pages // tables != page:
            story.append(PageBreak())
            page += 1
        data = [[f"Criterio {r}", "25,00", "20,00", "testo della riga"] for r in range(rows)]
        table = Table(data)
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)])
        story.append(table)
    start = time.perf_counter()
    document = SimpleDocTemplate(io.BytesIO(), pagesize=A4)
    document.build(story)
    elapsed = (time.perf_counter() - start) * 1000
    assert document.page == pages, (document.page, pages)
    return elapsed


def measure() -> dict[str, float]:
    """Both timings, in this process (run by :func:`minutes_figure` in a fresh one)."""
    from app.reports.minutes import render_minutes

    view = minutes_view()
    pdf = render_minutes(view)  # type: ignore[arg-type]  # also the warm-up: fonts, imports
    value = median_ms(lambda: render_minutes(view), repeat=3, warmup=0)  # type: ignore[arg-type]
    tables = PROPOSALS + 8  # one per proposal, and those of the other sections
    floor = statistics.median(bare_document(pdf.pages, tables) for _ in range(3))
    return {"pages": pdf.pages, "value": value, "floor": floor}


def minutes_figure() -> Figure:
    """The minutes figure, measured in a fresh interpreter as ``vaglio minutes``
    runs, so that it does not depend on what the benches before it left behind."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c",
         "import json; from tests.bench.minutes_bench import measure; print(json.dumps(measure()))"],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    pages, value, floor = int(figures["pages"]), figures["value"], figures["floor"]
    print(
        f"minutes: {PROPOSALS} proposals, {pages} pages in {value / 1000:.1f} s "
        f"({pages / value * 1000:.0f} pages/s); bare reportlab {pages / floor * 1000:.0f} pages/s"
    )
    return Figure(
        f"minutes, {PROPOSALS} proposals ({pages} pages)",
        value,
        "bare reportlab, same pages and tables",
        floor,
        "<= 2",
    )
