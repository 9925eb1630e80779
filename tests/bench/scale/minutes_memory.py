"""Peak memory of printing the minutes as the call grows (issue 16: the
minutes of 10,000 proposals must stream to disk without holding every page).

``python -m tests.bench.scale.minutes_memory 1000 5000 10000`` renders the
minutes of tests/bench/minutes_bench.py's synthetic view (3 members, 5
criteria, a motivation on every score) at each size in a fresh process and
prints its pages, time and peak RSS, and the RSS the view alone takes.
``--trace N`` prints the 15 largest allocation sites at the peak (tracemalloc).
"""

from __future__ import annotations

import resource
import sys
import time

from tests.bench.scale.children import report, run_process


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render(count: int, trace: bool = False) -> None:
    """In the child: the view, then the minutes written to a temporary file."""
    import tempfile

    from app.reports.minutes import render_minutes
    from tests.bench.minutes_bench import minutes_view

    if trace:
        import tracemalloc

        tracemalloc.start(8)
    view = minutes_view(count)
    view_rss = _rss_mb()
    start = time.perf_counter()
    pdf = render_minutes(view)  # type: ignore[arg-type]
    with tempfile.TemporaryFile() as out:
        out.write(pdf.content)
    ms = (time.perf_counter() - start) * 1000
    if trace:
        import tracemalloc

        snapshot = tracemalloc.take_snapshot()
        print(f"traced peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB", file=sys.stderr)
        for stat in snapshot.statistics("traceback")[:15]:
            print(f"{stat.size / 2**20:8.1f} MiB {stat.count:8d}", file=sys.stderr)
            for line in stat.traceback.format()[-6:]:
                print("    " + line, file=sys.stderr)
    report({"ms": ms, "pages": pdf.pages, "view_rss": view_rss, "rss": _rss_mb()})


def main() -> None:
    if sys.argv[1] == "--child":
        render(int(sys.argv[2]), trace=len(sys.argv) > 3)
        return
    trace = sys.argv[1] == "--trace"
    sizes = [int(n) for n in sys.argv[2 if trace else 1 :]]
    print("proposals  pages   time      peak RSS  RSS of the view alone")
    for count in sizes:
        args = [sys.executable, "-m", "tests.bench.scale.minutes_memory", "--child", str(count)]
        run = run_process(args + (["trace"] if trace else []))
        if run.error:
            print(f"{count:9,}  error: {run.error}")
            continue
        f = run.figures
        print(f"{count:9,}  {f['pages']:5,}  {f['ms'] / 1000:6.1f} s  {run.peak_rss_mb:6.0f} MiB  "
              f"{f['view_rss']:6.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
