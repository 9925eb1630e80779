"""The member's desk in the GUI at scale: the cold start to the listed
proposals (the start-up probe of tests/bench/workspace_bench.py, against a
bare Qt window) and the list filter on the call's own rows."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from tests.bench.scale import material
from tests.bench.scale.children import ChildRun, run_process
from tests.bench.scale.workspaces import load_state, open_ws

BARE_WINDOW = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "import time\n"
    "app = QApplication([]); w = QMainWindow(); w.show()\n"
    "def report():\n"
    "    print(f'vaglio-ready {time.time():.6f}', flush=True); app.quit()\n"
    "QTimer.singleShot(0, report); app.exec()"
)


def gui_env(work: Path) -> dict[str, str]:
    """The environment of the GUI child: offscreen, its own config and a file
    keyring (bench only, as in workspace_bench.cold_start)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(work / "xdg"),
        "VAGLIO_CONFIG_DIR": str(work / "config"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "VAGLIO_ALLOW_INSECURE_KEYRING": "1",
    }
    env.pop("VAGLIO_PASSPHRASE", None)
    return env


def keyring_slot(work: Path) -> dict[str, Any]:
    """Give the member's workspace a keyring slot (in the bench's file keyring:
    run in a child with :func:`gui_env`)."""
    from app.store.keyslots import KeySlots

    path = work / "member" / "keyslots.json"
    slots = KeySlots.load(path)
    slots.set_keyring(bytes.fromhex(load_state(work)["keys"]["member"]))
    slots.save(path)
    return {"ms": 0.0}


def _ready_ms(run: ChildRun, started: float) -> float:
    ready = next(line for line in run.stdout.splitlines() if line.startswith("vaglio-ready "))
    return (float(ready.split()[1]) - started) * 1000


def cold_start(work: Path, bare: bool) -> ChildRun:
    """Spawn to "proposals listed" of the member's GUI (or a bare window)."""
    env = gui_env(work)
    if bare:
        args = [sys.executable, "-c", BARE_WINDOW]
    else:
        args = [sys.executable, "-m", "app", "gui", "--home", str(work / "member")]
        env["VAGLIO_STARTUP_PROBE"] = "loaded"
    started = time.time()
    run = run_process(args, env=env, timeout=600, capped=False)
    if not run.error:
        run.figures = {"ms": _ready_ms(run, started)}
    return run


def filtering(work: Path) -> dict[str, Any]:
    """Keystroke to updated view on the member's own rows, p99; and the
    repaint of the same view, p99 (tests/bench/desk_bench.filtering)."""
    from app.services.member_desk import desk
    from tests.bench.desk_bench import filter_timings

    member = open_ws(work, "member")
    rows = desk(member, material.CALL_ID).rows
    member.close()
    value, floor = filter_timings(list(rows), ("corvetto", "orti niguarda", "B0099", "zzz"), 5)
    return {"ms": value, "floor_ms": floor, "rows": len(rows)}
