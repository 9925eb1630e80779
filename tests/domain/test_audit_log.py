"""The audit log: append-only, hash-chained, verified."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.workspace import verify_audit
from app.store import audit
from app.store.errors import AuditChainBrokenError


def test_use_cases_leave_a_verifiable_chain(secretariat) -> None:  # type: ignore[no-untyped-def]
    report = verify_audit(secretariat)
    # workspace.created, call.created, proposals.imported
    assert report.entries == 3
    with secretariat.session() as session:
        actions = (
            session.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars().all()
        )
    assert actions == ["workspace.created", "call.created", "proposals.imported"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'someone else' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3",
    ],
)
def test_the_database_refuses_to_rewrite_history(secretariat, statement: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="append-only"), secretariat.session() as session:
        session.execute(text(statement))
    assert verify_audit(secretariat).entries == 3


def test_tampering_behind_the_triggers_is_detected(secretariat) -> None:  # type: ignore[no-untyped-def]
    with secretariat.session() as session:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(
            text("UPDATE audit_events SET details = :details WHERE seq = 3"),
            {"details": '{"count":99}'},
        )
    with pytest.raises(AuditChainBrokenError, match="voce 3"):
        verify_audit(secretariat)


def test_each_entry_chains_to_the_previous(secretariat) -> None:  # type: ignore[no-untyped-def]
    with secretariat.session() as session:
        first = audit.append(session, actor="x", action="test.one", details={"n": 1})
        second = audit.append(session, actor="x", action="test.two")
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    assert verify_audit(secretariat).head == second.hash
