"""The ranking view and its approval tell their progress and stop on request
(issue 16, item 4). The view only reads: a Stop ends it with a sentence and
changes nothing. The approval writes in one transaction: a Stop rolls it
back, so there is no approved ranking, no close notice in the outbox and no
new line in the audit log. Each stop is set from the progress callback after
a given count, so the tests are deterministic (no threads, no sleeps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Call, OutboxItem, RankingRecord
from app.services.demo import DEMO_PASSPHRASE
from app.services.ranking import approve_ranking, ranking_view
from app.services.ranking_errors import ApprovalStoppedError, RankingStoppedError
from app.services.steps import Cancel, StepStoppedError
from app.services.unlocking import OpenWorkspace
from app.services.workspace import unlock
from tests.support.minutes import CALL, DEMO_REASON
from tests.support.workspaces import snapshot_tree


@pytest.fixture
def office(demo_copy: Path) -> Iterator[OpenWorkspace]:
    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    yield ws
    ws.close()


def stop_at(cancel: Cancel, marker: str, heard: list[str]) -> Callable[[str], None]:
    """A progress callback that records each text and sets the Stop at the
    first one containing ``marker``."""

    def progress(text: str) -> None:
        heard.append(text)
        if marker in text:
            cancel.set()

    return progress


def written_state(ws: OpenWorkspace) -> tuple[object, ...]:
    with ws.session() as session:
        record = session.get(RankingRecord, CALL)
        call = session.get(Call, CALL)
        assert call is not None
        return (
            None if record is None else (record.approved_at, record.document, record.sha256),
            call.status,
            call.evaluation_closed_at,
            session.scalar(select(func.count()).select_from(AuditEvent)),
            session.scalar(select(func.count()).select_from(OutboxItem)),
        )


def outbox_files(ws: OpenWorkspace) -> dict[str, bytes]:
    folder = ws.home / "outbox"
    return snapshot_tree(folder) if folder.exists() else {}


def test_the_ranking_view_tells_its_phases_and_counts_the_proposals(
    office: OpenWorkspace,
) -> None:
    heard: list[str] = []
    view = ranking_view(office, CALL, progress=heard.append)
    assert heard[:2] == ["Lettura dei punteggi…", "Calcolo della graduatoria…"]
    # The demo's 40 proposals, each counted (fewer than 200: every one).
    counts = [t for t in heard if t.startswith("Graduatoria: proposta")]
    assert counts[0] == "Graduatoria: proposta 1 di 40…"
    assert counts[-1] == "Graduatoria: proposta 40 di 40…"
    assert len(counts) == 40
    assert view == ranking_view(office, CALL)  # the same ranking, watched or not


def test_a_stopped_ranking_view_says_so_and_changes_nothing(office: OpenWorkspace) -> None:
    before = written_state(office)
    cancel = Cancel()
    heard: list[str] = []
    with pytest.raises(RankingStoppedError) as stopped:
        ranking_view(office, CALL, progress=stop_at(cancel, "proposta 12 di", heard), cancel=cancel)
    assert isinstance(stopped.value, StepStoppedError)
    assert str(stopped.value) == (
        "Calcolo della graduatoria di MI-CC-2020 interrotto: non è stato modificato nulla."
    )
    # It stopped at the next proposal, not at the end.
    assert heard[-1] == "Graduatoria: proposta 12 di 40…"
    assert written_state(office) == before


def test_the_approval_tells_its_phases_in_order(office: OpenWorkspace) -> None:
    heard: list[str] = []
    decided = approve_ranking(office, CALL, DEMO_REASON, progress=heard.append)
    assert decided.view.approved_at is not None
    phases = [t for t in heard if "proposta" not in t]
    assert phases == [
        "Controllo dei dati dell'area di lavoro…",
        "Lettura dei punteggi…",
        "Calcolo della graduatoria…",
        "Fissazione dei fatti del verbale…",
        "Scrittura della graduatoria approvata…",
    ]
    assert "Graduatoria: proposta 40 di 40…" in heard
    assert "Verbale: proposta 40 di 40…" in heard


@pytest.mark.parametrize(
    "marker",
    [
        "Graduatoria: proposta 20 di",  # while the ranking is computed
        "Verbale: proposta 30 di",  # while the minutes' facts are frozen
        "Scrittura della graduatoria approvata",  # the last moment a Stop is heard
    ],
)
def test_a_stopped_approval_leaves_no_approved_ranking_no_notice_no_audit_line(
    office: OpenWorkspace, marker: str
) -> None:
    before, files = written_state(office), outbox_files(office)
    cancel = Cancel()
    heard: list[str] = []
    with pytest.raises(ApprovalStoppedError) as stopped:
        approve_ranking(
            office, CALL, DEMO_REASON, progress=stop_at(cancel, marker, heard), cancel=cancel
        )
    assert str(stopped.value) == (
        "Approvazione della graduatoria di MI-CC-2020 interrotta: la graduatoria non è "
        "approvata e non è stato scritto nulla."
    )
    assert marker in heard[-1]
    assert written_state(office) == before
    assert outbox_files(office) == files
    # Nothing was left half-done: the same approval then goes through whole.
    decided = approve_ranking(office, CALL, DEMO_REASON)
    assert decided.view.document_sha256
    assert written_state(office) != before
