"""Each step of the scale bench runs in a fresh process, as a user's would.

:func:`run_child` starts ``python -m tests.bench.scale.child STEP WORK`` (or any
command), waits for it with ``os.wait4`` and takes the child's own peak
resident set from the kernel's accounting (``ru_maxrss``): the peak of that
process alone, whatever ran before it in the bench. A child prints one line
``scale-result {json}`` with its figures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
MARK = "scale-result "
# A step's child may map at most this much address space: a step that would
# need far more than the 1.5 GiB goal fails with MemoryError and is reported,
# instead of pushing a shared machine into swap or the OOM killer.
ADDRESS_SPACE_CAP = 6 * 1024**3


@dataclass
class ChildRun:
    """What a child reported, its peak RSS and its wall time."""

    figures: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    wall_s: float = 0.0
    error: str = ""
    stdout: str = ""


def report(figures: dict[str, Any]) -> None:
    """Print a child's figures for :func:`run_child` (called in the child)."""
    print(MARK + json.dumps(figures), flush=True)


def _cap_address_space() -> None:
    import resource

    _unblock_interrupt()
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def _unblock_interrupt() -> None:
    """In the child: Ctrl+C reaches it again (the parent blocks it while it starts)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def run_process(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 7200, capped: bool = True
) -> ChildRun:
    """Run ``args`` to its end; its stdout, peak RSS (MiB) and wall time.
    ``capped``: under :data:`ADDRESS_SPACE_CAP` (not for Qt, which reserves
    address space it never touches)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # Ctrl+C waits until the child is known, so that it is never left behind.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process = subprocess.Popen(
                args, stdout=out, stderr=err, cwd=ROOT, env=env,
                preexec_fn=_cap_address_space if capped else _unblock_interrupt,  # noqa: PLW1509 - no threads here
            )  # fmt: skip
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            raise
        deadline = start + timeout
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl+C held back lands here
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    process.kill()
                    pid, status, usage = os.wait4(process.pid, 0)
                    break
                time.sleep(0.02)
        except BaseException:  # Ctrl+C: the step's child goes too, never left behind
            process.kill()
            os.wait4(process.pid, 0)
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    run = ChildRun(peak_rss_mb=usage.ru_maxrss / 1024, wall_s=wall, stdout=stdout)
    for line in stdout.splitlines():
        if line.startswith(MARK):
            run.figures = json.loads(line[len(MARK) :])
    if process.returncode != 0:
        last = [line for line in stderr.strip().splitlines() if line.strip()][-3:]
        run.error = f"exit {process.returncode}: " + " | ".join(last)
    return run


def run_child(step: str, work: Path, env: dict[str, str] | None = None) -> ChildRun:
    """Run the step named ``step`` of :mod:`tests.bench.scale.child` in a fresh interpreter."""
    return run_process([sys.executable, "-m", "tests.bench.scale.child", step, str(work)], env=env)


def run_in_process(step: str, work: Path) -> ChildRun:
    """The same step in this process (the tiny smoke test): no RSS of its own."""
    import contextlib
    import io

    from tests.bench.scale.child import STEPS

    buffer = io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(buffer):
            figures = STEPS[step](work)
    except Exception as exc:  # the bench reports a failed step, it does not stop
        return ChildRun(error=f"{type(exc).__name__}: {exc}", wall_s=time.perf_counter() - start)
    run = ChildRun(figures, wall_s=time.perf_counter() - start, stdout=buffer.getvalue())
    import resource

    run.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return run
