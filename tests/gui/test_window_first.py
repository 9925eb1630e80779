"""Window first (docs/performance.md): the modules the GUI imports before its
window is on screen must not import the database layer, whose import alone
costs twice a bare window. A module-level import of a service from a window
once pulled SQLAlchemy and every model into the cold start (issue 16, item 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import app.main, app.gui
import app.ui.shell.session, app.ui.shell.main_window, app.ui.shell.head_start
heavy = sorted(m for m in sys.modules
               if m == "sqlalchemy" or m.startswith(("sqlalchemy.", "alembic", "app.models",
                                                    "app.store.database", "reportlab")))
print(" ".join(heavy))
"""


def test_the_window_imports_no_database_layer_before_it_is_shown() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], done.stdout[:500]
