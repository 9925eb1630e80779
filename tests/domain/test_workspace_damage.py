"""A damaged workspace file: told apart from a wrong key at open, refused with a
sentence when a read meets it, and the Python reading of SQLCipher's pages
held against SQLCipher's own verdict."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.config.paths import WorkspacePaths
from app.models import ScoreBundleRecord
from app.services.declarations import declare_general, declare_proposal
from app.services.scores import save_scores
from app.services.status import call_status
from app.services.submission import submit
from app.services.unlocking import OpenWorkspace
from app.services.workspace import unlock
from app.store import audit, database, errors, pages
from app.store.integrity import check_file
from app.store.workspace import Workspace, load_slots, open_with_key
from tests.support import damage
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template, copy_template, opened

CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
WHY = "Motivazione sufficiente per la prova."


def test_the_page_codes_agree_with_sqlcipher(
    secretariat_home: Path, secretariat_template: Template
) -> None:
    db = secretariat_home / "vaglio.db"
    raw_key = secretariat_template.raw_key
    count = damage.page_count(db)
    first = pages.read_page(db, 1)
    key = pages.hmac_key(raw_key, first[: pages.SALT_BYTES])
    assert all(pages.page_authentic(pages.read_page(db, n), n, key) for n in range(1, count + 1))
    found = pages.header(first, raw_key)
    assert found is not None and found.pages == count
    assert pages.header(first, bytes(32)) is None
    for page in (1, 2, count // 2, count):
        damage.flip_byte(db, page, 700)
        conn = damage.keyed(db, raw_key)
        verdict = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        conn.close()
        assert verdict == [(f"HMAC verification failed for page {page}",)]
        assert [
            n
            for n in range(1, count + 1)
            if not pages.page_authentic(pages.read_page(db, n), n, key)
        ] == [page]
        damage.flip_byte(db, page, 700)


def test_a_middle_page_that_a_read_meets_is_refused_with_a_sentence(
    secretariat_home: Path, secretariat_template: Template
) -> None:
    db = secretariat_home / "vaglio.db"
    damage.flip_byte(db, damage.root_page(db, secretariat_template.raw_key, "proposals"))
    ws = unlock(secretariat_home, PASSPHRASE)  # the first and last pages are intact
    try:
        with pytest.raises(errors.DatabaseReadDamagedError, match="è danneggiato"):
            call_status(ws, CALL_ID)
    finally:
        ws.close()


def _submitted_member(member_template: Template, home: Path) -> tuple[Path, str]:
    """A member's workspace after one submission, and the bundle's creation moment as stored."""
    copy_template(member_template, home)
    with opened(member_template, home) as ws:
        declare_general(ws, CALL_ID)
        for code in ("P001", "P002", "P003", "P004", "P005", "P006"):
            declare_proposal(ws, CALL_ID, code, conflict=False)
        for code in ("P001", "P002", "P003", "P004", "P005"):
            save_scores(
                ws,
                CALL_ID,
                code,
                values=dict.fromkeys(CRITERIA, Decimal("0.6")),
                justifications=dict.fromkeys(CRITERIA, WHY),
            )
        submit(ws, CALL_ID)
        with ws.session() as session:
            created = session.execute(
                text("SELECT created_at FROM score_bundles WHERE direction = 'sent'")
            ).scalar_one()
    return home, str(created)


def test_zero_bytes_from_a_damaged_page_never_reach_the_screens(
    member_template: Template, tmp_path: Path
) -> None:
    # The finding: a page that fails its HMAC comes back from SQLCipher as
    # zeros, so the bundle's creation moment read as NUL characters and status
    # died on datetime.fromisoformat.
    home, created = _submitted_member(member_template, tmp_path / "member")
    db = home / "vaglio.db"
    raw_key = member_template.raw_key
    holding = damage.pages_holding(db, raw_key, created)
    assert holding, "the moment is stored somewhere"
    page = holding[-1]
    content = damage.decrypt_page(db, raw_key, page)
    assert content[0] not in (2, 5, 10, 13), "an overflow page, not a b-tree page"
    damage.flip_byte(db, page)
    if page == damage.page_count(db):
        with pytest.raises(errors.DatabasePageDamagedError, match=f"La pagina {page} del database"):
            open_with_key(home, load_slots(home), raw_key)
    # Past the open-time checks (as if the page were in the middle), the read
    # itself refuses: the moment arrives as NUL characters, and is stopped there.
    with (
        _bypassing_open_checks(home, raw_key) as ws,
        ws.session() as session,
        pytest.raises(errors.DatabaseReadDamagedError, match="byte nulli"),
    ):
        session.execute(select(ScoreBundleRecord.created_at)).all()
    # Status, whichever of its reads meets the page first, and again after.
    with _bypassing_open_checks(home, raw_key) as ws:
        with pytest.raises(errors.DatabaseReadDamagedError, match="è danneggiato"):
            call_status(ws, CALL_ID)
        with pytest.raises(errors.DatabaseReadDamagedError):
            call_status(ws, CALL_ID)


def _bypassing_open_checks(home: Path, raw_key: bytes) -> OpenWorkspace:
    engine = database.make_engine(home / "vaglio.db", raw_key)
    return OpenWorkspace(Workspace(WorkspacePaths(home), load_slots(home), engine))


@pytest.mark.parametrize(
    ("mutate", "error", "words"),
    [
        (
            lambda db: damage.truncate(db, db.stat().st_size - 10),
            errors.DatabaseTruncatedError,
            "troncato",
        ),
        (
            lambda db: damage.truncate(db, db.stat().st_size - damage.PAGE),
            errors.DatabaseTruncatedError,
            "ne dichiara",
        ),
        (lambda db: damage.truncate(db, 0), errors.DatabaseEmptyError, "vuoto"),
        (lambda db: damage.flip_byte(db, 1, 3), errors.DatabaseHeaderDamagedError, "intestazione"),
        (
            lambda db: damage.flip_byte(db, 1, 3000),
            errors.DatabaseHeaderDamagedError,
            "intestazione",
        ),
        (
            lambda db: damage.flip_byte(db, damage.page_count(db)),
            errors.DatabasePageDamagedError,
            "La pagina",
        ),
        (lambda db: db.unlink(), errors.DatabaseFileMissingError, "manca"),
    ],
    ids=["cut", "cut-a-page", "empty", "salt", "first-page", "last-page", "missing"],
)
def test_damage_at_open_is_named_and_never_a_wrong_key(
    secretariat_home: Path,
    mutate,
    error: type,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    mutate(secretariat_home / "vaglio.db")
    with pytest.raises(error, match=words) as caught:
        unlock(secretariat_home, PASSPHRASE)
    assert isinstance(caught.value, errors.WorkspaceDamagedError)
    assert "Non c'è alcun backup di quest'area di lavoro." in str(caught.value)


def test_a_wrong_key_is_still_a_wrong_key(secretariat_home: Path) -> None:
    db = secretariat_home / "vaglio.db"
    with pytest.raises(errors.WrongKeyError):
        check_file(db, bytes(32))
    with pytest.raises(errors.WrongKeyError):
        open_with_key(secretariat_home, load_slots(secretariat_home), bytes(32))


def test_the_audit_check_names_each_altered_entry(secretariat) -> None:  # type: ignore[no-untyped-def]
    with secretariat.session() as session:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("DROP TRIGGER audit_events_no_delete"))
        session.execute(text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 1"))
        session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    with secretariat.session() as session:
        assert audit.broken_entries(session) == [1, 3]
