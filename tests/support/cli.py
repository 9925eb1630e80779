"""Running ``vaglio`` in tests: in-process (the ``cli`` fixture) or as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from app import clock
from tests.support.workspaces import ROOT


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def run_vaglio(
    *args: str,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m app`` in a subprocess, with no terminal on standard input,
    at the suite's moment (``VAGLIO_CLOCK``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    full_env["VAGLIO_LANG"] = "it"
    full_env[clock.ENVIRONMENT] = clock.now().isoformat()
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=full_env,
        input=input_text if input_text is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def refusal(err: str) -> tuple[str, list[str]]:
    """A refusal on standard error: its ``error:`` line, then the problems
    listed under it, each on its own line indented by two spaces."""
    lines = err.rstrip("\n").split("\n")
    assert lines[0].startswith("error: ") and "Traceback" not in err, err
    assert all(line.startswith("  ") and line.strip() for line in lines[1:]), err
    return lines[0], [line.strip() for line in lines[1:]]


def on_pseudo_terminal(
    run: Callable[[int], subprocess.CompletedProcess[bytes]],
) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """``run(stderr_fd)`` with standard error on a real pseudo-terminal: the
    result and everything the terminal showed."""
    import pty

    master, slave = pty.openpty()
    try:
        done = run(slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    return done, seen.decode("utf-8", "replace")
