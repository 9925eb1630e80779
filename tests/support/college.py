"""A complete college with substitutes and conflicts, for the GUI tests of
the completeness view, the assignment of substitutes and the approval."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.services.unlocking import OpenWorkspace
from tests.support.commission import CONFLICT, Commission, Sheet, complete_college_call, uniform
from tests.support.gui import on_worker, open_secretariat_window
from tests.support.workspaces import PASSPHRASE

COLLEGE_CALL = "MI-CC-COLLEGIO"
ADMISSIBLE = ("P001", "P002", "P003", "P004", "P005")
FULL_MEMBERS = ("Elena Colombo", "Luca Ferri", "Dario Neri")
SUBSTITUTES = ("Marco Bianchi", "Sara Verdi")
SCREEN = (1366, 768)  # the laptop every window must fit


def sheet(conflicts: tuple[str, ...] = ()) -> Sheet:
    """Every admissible proposal scored 0.8, or in conflict."""
    return {p: CONFLICT if p in conflicts else uniform("0.8") for p in ADMISSIBLE}


def seat_commission(ws: OpenWorkspace, call_id: str = COLLEGE_CALL) -> Commission:
    """The complete-college call with three full members and two substitutes,
    the package published, nothing sent yet."""
    complete_college_call(ws, call_id)
    board = Commission(ws, call_id)
    for name in FULL_MEMBERS:
        board.enrol(name)
    for name in SUBSTITUTES:
        board.enrol(name, "substitute")
    board.publish()
    return board


def conflicted_commission(ws: OpenWorkspace) -> Commission:
    """Elena Colombo is in conflict on P003 and P004; Luca Ferri declared one
    on P002, then withdrew it and declared one on P003; Dario Neri has sent
    nothing: P003 and P004 are short."""
    board = seat_commission(ws)
    board.send(
        "Elena Colombo",
        sheet(("P003", "P004")),
        conflict_reason="Ha lavorato per il proponente nel 2019.",
    )
    board.send("Luca Ferri", sheet(("P002",)))
    board.send("Luca Ferri", sheet(("P003",)))
    return board


def open_college_window(qtbot: Any, home: Path, worker: Any, call_id: str = COLLEGE_CALL) -> Any:
    """The secretariat's window at 1366×768 on ``call_id``."""
    main = open_secretariat_window(qtbot, home, worker, PASSPHRASE)
    main.resize(*SCREEN)
    main.call_box.setCurrentIndex(main.call_box.findData(call_id))
    qtbot.waitUntil(lambda: main.call_id == call_id)
    return main


def next_bundle(qtbot: Any, main: Any, board: Commission, name: str, given: Sheet) -> bytes:
    """``name``'s next sealed bundle, made on the window's own workspace (not taken in)."""

    def make(ws: Any) -> tuple[str, bytes]:
        board.ws = ws
        return board.bundle(name, given)

    payload_hash, sealed = on_worker(qtbot, main, make)
    sequence = board.sent.get(name, (0, ""))[0] + 1
    board.sent[name] = (sequence, payload_hash)
    return sealed


def snapshot(qtbot: Any, main: Any) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refusal wrote nothing."""
    from sqlalchemy import text

    def read(ws: Any) -> dict[str, list[tuple[object, ...]]]:
        with ws.session() as session:
            tables = session.scalars(
                text(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ).all()
            return {
                t: [tuple(r) for r in session.execute(text(f'SELECT * FROM "{t}"'))] for t in tables
            }

    return on_worker(qtbot, main, read)  # type: ignore[no-any-return]
