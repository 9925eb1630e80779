"""The call package grows by parts: the package file lists the attachments
and carries none; each attachment travels once per recipient set as a sealed
part; a member fetches only the parts it does not hold, keeps each as it
arrives, and installs the package once every part is here and verified.

Real SQLCipher workspaces, a shared folder and the wsgidav server; the GETs
are counted on the transport (or on the server)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.bundles import container, parts
from app.bundles.package import (
    LIMITS,
    CallPackage,
    PackageAttachment,
    PackageMember,
    PackageProposal,
)
from app.crypto import seal
from app.crypto.keys import KeyPair, PublicKeys
from app.models import Attachment, Call, InboxEntry, Member, OutboxItem, Proposal
from app.services import exchange, outbox, package_staging, publication, remotes
from app.services.calls import create_call
from app.services.cards import enroll_cards, export_card, trust_office
from app.services.exchange_errors import IntakeStoppedError
from app.services.proposal_import import import_proposals
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from app.sync.engine import Backoff
from app.sync.errors import TransientError
from app.sync.transport import FolderTransport
from tests.support.webdav_server import PASSWORD, DavServer
from tests.support.workspaces import (
    CALL_ID,
    FIXTURES,
    Template,
    close_template,
    copy_template,
    make_template,
    opened,
)

FAST = Backoff(2, 0.01)
NAMES = {"office": "Segreteria", "sara": "Sara Esposito", "marco": "Marco Ferrari",
         "nuova": "Giulia Neri"}  # fmt: skip
ATTACHMENTS = 5  # distinct PDFs of the fixture call


@dataclass
class World:
    office: OpenWorkspace
    sara: OpenWorkspace
    marco: OpenWorkspace
    nuova: OpenWorkspace  # trusts the office, not on the roster yet
    share: Path


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    folder = tmp_path_factory.mktemp("parts")
    made = {
        who: make_template(folder / who, "secretariat" if who == "office" else "member", name)
        for who, name in NAMES.items()
    }
    office = made["office"][0]
    create_call(office, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    enroll_cards(office, CALL_ID, [(export_card(made[w][0]), "member") for w in ("sara", "marco")])
    card = export_card(office)
    for who in ("sara", "marco", "nuova"):
        trust_office(made[who][0], card)
    return {who: close_template(ws, code) for who, (ws, code) in made.items()}


@pytest.fixture
def world(templates: dict[str, Template], tmp_path: Path) -> Iterator[World]:
    share = tmp_path / "share"
    share.mkdir()
    with (
        opened(templates["office"], copy_template(templates["office"], tmp_path / "o")) as office,
        opened(templates["sara"], copy_template(templates["sara"], tmp_path / "s")) as sara,
        opened(templates["marco"], copy_template(templates["marco"], tmp_path / "m")) as marco,
        opened(templates["nuova"], copy_template(templates["nuova"], tmp_path / "n")) as nuova,
    ):
        for ws in (office, sara, marco, nuova):
            remotes.set_remote(ws, CALL_ID, str(share))
        yield World(office, sara, marco, nuova, share)


class Counting(FolderTransport):
    """The shared folder, counting GETs of parts; it fails after ``fail_after``
    of them, as a network that goes away."""

    def __init__(self, root: Path, fail_after: int | None = None) -> None:
        super().__init__(root)
        self.part_gets: list[str] = []
        self.package_gets: list[str] = []
        self.fail_after = fail_after

    def get(self, path: str, max_size: int) -> bytes:
        if "/parts/" in path:
            if self.fail_after is not None and len(self.part_gets) >= self.fail_after:
                raise TransientError(str(self.root), "connection reset")
            self.part_gets.append(path)
        elif "/package/" in path:
            self.package_gets.append(path)
        return super().get(path, max_size)


def counting(
    monkeypatch: pytest.MonkeyPatch, share: Path, fail_after: int | None = None
) -> Counting:
    transport = Counting(share, fail_after)
    monkeypatch.setattr(exchange, "transport_for", lambda _remote: transport)
    return transport


def attachments_of(ws: OpenWorkspace) -> dict[tuple[str, str], str]:
    """(proposal, file name) -> SHA-256 of the stored bytes."""
    with ws.session() as session:
        return {
            (p.code, a.filename): hashlib.sha256(a.content).hexdigest()
            for p in session.scalars(select(Proposal).where(Proposal.call_id == CALL_ID))
            for a in p.attachments
        }


def installed(ws: OpenWorkspace) -> int:
    """The installed package's sequence (0: none)."""
    with ws.session() as session:
        call = session.get(Call, CALL_ID)
        return 0 if call is None else call.package_sequence


def part_files(share: Path) -> dict[str, list[str]]:
    """Each parts folder on the remote and the names in it."""
    root = share / CALL_ID / "package" / "parts"
    if not root.exists():
        return {}
    return {d.name: sorted(p.name for p in d.iterdir()) for d in sorted(root.iterdir())}


def key_ids(*workspaces: OpenWorkspace) -> list[str]:
    ids = []
    for ws in workspaces:
        with ws.session() as session:
            ids.append(own_identity(session).key_id)
    return ids


def test_publishing_splits_the_package_into_a_small_file_and_one_part_per_attachment(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress: list[str] = []
    published = publication.publish_call(world.office, CALL_ID, progress=progress.append)
    assert (published.parts, published.attachments) == (ATTACHMENTS, ATTACHMENTS)
    assert progress == [f"Allegato {n} di {ATTACHMENTS}…" for n in range(1, ATTACHMENTS + 1)]
    office_originals = set(attachments_of(world.office).values())
    # The package file carries the list, not the PDFs: its ZIP holds the envelope alone.
    package = seal.parse(published.copy.read_bytes(), max_size=1 << 20)
    with world.sara.session() as session:
        me = own_identity(session)
        content = package.open(me.key_id, me.sealing_private_key)
    with container.Archive(content, LIMITS) as archive:
        assert archive.names == ("envelope.json",)
    tag = parts.recipients_tag(key_ids(world.sara, world.marco))
    assert published.parts_folder == (
        world.office.home / outbox.OUTBOX_FOLDER / CALL_ID / "package" / "parts" / tag
    )
    assert sorted(p.name for p in published.parts_folder.iterdir()) == sorted(
        f"{sha}.vaglio" for sha in office_originals
    )
    report = exchange.sync(world.office, backoff=FAST)
    assert report.uploaded == 1 + ATTACHMENTS and not report.failures
    assert part_files(world.share) == {tag: sorted(f"{s}.vaglio" for s in office_originals)}
    # Each part is sealed to the package's recipients, purpose call-attachment.
    for name in part_files(world.share)[tag]:
        sealed = seal.parse(
            (world.share / CALL_ID / "package" / "parts" / tag / name).read_bytes(),
            max_size=parts.MAX_SEALED_PART,
        )
        assert sealed.purpose == "call-attachment" and sealed.call_id == CALL_ID
        assert sorted(sealed.recipient_ids()) == sorted(key_ids(world.sara, world.marco))


def test_a_members_first_sync_installs_the_package_with_every_attachment(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    transport = counting(monkeypatch, world.share)
    progress: list[str] = []
    report = exchange.sync(world.sara, backoff=FAST, progress=progress.append)
    assert not report.failures and not report.refused
    assert [(r.kind, r.outcome) for r in report.taken_in] == [("call-package", "accepted")]
    assert len(transport.part_gets) == ATTACHMENTS and report.parts_fetched == ATTACHMENTS
    assert f"Allegato {ATTACHMENTS} di {ATTACHMENTS}…" in progress
    assert attachments_of(world.sara) == attachments_of(world.office)
    assert installed(world.sara) == 1
    assert not package_staging.folder(world.sara, CALL_ID).exists()  # nothing left waiting
    assert transport.package_gets == [f"{CALL_ID}/package/package-000001.vaglio"]
    # A second sync fetches nothing.
    transport.part_gets.clear()
    transport.package_gets.clear()
    again = exchange.sync(world.sara, backoff=FAST)
    assert again.taken_in == [] and transport.part_gets == [] and transport.package_gets == []


def test_an_interrupted_sync_resumes_and_fetches_only_the_missing_parts(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    broken = counting(monkeypatch, world.share, fail_after=2)
    report = exchange.sync(world.sara, backoff=FAST)
    assert report.failures and "non ha risposto" in report.failures[0][1]
    assert len(broken.part_gets) == 2 and installed(world.sara) == 0
    assert len(package_staging.staged(world.sara, CALL_ID)) == 2  # kept, still sealed
    with world.sara.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    resumed = counting(monkeypatch, world.share)
    report = exchange.sync(world.sara, backoff=FAST)
    assert not report.failures
    assert len(resumed.part_gets) == ATTACHMENTS - 2
    assert not set(resumed.part_gets) & set(broken.part_gets)
    assert resumed.package_gets == []  # the package itself was kept too
    assert attachments_of(world.sara) == attachments_of(world.office)


def test_a_part_not_yet_on_the_remote_leaves_the_package_waiting_not_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    assert published.parts_folder is not None
    tag_folder = world.share / CALL_ID / "package" / "parts" / published.parts_folder.name
    held_back = sorted(tag_folder.iterdir())[:3]
    aside = world.share.parent / "aside"
    aside.mkdir()
    for path in held_back:
        path.rename(aside / path.name)
    report = exchange.sync(world.sara, backoff=FAST)
    assert not report.refused and not report.failures
    assert [(r.outcome, r.missing, r.total) for r in report.taken_in] == [
        ("waiting", 3, ATTACHMENTS)
    ]
    assert "in attesa di 3 allegati su 5" in "\n".join(report.lines())
    assert installed(world.sara) == 0
    for path in held_back:
        (aside / path.name).rename(path)
    transport = counting(monkeypatch, world.share)
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.kind, r.outcome) for r in report.taken_in] == [("call-package", "accepted")]
    assert len(transport.part_gets) == 3
    assert attachments_of(world.sara) == attachments_of(world.office)


def replace_pdf(office: OpenWorkspace, code: str, content: bytes) -> str:
    """The office replaces the first PDF of proposal ``code``; its new hash."""
    sha = hashlib.sha256(content).hexdigest()
    with office.session() as session:
        proposal = session.scalars(select(Proposal).where(Proposal.code == code)).one()
        session.execute(
            update(Attachment)
            .where(Attachment.id == proposal.attachments[0].id)
            .values(content=content, sha256=sha, size=len(content))
        )
    return sha


def test_republishing_after_one_pdf_changed_moves_one_part(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    exchange.sync(world.sara, backoff=FAST)
    new_pdf = b"%PDF-1.4\n% P004, versione corretta del progetto\n%%EOF\n"
    sha = replace_pdf(world.office, "P004", new_pdf)
    republished = publication.publish_call(world.office, CALL_ID)
    assert republished.sequence == 2 and republished.parts == 1
    report = exchange.sync(world.office, backoff=FAST)
    assert report.uploaded == 2  # the new part and the small package
    transport = counting(monkeypatch, world.share)
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.outcome, r.sequence) for r in report.taken_in] == [("accepted", 2)]
    assert transport.part_gets == [
        f"{CALL_ID}/package/parts/{parts.recipients_tag(key_ids(world.sara, world.marco))}"
        f"/{sha}.vaglio"
    ]
    stored = attachments_of(world.sara)
    assert stored[("P004", "P004-progetto.pdf")] == sha
    assert stored == attachments_of(world.office)


def test_a_roster_change_seals_the_parts_again_into_a_new_folder(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    exchange.sync(world.sara, backoff=FAST)
    before = part_files(world.share)
    enroll_cards(world.office, CALL_ID, [(export_card(world.nuova), "member")])
    republished = publication.publish_call(world.office, CALL_ID)
    assert republished.parts == ATTACHMENTS
    exchange.sync(world.office, backoff=FAST)
    after = part_files(world.share)
    new_tag = parts.recipients_tag(key_ids(world.sara, world.marco, world.nuova))
    assert set(after) == set(before) | {new_tag}
    assert {k: after[k] for k in before} == before  # nothing rewritten or removed
    # The new member fetches every part; Sara, who holds them all, none.
    transport = counting(monkeypatch, world.share)
    report = exchange.sync(world.nuova, backoff=FAST)
    assert [(r.outcome, r.sequence) for r in report.taken_in] == [("accepted", 2)]
    assert len(transport.part_gets) == ATTACHMENTS
    assert all(f"/parts/{new_tag}/" in path for path in transport.part_gets)
    transport.part_gets.clear()
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.outcome, r.sequence) for r in report.taken_in] == [("accepted", 2)]
    assert transport.part_gets == []
    with world.sara.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 3


def sealed_to(ws: OpenWorkspace) -> seal.Recipient:
    with ws.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key).public
        return seal.Recipient(keys.key_id, keys.sealing)


def _wrong_hash(world: World, _target: Path) -> bytes:
    return parts.seal_part(
        b"%PDF-1.4\n% altro documento\n%%EOF\n",
        call_id=CALL_ID,
        recipients=[sealed_to(world.sara), sealed_to(world.marco)],
    )


def _oversize(_world: World, target: Path) -> bytes:
    return target.read_bytes() + b" " * (2 * parts.HEADER_ALLOWANCE)


def _wrong_purpose(world: World, _target: Path) -> bytes:
    return seal.seal(
        b"{}", call_id=CALL_ID, purpose="score-bundle", recipients=[sealed_to(world.sara)]
    )


def _someone_else(world: World, target: Path) -> bytes:
    with world.office.session() as session:
        sha = target.name.removesuffix(".vaglio")
        content = session.scalars(
            select(Attachment.content).where(Attachment.sha256 == sha).limit(1)
        ).one()
    return parts.seal_part(content, call_id=CALL_ID, recipients=[sealed_to(world.marco)])


@pytest.mark.parametrize(
    ("forge", "sentence"),
    [
        (_wrong_hash, "un hash che il pacchetto non elenca"),
        (_oversize, "supera"),
        (_wrong_purpose, "score-bundle"),
        (_someone_else, "non è sigillato per te"),
    ],
    ids=["wrong-hash", "oversize", "wrong-purpose", "sealed-to-someone-else"],
)
def test_a_tampered_part_is_refused_with_its_reason_and_nothing_installs(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    forge,
    sentence: str,  # type: ignore[no-untyped-def]
) -> None:
    published = publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    assert published.parts_folder is not None
    folder = world.share / CALL_ID / "package" / "parts" / published.parts_folder.name
    target = sorted(folder.iterdir())[0]
    target.write_bytes(forge(world, target))
    report = exchange.sync(world.sara, backoff=FAST)
    assert [path for path, _reason in report.refused] == [
        target.relative_to(world.share).as_posix()
    ]
    assert sentence in report.refused[0][1]
    assert [(r.outcome, r.missing) for r in report.taken_in] == [("waiting", 1)]
    assert installed(world.sara) == 0
    with world.sara.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        entry = session.scalars(select(InboxEntry)).one()
        assert (entry.outcome, entry.remote_path) == ("refused", report.refused[0][0])
    # Refused once: the next sync does not fetch it again, and still waits.
    transport = counting(monkeypatch, world.share)
    report = exchange.sync(world.sara, backoff=FAST)
    assert transport.part_gets == [] and report.refused == []
    assert [(r.outcome, r.missing) for r in report.taken_in] == [("waiting", 1)]


def test_a_part_listed_with_another_size_is_refused() -> None:
    member = KeyPair.generate()
    content = b"%PDF-1.4\n% allegato\n%%EOF\n"
    sha = hashlib.sha256(content).hexdigest()
    sealed = parts.seal_part(
        content,
        call_id=CALL_ID,
        recipients=[seal.Recipient(member.public.key_id, member.public.sealing)],
    )
    with pytest.raises(parts.BadPartError, match="il pacchetto ne elenca"):
        parts.open_part(
            sealed,
            call_id=CALL_ID,
            my_key_id=member.public.key_id,
            my_sealing_private=member.sealing_private,
            listed={sha: len(content) + 1},
            expected=sha,
        )


def test_a_package_with_its_attachments_inside_still_installs(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package written before parts (the ZIP carries the PDFs, no
    ``attachments_in``) keeps its meaning."""
    with world.office.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        call = session.get(Call, CALL_ID)
        assert call is not None
        roster = [
            PackageMember(m.key_id, m.name, m.email, m.commission_role,
                          PublicKeys(m.signing_public_key, m.sealing_public_key))
            for m in session.scalars(select(Member).order_by(Member.id))
        ]  # fmt: skip
        proposals = [
            PackageProposal(
                p.code,
                p.title,
                p.applicant,
                p.applicant_tax_code,
                p.legal_representative,
                tuple(p.partners),
                p.neighbourhood,
                p.thematic_area,
                p.total_cost,
                p.requested_contribution,
                p.summary,
                p.admissible,
                tuple(p.inadmissible_reasons),
                tuple(
                    PackageAttachment(a.filename, a.sha256, bytes(a.content)) for a in p.attachments
                ),
            )
            for p in session.scalars(select(Proposal).order_by(Proposal.code))
        ]
        sealed = CallPackage.build(
            call_id=CALL_ID, sequence=1, grid_hash=call.grid_hash, definition=call.definition,
            roster=roster, proposals=proposals, office=office,
        )  # fmt: skip
        session.execute(update(Call).values(package_sequence=1, office_key_id=identity.key_id))
    path = world.share / outbox.package_path(CALL_ID, 1)
    path.parent.mkdir(parents=True)
    path.write_bytes(sealed)
    transport = counting(monkeypatch, world.share)
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.kind, r.outcome) for r in report.taken_in] == [("call-package", "accepted")]
    assert transport.part_gets == [] and not report.refused
    assert attachments_of(world.sara) == attachments_of(world.office)


def test_over_webdav_a_stopped_server_resumes_with_only_the_missing_parts(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "dav"
    root.mkdir()
    server = DavServer(root)
    server.start()
    try:
        monkeypatch.setenv("VAGLIO_WEBDAV_PASSWORD", PASSWORD)
        for ws in (world.office, world.sara):
            remotes.set_remote(ws, CALL_ID, server.url)
        publication.publish_call(world.office, CALL_ID)
        assert exchange.sync(world.office, backoff=FAST).uploaded == 1 + ATTACHMENTS

        def progress(text: str) -> None:
            if text == f"Allegato 3 di {ATTACHMENTS}…":
                server.stop()  # the office's server goes away before the third part

        server.requests.clear()
        broken = exchange.sync(world.sara, backoff=FAST, progress=progress)
        assert broken.failures and installed(world.sara) == 0
        first = [p for m, p in server.requests if m == "GET" and "/parts/" in p]
        assert len(first) == 2
        server.start()
        server.requests.clear()
        resumed = exchange.sync(world.sara, backoff=FAST)
        assert not resumed.failures
        assert [(r.kind, r.outcome) for r in resumed.taken_in] == [("call-package", "accepted")]
        again = [p for m, p in server.requests if m == "GET" and "/parts/" in p]
        assert len(again) == ATTACHMENTS - 2 and not set(again) & set(first)
        assert not [p for m, p in server.requests if m == "GET" and "/parts/" not in p]
        assert attachments_of(world.sara) == attachments_of(world.office)
    finally:
        server.stop()


def test_the_office_outbox_records_the_parts_it_sealed(world: World) -> None:
    publication.publish_call(world.office, CALL_ID)
    again = publication.publish_call(world.office, CALL_ID)
    assert again.parts == 0  # same roster, same PDFs: nothing sealed again
    with world.office.session() as session:
        kinds = session.execute(
            select(OutboxItem.kind, func.count()).group_by(OutboxItem.kind)
        ).all()
    assert dict(kinds) == {"package": 2, "part": ATTACHMENTS}


def test_a_cancelled_sync_keeps_the_parts_it_fetched_and_installs_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.sync.engine import Cancel
    from app.sync.errors import CancelledError

    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    cancel = Cancel()

    def progress(text: str) -> None:
        if text == f"Allegato 3 di {ATTACHMENTS}…":
            cancel.set()  # the member presses Stop while the third part comes

    first = counting(monkeypatch, world.share)
    with pytest.raises(CancelledError):
        exchange.sync(world.sara, backoff=FAST, cancel=cancel, progress=progress)
    assert len(first.part_gets) == 2 and installed(world.sara) == 0
    kept = package_staging.folder(world.sara, CALL_ID) / "parts"
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        p.rsplit("/", 1)[-1] for p in first.part_gets
    )  # whole files only, no temporary left
    again = counting(monkeypatch, world.share)
    exchange.sync(world.sara, backoff=FAST)
    assert len(again.part_gets) == ATTACHMENTS - 2
    assert attachments_of(world.sara) == attachments_of(world.office)


def test_an_older_package_taken_in_again_leaves_the_later_one_waiting(world: World) -> None:
    from app.services.intake import install_package

    first = publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    exchange.sync(world.sara, backoff=FAST)
    sha = replace_pdf(world.office, "P004", b"%PDF-1.4\n% P004, nuova versione\n%%EOF\n")
    publication.publish_call(world.office, CALL_ID)
    exchange.sync(world.office, backoff=FAST)
    tag = parts.recipients_tag(key_ids(world.sara, world.marco))
    new_part = world.share / CALL_ID / "package" / "parts" / tag / f"{sha}.vaglio"
    aside = world.share.parent / "aside.vaglio"
    new_part.rename(aside)
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.outcome, r.sequence, r.missing) for r in report.taken_in] == [("waiting", 2, 1)]
    # Package 1 again (by hand): already installed, and package 2 still waits.
    assert install_package(world.sara, first.copy.read_bytes()).outcome == "duplicate"
    waiting = package_staging.waiting(world.sara, CALL_ID)
    assert waiting is not None and waiting.sequence == 2
    aside.rename(new_part)
    report = exchange.sync(world.sara, backoff=FAST)
    assert [(r.outcome, r.sequence) for r in report.taken_in] == [("accepted", 2)]
    assert attachments_of(world.sara)[("P004", "P004-progetto.pdf")] == sha


def test_a_part_is_kept_once_on_disk_and_a_lost_copy_is_sealed_again(world: World) -> None:
    """The office keeps each sealed part once, in the outbox folder (its row
    holds the SHA-256): a copy gone missing or changed is never uploaded, its
    row is dropped with a message, and the next publication seals it again."""
    published = publication.publish_call(world.office, CALL_ID)
    with world.office.session() as session:
        rows = session.execute(
            select(
                OutboxItem.remote_path, OutboxItem.sha256, func.length(OutboxItem.content)
            ).where(OutboxItem.kind == "part")
        ).all()
    assert len(rows) == ATTACHMENTS
    for path, sha256, size in rows:
        copy = world.office.home / outbox.OUTBOX_FOLDER / Path(*path.split("/"))
        assert size == 0 and hashlib.sha256(copy.read_bytes()).hexdigest() == sha256
    lost, changed = sorted(published.parts_folder.iterdir())[:2]
    lost.unlink()
    changed.write_bytes(changed.read_bytes()[:-1] + b"!")

    report = exchange.sync(world.office, backoff=FAST)
    assert report.uploaded == 1 + ATTACHMENTS - 2
    assert sorted(reason for _call, reason in report.failures) == sorted(
        f"La copia in uscita di {CALL_ID}/package/parts/{published.parts_folder.name}/"
        f"{copy.name} manca o è cambiata: non è stata inviata; pubblica di nuovo l'avviso"
        " per sigillarla da capo."
        for copy in (lost, changed)
    )
    tag = published.parts_folder.name
    assert lost.name not in part_files(world.share)[tag]
    assert changed.name not in part_files(world.share)[tag]

    again = publication.publish_call(world.office, CALL_ID)
    assert again.parts == 2
    report = exchange.sync(world.office, backoff=FAST)
    assert not report.failures
    assert {lost.name, changed.name} <= set(part_files(world.share)[tag])


class StopAfterPuts(FolderTransport):
    """The shared folder; it asks the sync to stop after ``stop_after`` uploads."""

    def __init__(self, root: Path, cancel: exchange.Cancel, stop_after: int) -> None:
        super().__init__(root)
        self.puts: list[str] = []
        self.cancel, self.stop_after = cancel, stop_after

    def put(self, path: str, data: bytes) -> bool:
        written = super().put(path, data)
        self.puts.append(path)
        if len(self.puts) == self.stop_after:
            self.cancel.set()
        return written


def test_a_stopped_upload_records_what_it_sent_and_the_next_sends_the_rest(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads are marked a hundred at a time; a stop in between still marks
    those sent, so the next sync sends only the others."""
    publication.publish_call(world.office, CALL_ID)
    cancel = exchange.Cancel()
    first = StopAfterPuts(world.share, cancel, stop_after=2)
    monkeypatch.setattr(exchange, "transport_for", lambda _remote: first)
    with pytest.raises(IntakeStoppedError, match="interrotto"):
        exchange.sync(world.office, cancel=cancel, backoff=FAST)
    assert len(first.puts) == 2
    with world.office.session() as session:
        marked = set(
            session.scalars(
                select(OutboxItem.remote_path).where(OutboxItem.uploaded_at.is_not(None))
            )
        )
    assert marked == set(first.puts)
    second = StopAfterPuts(world.share, exchange.Cancel(), stop_after=-1)
    monkeypatch.setattr(exchange, "transport_for", lambda _remote: second)
    report = exchange.sync(world.office, backoff=FAST)
    assert report.uploaded == 1 + ATTACHMENTS - 2 and not report.failures
    assert not set(second.puts) & set(first.puts)
