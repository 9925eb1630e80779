"""Run every bench and print the table (``make bench``)."""

from __future__ import annotations

import os
import platform

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

import tempfile
from pathlib import Path

from tests.bench import (
    desk_bench,
    intake_bench,
    integrity_bench,
    minutes_bench,
    package_bench,
    ranking_bench,
    webdav_bench,
    workspace_bench,
)
from tests.bench.harness import print_table


def main() -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    figures = workspace_bench.run()
    with tempfile.TemporaryDirectory(prefix="vaglio-bench-") as folder:
        os.environ["VAGLIO_CONFIG_DIR"] = folder
        figures += desk_bench.autosave(Path(folder))
        (Path(folder) / "intake").mkdir()
        figures += intake_bench.intake(Path(folder) / "intake")
        figures.append(ranking_bench.consolidation())
        figures.append(ranking_bench.from_workspace(Path(folder) / "intake" / "office"))
        (Path(folder) / "integrity").mkdir()
        figures += integrity_bench.checks(Path(folder) / "integrity")
        (Path(folder) / "package").mkdir()
        figures += package_bench.parts_figures(
            Path(folder) / "package",
            int(os.environ.get("VAGLIO_BENCH_PACKAGE_PROPOSALS", "1000")),
            int(os.environ.get("VAGLIO_BENCH_PDF_KIB", "200")),
        )
    figures.append(desk_bench.filtering())
    figures.append(minutes_bench.minutes_figure())
    print_table(figures)
    for line in webdav_bench.load_figures():
        print(line)


if __name__ == "__main__":
    main()
