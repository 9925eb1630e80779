"""Autosave and list-filter figures (issue: the member's desk)."""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.bench.harness import Figure, percentile

SAMPLES = 400


def _member_workspace(work: Path) -> tuple[Path, bytes]:
    """A member with the 40 demo proposals, declarations made."""
    from app.services import declarations
    from app.services.demo import DEMO_PASSPHRASE, build_demo
    from app.store.workspace import load_slots

    demo = build_demo(work / "demo")
    home = demo.folder / "commissario-3"
    key = load_slots(home).key_from_passphrase(DEMO_PASSPHRASE)
    from app.services.unlocking import OpenWorkspace
    from app.store.workspace import open_with_key

    ws = OpenWorkspace(open_with_key(home, load_slots(home), key))
    declarations.declare_general(ws, "MI-CC-2020")
    for code in ("P001", "P002", "P003"):
        declarations.declare_proposal(ws, "MI-CC-2020", code, conflict=False)
    ws.close()
    return home, key


def _plain_copy(home: Path, key: bytes, target: Path) -> Path:
    """The same database without encryption (``sqlcipher_export``)."""
    from app.store import database

    connection = database.connect(home / "vaglio.db", key)
    connection.execute(f"ATTACH DATABASE '{target}' AS plaintext KEY ''")
    connection.execute("SELECT sqlcipher_export('plaintext')")
    connection.execute("DETACH DATABASE plaintext")
    connection.close()
    return target


def _plain_workspace(home: Path, plain: Path) -> Any:
    """A Workspace whose engine opens the plain copy with the same pragmas."""
    import sqlcipher3.dbapi2 as sqlcipher
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    from app.store.workspace import Workspace, load_slots

    def connect() -> Any:
        conn = sqlcipher.connect(str(plain), isolation_level=None, check_same_thread=False)
        for pragma in (
            "temp_store = MEMORY",
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
        ):
            conn.execute(f"PRAGMA {pragma}")
        return conn

    engine = create_engine("sqlite://", module=sqlcipher, creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    from app.config.paths import WorkspacePaths
    from app.services.unlocking import OpenWorkspace

    return OpenWorkspace(Workspace(WorkspacePaths(home), load_slots(home), engine))


def _autosave_samples(ws: Any) -> list[float]:
    from app.services.scores import save_scores

    levels = [Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.8")]
    samples = []
    for n in range(SAMPLES + 20):
        start = time.perf_counter()
        save_scores(
            ws,
            "MI-CC-2020",
            "P00" + str(1 + n % 3),
            values={"impact": levels[n % 4]},
            justifications={"impact": f"motivazione salvata numero {n}"},
        )
        if n >= 20:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def autosave(work: Path) -> list[Figure]:
    from app.services.unlocking import OpenWorkspace
    from app.store.workspace import load_slots, open_with_key

    home, key = _member_workspace(work)
    plain = _plain_copy(home, key, work / "plain.db")
    encrypted_ws = OpenWorkspace(open_with_key(home, load_slots(home), key))
    plain_ws = _plain_workspace(home, plain)
    try:
        # Interleave rounds so that the machine's mood affects both alike.
        encrypted, unencrypted = [], []
        for _round in range(2):
            encrypted += _autosave_samples(encrypted_ws)
            unencrypted += _autosave_samples(plain_ws)
    finally:
        encrypted_ws.close()
        plain_ws.close()
    return [
        Figure(
            "autosave of one score edit, p50 (SQLCipher)",
            percentile(encrypted, 50),
            "same code on plain SQLite, p50",
            percentile(unencrypted, 50),
            "<= 1.3",
        ),
        Figure(
            "autosave of one score edit, p99 (SQLCipher)",
            percentile(encrypted, 99),
            "same code on plain SQLite, p99",
            percentile(unencrypted, 99),
            "<= 1.3",
        ),
    ]


def _rows(count: int) -> list[Any]:
    from app.services.views import DeskRow, ProposalRow

    rng = random.Random(7)
    places = [
        "Adriano",
        "Corvetto",
        "Giambellino-Lorenteggio",
        "Niguarda",
        "Padova",
        "Qt8-Gallaratese",
        "Quarto Oggiaro",
        "San Siro",
    ]
    words = [
        "orti",
        "doposcuola",
        "portineria",
        "laboratorio",
        "teatro",
        "cucina",
        "biblioteca",
        "ciclofficina",
        "sportello",
        "mercato",
        "radio",
        "cortile",
    ]
    rows = []
    for n in range(count):
        proposal = ProposalRow(
            id=f"P{n:05d}",
            title=f"{rng.choice(words).capitalize()} di {rng.choice(places)} {n}",
            applicant=f"Associazione {rng.choice(words)} {n}",
            neighbourhood=rng.choice(places),
            thematic_area="servizi educativi",
            total_cost=Decimal(rng.randint(15000, 99000)),
            requested_contribution=Decimal(9000),
            admissible=True,
            inadmissible_reasons=(),
            attachments=1,
        )
        rows.append(
            DeskRow(proposal, rng.choice(["to_declare", "complete", "partial"]), n + 1, None)
        )
    return rows


def filter_timings(rows: list[Any], words: tuple[str, ...], rounds: int) -> tuple[float, float]:
    """p99 of keystroke to updated view while typing ``words`` into the desk's
    filter, and p99 of a repaint of the same view (the floor), in ms."""
    from PySide6.QtWidgets import QApplication, QTableView

    from app.ui.proposals.proposal_model import DeskTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = DeskTableModel()
    model.set_rows(rows)
    view = QTableView()
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    app.processEvents()
    samples: list[float] = []
    floor: list[float] = []
    for _round in range(rounds):
        for word in words:
            for end in range(1, len(word) + 1):
                start = time.perf_counter()
                model.set_filter(word[:end])
                app.processEvents()
                samples.append((time.perf_counter() - start) * 1000)
            model.set_filter("")
            app.processEvents()
        for _n in range(30):
            start = time.perf_counter()
            view.viewport().update()
            app.processEvents()
            floor.append((time.perf_counter() - start) * 1000)
    return percentile(samples, 99), percentile(floor, 99)


def filtering() -> Figure:
    """Keystroke to updated view on a 10,000-proposal desk (no search delay)."""
    value, floor = filter_timings(_rows(10_000), ("corvetto", "orti niguarda", "P0999", "zzz"), 20)
    return Figure(
        "filter a 10,000-proposal list, keystroke to view, p99",
        value,
        "repaint of the same view, p99",
        floor,
        "p99 <= 50 ms",
    )
