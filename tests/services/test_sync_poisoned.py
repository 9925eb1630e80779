"""One bad file in the shared folder never stops the office's intake.

Review finding 3: a bundle numbered 5,000,001 left in the shared folder made
every `vaglio sync` of the office fail, blocking every other member's bundles.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.bundles.envelopes import MAX_SEALED_BUNDLE
from app.crypto.keys import KeyPair
from app.models import InboxEntry, ScoreBundleRecord
from app.services.calls import get_call
from app.services.exchange import sync
from app.services.outbox import bundle_path
from app.services.publication import publish_call
from app.services.remotes import set_remote
from app.services.roster import enroll_member
from app.services.workspace import own_identity
from tests.support.bundle_factory import Parties, honest_bundle
from tests.support.workspaces import CALL_ID


def _drop(shared: Path, path: str, data: bytes) -> None:
    target = shared / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _office(ws, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Three enrolled members whose keys the test holds, the call published, a shared folder."""
    members = {name: KeyPair.generate() for name in ("Elena Colombo", "Luca Ferri", "Ada Neri")}
    for name, keys in members.items():
        enroll_member(ws, CALL_ID, name=name, email="", public_keys=keys.public)
    publish_call(ws, CALL_ID)
    shared = tmp_path / "condivisa"
    shared.mkdir()
    set_remote(ws, CALL_ID, str(shared))
    with ws.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        grid_hash = get_call(session, CALL_ID).grid_hash

    def parties(name: str) -> Parties:
        return Parties(office, members[name], CALL_ID, grid_hash)

    return shared, members, parties


def test_one_poisoned_file_beside_two_honest_bundles(secretariat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = secretariat
    shared, members, parties = _office(ws, tmp_path)
    honest = {}
    for name in ("Elena Colombo", "Luca Ferri"):
        bundle, sealed = honest_bundle(parties(name))
        honest[name] = bundle_path(CALL_ID, bundle.author_key_id, 1, bundle.payload_hash)
        _drop(shared, honest[name], sealed)
    ada = members["Ada Neri"].public.key_id
    far, far_sealed = honest_bundle(parties("Ada Neri"), 5_000_001, previous="a" * 64)
    poisoned = {
        bundle_path(CALL_ID, ada, 5_000_001, far.payload_hash): far_sealed,
        f"{CALL_ID}/inbox/{ada}/000002-enorme.vaglio": b"x" * (MAX_SEALED_BUNDLE + 1),
        f"{CALL_ID}/inbox/{ada}/000003-rumore.vaglio": b"\x00\xff" * 40,
    }
    for path, data in poisoned.items():
        _drop(shared, path, data)

    report = sync(ws)

    assert report.failures == []
    assert sorted(r.member for r in report.taken_in if r.outcome == "accepted") == [
        "Elena Colombo",
        "Luca Ferri",
    ]
    refused = dict(report.refused)
    assert sorted(refused) == sorted(poisoned)
    assert "supera di più di 16" in refused[next(iter(poisoned))]
    assert (
        f"supera {MAX_SEALED_BUNDLE} byte: non è stato letto"
        in refused[f"{CALL_ID}/inbox/{ada}/000002-enorme.vaglio"]
    )
    with ws.session() as session:
        assert session.scalar(select(func.count()).select_from(ScoreBundleRecord)) == 2
        outcomes = dict(session.execute(select(InboxEntry.remote_path, InboxEntry.outcome)).all())
    assert outcomes == {honest[n]: "accepted" for n in honest} | {p: "refused" for p in poisoned}

    # Reported once: the next sync neither reads nor reports them again.
    again = sync(ws)
    assert again.refused == [] and again.taken_in == [] and again.failures == []


def test_a_failure_nobody_foresaw_is_refused_and_logged(  # type: ignore[no-untyped-def]
    secretariat, tmp_path: Path, monkeypatch, caplog
) -> None:
    from app.services import intake

    ws = secretariat
    shared, _members, parties = _office(ws, tmp_path)
    paths = []
    for name in ("Elena Colombo", "Luca Ferri"):
        bundle, sealed = honest_bundle(parties(name))
        paths.append(bundle_path(CALL_ID, bundle.author_key_id, 1, bundle.payload_hash))
        _drop(shared, paths[-1], sealed)
    real = intake.import_file
    doomed = (shared / paths[0]).read_bytes()

    def import_file(ws, data: bytes, **options):  # type: ignore[no-untyped-def]
        if data == doomed:
            raise RuntimeError("a defect")
        return real(ws, data, **options)

    monkeypatch.setattr(intake, "import_file", import_file)
    report = sync(ws)
    assert [r.member for r in report.taken_in] == ["Luca Ferri"]
    assert report.refused == [(paths[0], "non è stato possibile leggerlo (vedi il registro)")]
    assert "a defect" in caplog.text
