"""The steps that sign or freeze data run the full check first: a submission,
the office's intake (sync and manual import) and the approval refuse a damaged
workspace with the sentence and write nothing — not in the workspace, not in
its outbox, not on the shared folder."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from app.services.demo import DEMO_PASSPHRASE
from app.services.integrity import WorkspaceNotIntactError, check_workspace
from app.services.ranking import approve_ranking
from app.services.scores import save_scores
from app.services.submission import submit
from app.services.workspace import unlock
from tests.support import damage
from tests.support.workspaces import CALL_ID, snapshot_tree

OFFICE = "segreteria"
MEMBER = "commissario-3"


def _damage_unread_page(home: Path, raw_key: bytes) -> int:
    """Flip a byte in a page none of these steps reads (the empty campaigns table)."""
    db = home / "vaglio.db"
    page = damage.root_page(db, raw_key, "campaigns")
    assert 1 < page < damage.page_count(db)
    damage.flip_byte(db, page)
    return page


def _expect_refusal(error: pytest.ExceptionInfo[WorkspaceNotIntactError], page: int) -> None:
    message = str(error.value)
    assert message.startswith("Non è stato scritto nulla: l'area di lavoro non ha superato")
    assert f"La pagina {page} di vaglio.db è danneggiata" in message


def _new_bundle(demo: Path) -> Path:
    """commissario-3 corrects one score and submits again: the bundle's file."""
    member = unlock(demo / MEMBER, DEMO_PASSPHRASE)
    try:
        save_scores(member, CALL_ID, "P001", values={"impact": D("1")})
        return submit(member, CALL_ID).copy
    finally:
        member.close()


def test_the_demo_passes_the_data_checks(demo_copy: Path) -> None:
    ws = unlock(demo_copy / OFFICE, DEMO_PASSPHRASE)
    try:
        report = check_workspace(ws)
    finally:
        ws.close()
    assert report.ok, report.problems


def test_approval_refuses_a_damaged_workspace(demo_copy: Path, demo_built) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / OFFICE
    page = _damage_unread_page(home, demo_built.raw_keys[OFFICE])
    before = snapshot_tree(home)
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with pytest.raises(WorkspaceNotIntactError) as caught:
            approve_ranking(ws, CALL_ID)
    finally:
        ws.close()
    _expect_refusal(caught, page)
    assert snapshot_tree(home) == before


def test_submission_refuses_a_damaged_workspace(demo_copy: Path, demo_built) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / MEMBER
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        save_scores(ws, CALL_ID, "P001", values={"impact": D("1")})
    finally:
        ws.close()
    page = _damage_unread_page(home, demo_built.raw_keys[MEMBER])
    before = snapshot_tree(home)
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with pytest.raises(WorkspaceNotIntactError) as caught:
            submit(ws, CALL_ID)
    finally:
        ws.close()
    _expect_refusal(caught, page)
    assert snapshot_tree(home) == before  # no bundle in the outbox, no record


def test_manual_intake_refuses_a_damaged_office(cli, demo_copy: Path, demo_built) -> None:  # type: ignore[no-untyped-def]
    bundle = _new_bundle(demo_copy)
    home = demo_copy / OFFICE
    page = _damage_unread_page(home, demo_built.raw_keys[OFFICE])
    before = snapshot_tree(home)
    result = cli("bundles", "import", str(bundle), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1
    line = result.err.strip().splitlines()[-1]
    assert line.startswith("error: Non è stato scritto nulla")
    assert f"La pagina {page} di vaglio.db è danneggiata" in line
    assert "Traceback" not in result.err
    assert snapshot_tree(home) == before


def test_sync_refuses_a_damaged_office_before_writing_anything(
    cli, demo_copy: Path, demo_built
) -> None:  # type: ignore[no-untyped-def]
    _new_bundle(demo_copy)
    member = cli("sync", home=demo_copy / MEMBER, passphrase=DEMO_PASSPHRASE)
    assert member.code == 0, member.err  # the new bundle is on the shared folder
    home = demo_copy / OFFICE
    shared = demo_copy / "cartella-condivisa"
    page = _damage_unread_page(home, demo_built.raw_keys[OFFICE])
    before, shared_before = snapshot_tree(home), snapshot_tree(shared)
    result = cli("sync", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1
    assert f"La pagina {page} di vaglio.db è danneggiata" in result.err
    assert "Traceback" not in result.err
    assert snapshot_tree(home) == before
    assert snapshot_tree(shared) == shared_before


def test_a_bundle_taken_in_alone_is_checked_too(demo_copy: Path, demo_built) -> None:  # type: ignore[no-untyped-def]
    from app.services.intake import accept_score_bundle

    data = _new_bundle(demo_copy).read_bytes()
    home = demo_copy / OFFICE
    page = _damage_unread_page(home, demo_built.raw_keys[OFFICE])
    before = snapshot_tree(home)
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with pytest.raises(WorkspaceNotIntactError) as caught:
            accept_score_bundle(ws, data)
    finally:
        ws.close()
    _expect_refusal(caught, page)
    assert snapshot_tree(home) == before


def test_an_intact_office_still_takes_the_bundle_in(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    bundle = _new_bundle(demo_copy)
    result = cli(
        "bundles", "import", str(bundle), home=demo_copy / OFFICE, passphrase=DEMO_PASSPHRASE
    )
    assert result.code == 0, result.err
    assert "accettato" in result.out.lower()
