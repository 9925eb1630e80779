"""One clock: only app/clock.py reads the machine's time, days are Rome's,
and the suite runs at a moment of its own choosing."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import clock

APP = Path(__file__).resolve().parents[2] / "app"
# Calls that read the machine's clock: only the clock module may make them.
WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QTime", "currentTime"),
}
# The start-up probe of `make bench` prints a wall-clock moment that another
# process compares with its own: a measurement, not a date of the record.
ALLOWED = {("app/gui.py", ("time", "time"))}


def wall_clock_reads(path: Path) -> list[tuple[int, tuple[str, str]]]:
    """The lines of ``path`` that call one of WALL_CLOCK_CALLS."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = (
            owner.attr
            if isinstance(owner, ast.Attribute)
            else owner.id
            if isinstance(owner, ast.Name)
            else ""
        )
        if (name, node.func.attr) in WALL_CLOCK_CALLS:
            found.append((node.lineno, (name, node.func.attr)))
    return found


def test_only_the_clock_module_reads_the_machines_time() -> None:
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP.parent).as_posix()
        if name == "app/clock.py":
            continue
        for line, call in wall_clock_reads(path):
            if (name, call) not in ALLOWED:
                offenders.append(f"{name}:{line} {'.'.join(call)}()")
    assert offenders == []


def test_the_guard_sees_a_wall_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nfrom PySide6.QtCore import QDate\n"
        "a = dt.datetime.now(dt.UTC)\nb = dt.date.today()\nc = QDate.currentDate()\n",
        encoding="utf-8",
    )
    assert [line for line, _call in wall_clock_reads(sample)] == [3, 4, 5]


def test_the_suite_runs_on_its_own_clock() -> None:
    from tests.support.workspaces import FROZEN_AT

    moment = clock.now()
    assert FROZEN_AT <= moment < FROZEN_AT + dt.timedelta(hours=1)
    assert clock.now() > moment  # it moves, so two records never share a moment by chance


def test_a_day_is_romes_day_whatever_the_utc_day() -> None:
    late = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    with clock.using(clock.SteppingClock(late)):
        assert clock.today_in_rome() == dt.date(2026, 3, 11)
        assert clock.now().date() == dt.date(2026, 3, 10)
    summer = dt.datetime(2026, 7, 1, 21, 59, tzinfo=dt.UTC)  # 23:59 in Rome (CEST)
    assert clock.day_in_rome(summer) == dt.date(2026, 7, 1)
    assert clock.day_in_rome(summer + dt.timedelta(minutes=1)) == dt.date(2026, 7, 2)


def test_using_restores_the_previous_source() -> None:
    before = clock.set_source(None)
    clock.set_source(before)
    fixed = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with clock.using(lambda: fixed):
        assert clock.now() == fixed
    assert clock.now() != fixed


def test_a_clock_needs_its_offset() -> None:
    with pytest.raises(ValueError, match="offset"):
        clock.SteppingClock(dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_process_started_with_vaglio_clock_reads_that_moment_in_any_zone(zone: str) -> None:
    code = "from app import clock; print(clock.now().isoformat(), clock.today_in_rome())"
    env = {**os.environ, "TZ": zone, clock.ENVIRONMENT: "2026-03-10T23:30:00+00:00"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["2026-03-10T23:30:00+00:00", "2026-03-11"]
