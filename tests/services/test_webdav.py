"""The WebDAV transport against real servers on 127.0.0.1 — wsgidav, and
Apache httpd with mod_dav as a city's IT runs it — and a server that stops in
the middle of a sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sync.engine import Backoff, Cancel, Upload, push
from app.sync.errors import RemoteConflictError, RemoteRefusedError, TransientError
from app.sync.webdav import WebDavTransport
from tests.support.apache_dav import ApacheDav, apache_server
from tests.support.webdav_server import PASSWORD, USER, DavServer


@pytest.fixture(params=["wsgidav", "apache"])
def dav(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "apache":
        with apache_server() as server:
            yield server
        return
    root = tmp_path / "dav"
    root.mkdir()
    server = DavServer(root)
    server.start()
    yield server
    server.stop()


def transport(server: DavServer | ApacheDav, password: str = PASSWORD) -> WebDavTransport:
    return WebDavTransport(f"http://127.0.0.1:{server.port}/dav", username=USER, password=password)


def test_put_list_get_and_never_overwrite(dav: DavServer | ApacheDav) -> None:
    remote = transport(dav)
    try:
        assert remote.list("MI-CC-2020/inbox") == []
        assert remote.put("MI-CC-2020/inbox/abc/000001-x.vaglio", b"sealed one") is True
        assert (
            remote.put("MI-CC-2020/inbox/abc/000001-x.vaglio", b"sealed one") is False
        )  # idempotent
        with pytest.raises(RemoteConflictError):
            remote.put("MI-CC-2020/inbox/abc/000001-x.vaglio", b"something else")
        assert [(e.name, e.is_folder) for e in remote.list("MI-CC-2020/inbox")] == [("abc", True)]
        assert [e.name for e in remote.list("MI-CC-2020/inbox/abc")] == ["000001-x.vaglio"]
        assert remote.get("MI-CC-2020/inbox/abc/000001-x.vaglio", 1000) == b"sealed one"
    finally:
        remote.close()
    # On disk: the file, and no temporary file left behind; nothing ever deleted
    # but the transport's own temporary files.
    files = sorted(p.name for p in (dav.root / "MI-CC-2020" / "inbox" / "abc").iterdir())
    assert files == ["000001-x.vaglio"]
    deletes = [path for method, path in dav.requests if method == "DELETE"]
    assert deletes and all(".part" in path for path in deletes)
    moves = [path for method, path in dav.requests if method == "MOVE"]
    assert len(moves) == 1


def test_wrong_password_is_refused_not_retried(dav: DavServer | ApacheDav) -> None:
    remote = transport(dav, password="wrong")
    try:
        with pytest.raises(RemoteRefusedError, match="credenziali"):
            remote.list("MI-CC-2020")
    finally:
        remote.close()


def test_a_stopped_server_is_a_transient_failure_then_the_sync_resumes(
    dav: DavServer | ApacheDav,
) -> None:
    remote = transport(dav)
    uploads = [Upload(n, f"C/inbox/k/{n:06d}.vaglio", f"bundle {n}".encode()) for n in range(1, 7)]
    done: list[int] = []

    def on_done(upload: Upload, _written: bool) -> None:
        done.append(upload.key)
        if len(done) == 3:
            dav.stop()  # the office's server goes away mid-sync

    with pytest.raises(TransientError):
        push(remote, uploads, cancel=Cancel(), on_done=on_done, backoff=Backoff(3, 0.01))
    assert done == [1, 2, 3]
    dav.start()
    again: list[tuple[int, bool]] = []
    push(
        transport(dav),
        uploads,
        cancel=Cancel(),
        on_done=lambda u, w: again.append((u.key, w)),
        backoff=Backoff(3, 0.01),
    )
    assert again == [(1, False), (2, False), (3, False), (4, True), (5, True), (6, True)]
    names = sorted(p.name for p in (dav.root / "C" / "inbox" / "k").iterdir())
    assert names == [f"{n:06d}.vaglio" for n in range(1, 7)]


def test_the_exchange_over_webdav_survives_the_server_stopping(
    dav: DavServer | ApacheDav, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from sqlalchemy import func, select

    from app.models import InboxEntry, ScoreBundleRecord
    from app.services import cards, declarations, exchange, publication, remotes, scores, submission
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals
    from app.services.status import call_status
    from app.services.workspace import create_workspace
    from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE

    monkeypatch.setenv("VAGLIO_WEBDAV_PASSWORD", PASSWORD)
    fast = Backoff(3, 0.01)
    office = create_workspace(
        tmp_path / "office",
        role="secretariat",
        name="Segreteria",
        passphrase=PASSPHRASE,
        use_keyring=False,
    ).workspace
    create_call(office, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    members = [
        create_workspace(
            tmp_path / f"m{n}",
            role="member",
            name=f"Commissario {n}",
            passphrase=PASSPHRASE,
            use_keyring=False,
        ).workspace
        for n in range(3)
    ]
    cards.enroll_cards(office, CALL_ID, [(cards.export_card(m), "member") for m in members])
    office_card = cards.export_card(office)
    remotes.set_remote(office, CALL_ID, dav.url)
    published = publication.publish_call(office, CALL_ID)
    # The package and one part per attachment (docs/formats.md 7.2).
    assert exchange.sync(office, backoff=fast).uploaded == 1 + published.parts == 6
    keys = ("innovation", "impact", "coherence", "sustainability", "community")
    why = "Motivazione sufficiente per la prova."
    for member in members:
        cards.trust_office(member, office_card)
        remotes.set_remote(member, CALL_ID, dav.url)
        assert exchange.sync(member, backoff=fast).taken_in[0].kind == "call-package"
        declarations.declare_general(member, CALL_ID)
        for code in ("P001", "P002", "P003", "P004", "P005", "P006"):
            declarations.declare_proposal(member, CALL_ID, code, conflict=False)
        for code in ("P001", "P002", "P003", "P004", "P005"):
            scores.save_scores(
                member,
                CALL_ID,
                code,
                values={k: Decimal("0.6") for k in keys},
                justifications={k: why for k in keys},
            )
        submission.submit(member, CALL_ID)
        assert exchange.sync(member, backoff=fast).uploaded == 1

    # The office's server stops right after the first bundle is taken in.
    def progress(text: str) -> None:
        if text.startswith("Accettato"):
            dav.stop()

    broken = exchange.sync(office, backoff=fast, progress=progress)
    assert len([r for r in broken.taken_in if r.outcome == "accepted"]) == 1
    assert broken.failures and "non ha risposto" in broken.failures[0][1]
    dav.start()
    resumed = exchange.sync(office, backoff=fast)
    assert not resumed.failures
    assert len([r for r in resumed.taken_in if r.outcome == "accepted"]) == 2
    assert exchange.sync(office, backoff=fast).taken_in == []  # nothing left, nothing twice

    with office.session() as session:
        assert session.scalar(select(func.count()).select_from(ScoreBundleRecord)) == 3
        paths = session.scalars(select(InboxEntry.remote_path)).all()
        assert len(paths) == len(set(paths)) == 3
    status = call_status(office, CALL_ID)
    assert [m.bundle_sequence for m in status.members] == [1, 1, 1]
    assert all(m.receipt_sent for m in status.members)
    receipts = sorted((dav.root / CALL_ID / "receipts").rglob("*.vaglio-receipt"))
    assert len(receipts) == 3
    for member in members:
        exchange.sync(member, backoff=fast)
        assert call_status(member, CALL_ID).bundles[0].receipt_at is not None
        member.close()
    office.close()
