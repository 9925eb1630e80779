"""What the integrity checks cost (issue: damage and checks).

Two 1,000-proposal secretariat workspaces: the bench's own (one proposal in
three has the fixture's 2 KiB PDF, ~2 MB) and one whose PDFs weigh what real
ones do (600 KiB, ~200 MB). For each: the cheap checks every open makes,
``PRAGMA quick_check`` (measured to decide whether opening could afford it),
and the full data check that runs before a submission, an intake and an
approval. The floor is reading the file once: no full check can cost less.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from tests.bench.harness import Figure, median_ms
from tests.bench.workspace_bench import FIXTURES, PASSPHRASE, build_workspace, write_proposals

REAL_PDF_BYTES = 600 * 1024


def _heavy_workspace(work: Path) -> bytes:
    """1,000 proposals, one in three with a 600 KiB PDF."""
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals
    from app.services.workspace import create_workspace

    attachments = work / "attachments"
    attachments.mkdir()
    pdf = (FIXTURES / "attachments" / "P001-progetto.pdf").read_bytes()
    padding = secrets.token_hex(REAL_PDF_BYTES // 2).encode()  # incompressible
    (attachments / "P001-progetto.pdf").write_bytes(pdf + b"\n%" + padding + b"\n")
    write_proposals(work / "heavy.csv", 1000)
    ws = create_workspace(
        work / "heavy", role="secretariat", name="Bench", passphrase=PASSPHRASE, use_keyring=False
    ).workspace
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(ws, "MI-CC-2020", work / "heavy.csv", attachments)
    raw_key = ws.store.slots.key_from_passphrase(PASSPHRASE)
    ws.close()
    return raw_key


def _figures(home: Path, raw_key: bytes, label: str) -> list[Figure]:
    from app.services.integrity import DATA_CHECKS, check_workspace
    from app.services.unlocking import OpenWorkspace
    from app.store import integrity
    from app.store.workspace import load_slots, open_with_key

    db = home / "vaglio.db"
    size = f"{db.stat().st_size / 1e6:.0f} MB"
    read_once = median_ms(db.read_bytes, repeat=5)

    def quick_check() -> None:
        with integrity.keyed(db, raw_key) as conn:
            assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]

    ws = OpenWorkspace(open_with_key(home, load_slots(home), raw_key))
    try:
        assert check_workspace(ws).ok
        full = median_ms(lambda: check_workspace(ws, DATA_CHECKS), repeat=3)
    finally:
        ws.close()
    return [
        Figure(
            f"cheap checks at open ({label}, {size})",
            median_ms(lambda: integrity.check_file(db, raw_key), repeat=20),
            "reading the file once",
            read_once,
        ),
        Figure(
            f"PRAGMA quick_check ({label}, {size})",
            median_ms(quick_check, repeat=3),
            "reading the file once",
            read_once,
        ),
        Figure(
            f"full data check: pages, integrity, references, audit ({label}, {size})",
            full,
            "reading the file once",
            read_once,
        ),
    ]


def checks(work: Path) -> list[Figure]:
    light = work / "light" / "ws"
    light.parent.mkdir()
    figures = _figures(light, build_workspace(light, 1000), "1,000 proposals, 2 KiB PDFs")
    heavy_key = _heavy_workspace(work)
    figures += _figures(work / "heavy", heavy_key, "1,000 proposals, 600 KiB PDFs")
    return figures
