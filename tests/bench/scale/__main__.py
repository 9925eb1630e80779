"""``make bench-scale [SCALE=N]``: the scale bench (issue 16), printed as a table.

``python -m tests.bench.scale --proposals N [--work DIR] [--keep]``
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
from pathlib import Path

from tests.bench.scale.bench import RATIO_GOAL, RSS_GOAL_MB, Result, progress, run_bench
from tests.bench.scale.children import ChildRun

MiB = 1024 * 1024


def machine() -> str:
    from reportlab.lib import rl_accel

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    accel = "on" if rl_accel.fp_str.__module__ == "_rl_accel" else "off (pure Python)"
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, "
            f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}, "
            f"reportlab rl_accel {accel}")  # fmt: skip


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:8.2f} s" if value >= 10_000 else f"{value:8.1f} ms"


def table(results: list[Result], proposals: int) -> list[str]:
    header = ("step", "value", "floor", "floor value", "ratio", "peak RSS", "side", "goals")
    rows = []
    for r in results:
        ratio = f"{r.ratio:6.2f}" if r.ratio is not None else "-"
        missed = r.missed
        verdict = "met" if not missed else "MISSED: " + ", ".join(missed)
        rows.append((r.step.name.format(n=f"{proposals:,}"), _ms(r.value_ms), r.step.floor_name,
                     _ms(r.floor_ms), ratio, f"{r.value.peak_rss_mb:6.0f} MiB", r.step.side,
                     verdict))  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]


def markdown(results: list[Result], proposals: int) -> list[str]:
    """The same table for docs/performance.md."""
    lines = [
        "| step | value | floor | ratio | peak RSS | side | goals |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        value = _ms(r.value_ms).strip() if not r.value.error else "failed"
        floor = f"{r.step.floor_name}, {_ms(r.floor_ms).strip()}"
        missed = r.missed
        verdict = "met" if not missed else "**missed**: " + ", ".join(missed)
        lines.append(f"| {r.step.name.format(n=f'{proposals:,}')} | {value} | {floor} | {ratio} | "
                     f"{r.value.peak_rss_mb:,.0f} MiB | {r.step.side} | {verdict} |")  # fmt: skip
    return lines


def notes(results: list[Result], setup: dict[str, ChildRun], proposals: int) -> list[str]:
    by_key = {r.step.key: r.value.figures for r in results}
    lines = []
    published = by_key.get("publish", {})
    if published:
        lines.append(
            f"package: {published['bytes'] / MiB:,.1f} MiB in {published['files']} file(s) "
            f"on the share, largest {published['largest'] / MiB:,.1f} MiB "
            f"(signing and sealing {published['sealed_ms'] / 1000:.1f} s of {published['ms'] / 1000:.1f} s)"
        )
    submitted = by_key.get("submit", {})
    if submitted:
        from app.bundles.envelopes import MAX_SEALED_BUNDLE

        lines.append(f"member's bundle: {submitted['bytes'] / MiB:.1f} MiB sealed "
                     f"(the office takes at most {MAX_SEALED_BUNDLE / MiB:.0f} MiB), "
                     f"{submitted['scores']:,} scores; upload {submitted['upload_ms'] / 1000:.1f} s")  # fmt: skip
    taken = by_key.get("intake", {})
    if taken:
        lines.append(f"intake: {taken['accepted']}/{taken['bundles']} accepted, of which the "
                     f"office's data check {taken['check_ms'] / 1000:.1f} s")  # fmt: skip
    pages = by_key.get("minutes", {})
    if pages:
        lines.append(f"minutes: {pages['pages']:,} pages, {pages['bytes'] / MiB:.1f} MiB")
    for key, run in setup.items():
        extra = run.error or f"{run.wall_s:.1f} s, peak RSS {run.peak_rss_mb:.0f} MiB"
        if key == "score_everything" and run.figures:
            extra += (f" (import of {run.figures['scores']:,} scores {run.figures['ms'] / 1000:.1f} s, "
                      f"plain copy {run.figures['plain_copy_ms'] / 1000:.1f} s)")  # fmt: skip
        lines.append(f"set-up {key}: {extra}")
    for r in results:
        for run in (r.value, r.floor):
            if run is not None and run.error:
                lines.append(f"error in {r.step.key}: {run.error}")
    missed = [r for r in results if r.missed]
    lines.append(
        f"goals: ratio <= {RATIO_GOAL:g} and peak RSS <= {RSS_GOAL_MB:.0f} MiB; "
        f"{len(results) - len(missed)} of {len(results)} steps meet them"
        + (
            ": missed " + ", ".join(f"{r.step.key} ({'/'.join(r.missed)})" for r in missed)
            if missed
            else ""
        )
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument(
        "--work", type=Path, default=None, help="folder to work in (default: a temporary one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--pdf-kb", type=int, default=200, help="size of each proposal's PDF")
    parser.add_argument("--until", default="", help="stop after this step (e.g. publish)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    args = parser.parse_args()
    print(machine())
    print(f"scale: {args.proposals:,} proposals x 8 criteria x 15 members, "
          f"a ~{args.pdf_kb} KB PDF each")  # fmt: skip
    work = args.work or Path(tempfile.mkdtemp(prefix="vaglio-scale-"))
    try:
        results, setup = run_bench(work, args.proposals, pdf_kb=args.pdf_kb, until=args.until)
    except KeyboardInterrupt:
        progress("stopped (Ctrl+C): the running step's process was ended, no table")
        raise SystemExit(130) from None
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            progress(f"kept {work}")
    for line in table(results, args.proposals) + [""] + notes(results, setup, args.proposals):
        print(line)
    if args.markdown:
        text = markdown(results, args.proposals) + [""] + notes(results, setup, args.proposals)
        args.markdown.write_text("\n".join(text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
