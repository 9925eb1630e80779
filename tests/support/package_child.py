"""Child process of the package-reading tests: takes in one call package and
prints, as one JSON line, what became of it and the peak resident memory in
MiB (``getrusage``'s ``ru_maxrss``) of the process that took it in.

Reads a JSON spec from the file named by its only argument, with ``mode``:

- ``open``: ``CallPackage.open`` on ``file`` with the member's ``key_id``,
  ``sealing_private`` (hex) and ``trusted`` office keys (hex), as in
  ``tests.support.package_attacks.Genuine.spec``;
- ``sync``: the member's workspace in ``home``, opened with ``raw_key`` (hex),
  synchronises with its remote (``app.services.exchange.sync``).

Linux carries ``ru_maxrss`` over ``exec`` from the process that forked (here
pytest, which holds hundreds of MB): a fresh interpreter would report the
test runner's peak. So the work is done in a process forked from this small
one after the imports: a fork starts its own count, from this process's
pages only.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import traceback
from pathlib import Path
from typing import Any

from app import clock
from app.bundles.package import CallPackage
from app.errors import VaglioError
from tests.support.workspaces import FROZEN_AT

# The suite's clock, never the wall clock.
clock.set_source(clock.SteppingClock(FROZEN_AT))


def peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes / KiB


def open_package(spec: dict[str, Any]) -> dict[str, Any]:
    data = Path(spec["file"]).read_bytes()
    try:
        package = CallPackage.open(
            data,
            my_key_id=spec["key_id"],
            my_sealing_private=bytes.fromhex(spec["sealing_private"]),
            trusted_offices={k: bytes.fromhex(v) for k, v in spec["trusted"].items()},
        )
    except VaglioError as exc:
        return {"error": type(exc).__name__, "message": str(exc), "file_bytes": len(data)}
    return {"error": None, "message": "", "call_id": package.call_id, "file_bytes": len(data)}


def sync_workspace(spec: dict[str, Any]) -> dict[str, Any]:
    from app.services.exchange import sync
    from app.services.unlocking import OpenWorkspace
    from app.store.workspace import load_slots, open_with_key

    home = Path(spec["home"])
    with OpenWorkspace(open_with_key(home, load_slots(home), bytes.fromhex(spec["raw_key"]))) as ws:
        report = sync(ws)
    return {
        "refused": report.refused,
        "failures": report.failures,
        "taken_in": [result.describe() for result in report.taken_in],
    }


def measure() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    baseline = peak_mib()
    outcome = open_package(spec) if spec["mode"] == "open" else sync_workspace(spec)
    outcome |= {"baseline_mib": baseline, "peak_mib": peak_mib()}
    print(json.dumps(outcome))


def main() -> None:
    pid = os.fork()
    if pid:
        _pid, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
    code = 1
    try:
        measure()
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    main()
