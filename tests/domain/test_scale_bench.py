"""The scale bench (``make bench-scale``, tests/bench/scale) at a tiny size,
in this process: every step of a call's life produces its figure and its
floor, and the printed table names each of them. No timing is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.scale.__main__ import notes, table
from tests.bench.scale.bench import STEPS, run_bench

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def test_every_step_of_the_scale_bench_gives_a_figure_and_its_floor(
    tmp_path: Path, qapp: object
) -> None:
    results, setup = run_bench(tmp_path / "scale", 4, in_process=True)

    assert [r.step.key for r in results] == [s.key for s in STEPS]
    assert {key: run.error for key, run in setup.items()} == dict.fromkeys(setup, "")
    for result in results:
        assert result.value.error == "", (result.step.key, result.value.error)
        assert result.floor is None or result.floor.error == "", (result.step.key, result.floor)
        assert result.value_ms is not None and result.value_ms > 0, result.step.key
        assert result.floor_ms is not None and result.floor_ms > 0, result.step.key
        assert result.value.peak_rss_mb > 0, result.step.key
    figures = {r.step.key: r.value.figures for r in results}
    assert figures["intake"]["accepted"] == 15  # the real member's bundle and 14 others
    assert figures["ranking"]["ranked"] + figures["ranking"]["excluded"] == 4
    assert figures["publish"]["files"] >= 1 and figures["publish"]["bytes"] > 4 * 200_000
    printed = "\n".join(table(results, 4) + notes(results, setup, 4))
    for step in STEPS:
        assert step.name.format(n="4") in printed
    assert "package: " in printed and "minutes: " in printed


def test_ctrl_c_ends_the_running_step_and_removes_the_work_folder(tmp_path: Path) -> None:
    """Stopping the bench (SIGINT to the bench alone, as a supervisor would
    send it) ends the step's child process too and leaves no work folder."""
    import os
    import signal
    import subprocess
    import sys

    work = tmp_path / "scale-work"
    bench = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.scale", "--proposals", "4", "--work", str(work)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert bench.stderr is not None
    for line in bench.stderr:  # wait until a step's child runs
        if "step 2/" in line:
            break
    bench.send_signal(signal.SIGINT)
    rest = bench.stderr.read()
    assert bench.wait(timeout=120) == 130
    assert "stopped (Ctrl+C)" in rest
    assert not work.exists()
    left = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(work).encode() in command and int(entry.name) != os.getpid():
                left.append(command)
    assert left == []
