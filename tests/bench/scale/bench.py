"""The scale bench's sequence: every step of a call's life at ``proposals``
proposals x 8 criteria x 15 members, each step and its floor in a child
process of its own, with the step's peak RSS.

Goals (issue 16): each step <= 3x its floor; peak RSS <= 1.5 GiB on either
side (office, member). The bench reports; it never stops on a missed goal,
and a step that fails is reported with its error, the others still run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench.scale.children import ChildRun, run_child, run_in_process
from tests.bench.scale.workspaces import save_state

RATIO_GOAL = 3.0
RSS_GOAL_MB = 1536.0
SETUP = ("prepare", "score_everything", "keyring_slot", "other_bundles")
# Without the package installed, the member has nothing to open, score or send:
# these steps are then reported as skipped (the office's go on with 14 bundles).
NEEDS_PACKAGE = (
    "score_everything",
    "keyring_slot",
    "desk",
    "gui",
    "filtering",
    "autosave",
    "submit",
)


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    floor_name: str
    side: str
    floor_key: str = ""  # "" for a floor measured by the step itself ("floor_ms")


STEPS = (
    Step("import", "import ({n} proposals, {n} PDFs)", "csv + read PDFs + plain sqlite3 executemany", "office", "import_floor"),
    Step("publish", "publish (sign, seal for 15, upload)", "SHA-256 + ChaCha20-Poly1305 + Ed25519 of the same PDFs", "office", "publish_floor"),
    Step("sync", "member's first sync + install", "copy + SHA-256 + ChaCha20-Poly1305 + plain sqlite3 of the same bytes", "member", "sync_floor"),
    Step("desk", "desk view (service), first call", "plain sqlite3 read of the same rows", "member", "desk_floor"),
    Step("gui", "GUI cold start to the desk listed", "bare QApplication + QMainWindow", "member", "bare_window"),
    Step("filtering", "filter the desk list, keystroke to view, p99", "repaint of the same view, p99", "member"),
    Step("autosave", "autosave of one score edit, p50 (SQLCipher)", "same code on plain SQLite, p50", "member", "autosave_floor"),
    Step("submit", "submit (freeze, sign, seal the bundle)", "plain sqlite3 read + json.dumps + Ed25519 + ChaCha20-Poly1305", "member", "submit_floor"),
    Step("intake", "intake of 15 bundles (data check once)", "HPKE open + Ed25519 verify + json.loads", "office", "intake_floor"),
    Step("ranking", "ranking view (15 x {n} x 8 scores)", "plain sqlite3 read of the same values + sum", "office", "ranking_floor"),
    Step("approve", "approval of the ranking", "ranking floor + json.dumps + SHA-256 + insert", "office", "approve_floor"),
    Step("minutes", "minutes to a file", "bare reportlab, same pages and tables", "office", "minutes_floor"),
    Step("funding", "funding walk (matchfunding down the ranking)", "json.loads + the same walk in plain Python", "office", "funding_floor"),
)  # fmt: skip


@dataclass
class Result:
    step: Step
    value: ChildRun
    floor: ChildRun | None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def value_ms(self) -> float | None:
        return self.value.figures.get("ms") if not self.value.error else None

    @property
    def floor_ms(self) -> float | None:
        if not self.step.floor_key:
            return self.value.figures.get("floor_ms")
        if self.floor is None or self.floor.error:
            return None
        return self.floor.figures.get("ms")

    @property
    def ratio(self) -> float | None:
        value, floor = self.value_ms, self.floor_ms
        return value / floor if value is not None and floor else None

    @property
    def missed(self) -> list[str]:
        missed = []
        if self.value.error:
            missed.append("failed")
        if not self.value.error and self.floor_ms is None:
            missed.append("no floor")
        if self.ratio is not None and self.ratio > RATIO_GOAL:
            missed.append("ratio")
        if self.value.peak_rss_mb > RSS_GOAL_MB:
            missed.append("RSS")
        if self.step.key == "filtering" and (self.value_ms or 0) > 50:
            missed.append("p99 > 50 ms")
        return missed


def progress(text: str) -> None:
    print(f"[bench-scale {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run_bench(
    work: Path, proposals: int, *, in_process: bool = False, pdf_kb: int = 200, until: str = ""
) -> tuple[list[Result], dict[str, ChildRun]]:
    """Every step in order (up to ``until``, when given); the results and the set-up runs."""
    from tests.bench.scale import gui_steps

    work.mkdir(parents=True, exist_ok=True)
    save_state(work, proposals=proposals, pdf_kb=pdf_kb)
    runner: Callable[[str, Path], ChildRun] = run_in_process if in_process else run_child
    setup: dict[str, ChildRun] = {}
    results: list[Result] = []
    total = len(STEPS) + len(SETUP)
    done = 0

    def run(key: str) -> ChildRun:
        nonlocal done
        synced = next((r.value for r in results if r.step.key == "sync"), None)
        if key in NEEDS_PACKAGE and synced is not None and synced.error:
            progress(f"{key}: skipped, the member has no package")
            return ChildRun(error="skipped: the member's first sync failed")
        start = time.perf_counter()
        if key in ("gui", "bare_window"):
            outcome = gui_steps.cold_start(work, bare=key == "bare_window")
        elif key == "keyring_slot":  # the file keyring must be chosen before any use
            outcome = run_child(key, work, env=gui_steps.gui_env(work))
        else:
            outcome = runner(key, work)
        note = (
            f"error: {outcome.error}"
            if outcome.error
            else f"peak RSS {outcome.peak_rss_mb:.0f} MiB"
        )
        progress(f"{key}: {time.perf_counter() - start:.1f} s, {note}")
        return outcome

    def setup_step(key: str) -> None:
        nonlocal done
        done += 1
        progress(f"step {done}/{total}: {key} (set-up)")
        setup[key] = run(key)

    setup_step("prepare")
    for step in STEPS:
        if step.key == "desk":
            setup_step("score_everything")
            setup_step("keyring_slot")
        if step.key == "intake":
            setup_step("other_bundles")
        done += 1
        progress(f"step {done}/{total}: {step.key}")
        value = run(step.key)
        floor = run(step.floor_key) if step.floor_key else None
        result = Result(step, value, floor)
        results.append(result)
        if step.key == until:
            break
        ratio = f"{result.ratio:.2f}" if result.ratio is not None else "-"
        progress(f"figure {step.key}: {result.value_ms} ms, floor {result.floor_ms} ms, "
                 f"ratio {ratio}, peak RSS {value.peak_rss_mb:.0f} MiB, {value.figures}")  # fmt: skip
    return results, setup
