"""Shared set-up of the minutes' tests: the demo with its ranking approved,
and the minutes made from it once per module."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from app.services.demo import DEMO_PASSPHRASE
from app.services.ranking import approve_ranking
from app.services.workspace import unlock
from app.store.workspace import Workspace

CALL = "MI-CC-2020"
# The demo's college is complete and P014 is left short by a conflict: an
# approval without its substitute records why.
DEMO_REASON = "Il supplente non ha potuto valutare P014 entro il termine dei lavori."


def approved_demo(demo_template: Path, target: Path) -> Path:
    """A copy of the demo whose ranking is approved; the secretariat's folder."""
    folder = Path(shutil.copytree(demo_template, target))
    home = folder / "segreteria"
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        approve_ranking(ws, CALL, DEMO_REASON)
    finally:
        ws.close()
    return home


def open_home(home: Path) -> Workspace:
    return unlock(home, DEMO_PASSPHRASE)


def pdfsig(path: Path, *extra: str) -> str:
    """poppler's own reading of the signatures (an independent validator)."""
    result = subprocess.run(
        ["pdfsig", *extra, str(path)], capture_output=True, text=True, timeout=60
    )
    return result.stdout + result.stderr


def drop_sittings(home: Path) -> None:
    """Arrange a workspace whose call has no sitting (nor discussion) recorded:
    the demo records its own, so a test of the refusal removes them first."""
    from sqlalchemy import delete

    from app.models import CommissionDiscussion, CommissionSitting

    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with ws.session() as session:
            session.execute(
                delete(CommissionDiscussion).where(CommissionDiscussion.call_id == CALL)
            )
            session.execute(delete(CommissionSitting).where(CommissionSitting.call_id == CALL))
    finally:
        ws.close()


def record_sitting(ws: object, call_id: str, day: object = None) -> int:
    """Record one in-person sitting of ``call_id`` with every member present
    (the minutes need a recorded sitting); its id."""
    from app import clock
    from app.services.roster import roster
    from app.services.sittings import add_sitting

    names = [m.name for m in roster(ws, call_id)]  # type: ignore[arg-type]
    return add_sitting(
        ws,  # type: ignore[arg-type]
        call_id,
        held_on=day or clock.today_in_rome(),  # type: ignore[arg-type]
        starts_at="10:00",
        ends_at="12:00",
        place="Palazzo Marino, Sala Alessi",
        present=names,
        secretary="Giulia Marchi",
    ).sitting.id


def as_approved_before_freezing(home: Path) -> None:
    """Make the approved demo look like a workspace approved before the
    approval froze the minutes' facts (an older version): its minutes then read
    the sittings from the tables, as they did."""
    import json

    from app.models import RankingRecord

    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with ws.session() as session:
            record = session.get(RankingRecord, CALL)
            assert record is not None and record.document is not None
            document = json.loads(record.document)
            document.pop("minutes", None)
            record.document = json.dumps(document)
    finally:
        ws.close()
