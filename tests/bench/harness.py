"""Timing helpers and the results table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value_ms: float
    floor_name: str
    floor_ms: float
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.value_ms / self.floor_ms if self.floor_ms else float("inf")


def median_ms(action: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``action`` in milliseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def median_of(measure: Callable[[], float], repeat: int = 7, warmup: int = 1) -> float:
    """Median of a measurement that reports its own milliseconds."""
    for _ in range(warmup):
        measure()
    return statistics.median(measure() for _ in range(repeat))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def print_table(figures: list[Figure]) -> None:
    header = ("figure", "value", "floor", "floor ms", "ratio", "goal")
    rows = [
        (
            f.name,
            f"{f.value_ms:9.1f} ms",
            f.floor_name,
            f"{f.floor_ms:9.1f}",
            f"{f.ratio:6.2f}",
            f.goal,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
