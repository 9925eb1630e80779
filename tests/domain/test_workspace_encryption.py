"""The workspace at rest: nothing readable without the key."""

from __future__ import annotations

import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.models import Proposal, Score
from app.services.workspace import create_workspace
from tests.support.workspaces import FIXTURES, PASSPHRASE

MARKERS = {
    "motivation": "MOTIVAZIONE-SEGRETA-7Q2 la proposta convince per la rete di quartiere",
    "applicant": "Cooperativa Marcatore Zeta-4471",
    "pdf": "TESTO-PDF-RISERVATO-9X3",
}


def _pdf_with(text_marker: str) -> bytes:
    # A minimal PDF whose content stream holds the marker uncompressed.
    stream = f"BT /F1 12 Tf 72 720 Td ({text_marker}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(stream)}>>stream\n".encode()
        + stream
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def test_markers_never_reach_the_disk_in_clear(tmp_path: Path) -> None:
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals

    home = tmp_path / "ws"
    created = create_workspace(
        home, role="secretariat", name="Segreteria", passphrase=PASSPHRASE, use_keyring=False
    )
    ws = created.workspace
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    attachments = tmp_path / "pdf"
    attachments.mkdir()
    (attachments / "marker.pdf").write_bytes(_pdf_with(MARKERS["pdf"]))
    csv_text = (FIXTURES / "proposals.csv").read_text(encoding="utf-8").splitlines()
    row = csv_text[1].replace("Cooperativa sociale Il Ponte", MARKERS["applicant"])
    row = row.rsplit(",", 1)[0] + ",marker.pdf"
    (tmp_path / "p.csv").write_text(csv_text[0] + "\n" + row + "\n", encoding="utf-8")
    import_proposals(ws, "MI-CC-2020", tmp_path / "p.csv", attachments)
    # A score with its motivation, written straight through the session: the
    # scoring use case comes later, the storage is what is under test here.
    from app.crypto.keys import KeyPair
    from app.models import CriterionRow, Member

    with ws.session() as session:
        keys = KeyPair.generate().public
        member = Member(
            call_id="MI-CC-2020",
            key_id=keys.key_id,
            name="Commissario",
            signing_public_key=keys.signing,
            sealing_public_key=keys.sealing,
        )
        session.add(member)
        session.flush()
        proposal = session.scalars(select(Proposal)).one()
        criterion = session.scalars(select(CriterionRow)).first()
        assert criterion is not None
        session.add(
            Score(
                member_id=member.id,
                proposal_id=proposal.id,
                criterion_id=criterion.id,
                value=Decimal("0.8"),
                justification=MARKERS["motivation"],
            )
        )
    # Inspect the files while the workspace is open (WAL and SHM present) and after.
    for moment in ("open", "closed"):
        files = [p for p in home.rglob("*") if p.is_file()]
        assert files
        if moment == "open":
            assert any(p.name.endswith("-wal") for p in files)
        for path in files:
            data = path.read_bytes()
            for name, marker in MARKERS.items():
                for encoding in ("utf-8", "utf-16-le"):
                    assert marker.encode(encoding) not in data, f"{name} in clear in {path.name}"
            assert not data.startswith(b"SQLite format 3")
        ws.close()


def test_standard_sqlite_cannot_read_the_database(secretariat_home: Path) -> None:
    connection = sqlite3.connect(secretariat_home / "vaglio.db")
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.close()


def test_files_are_private(secretariat_home: Path) -> None:
    assert stat.S_IMODE(secretariat_home.stat().st_mode) == 0o700
    for path in secretariat_home.iterdir():
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_connection_profile(secretariat) -> None:  # type: ignore[no-untyped-def]
    with secretariat.store.engine.connect() as connection:

        def pragma(name: str) -> str:
            return str(connection.execute(text(f"PRAGMA {name}")).scalar())

        assert int(pragma("cipher_version").split(".")[0]) >= 4
        assert pragma("cipher_hmac_algorithm") == "HMAC_SHA512"
        assert pragma("cipher_page_size") == "4096"
        assert pragma("cipher_plaintext_header_size") == "0"
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == "2"  # FULL
        assert pragma("temp_store") == "2"  # MEMORY
        assert pragma("foreign_keys") == "1"
        assert pragma("cipher_log_level") == "NONE"
