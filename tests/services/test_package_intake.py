"""A member takes in the call package through the real flow: the published
package installs whole; a package that someone who can write to the shared
folder built from its pieces is refused by the sync with its sentence, within
a memory bound, and changes nothing."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundles import container
from app.bundles.errors import ContainerError
from app.bundles.package import LIMITS, CallPackage
from app.crypto import seal
from app.crypto.keys import KeyPair
from app.models import Call, InboxEntry, Proposal, TrustedOffice
from app.services import outbox
from app.services.intake import install_package
from app.services.remotes import set_remote
from app.services.workspace import own_identity
from tests.support.package_attacks import (
    SPREAD,
    add_members,
    add_spread,
    run_child,
    seal_to,
    spread_name,
)
from tests.support.workspaces import CALL_ID, Template, opened

PEAK_MIB = 150


def test_the_published_package_installed_whole(member, member_package: bytes) -> None:  # type: ignore[no-untyped-def]
    with member.session() as session:
        identity = own_identity(session)
        trusted = {o.key_id: o.signing_public_key for o in session.scalars(select(TrustedOffice))}
        stored = {
            (p.code, a.filename): (hashlib.sha256(a.content).hexdigest(), len(a.content))
            for p in session.scalars(select(Proposal).where(Proposal.call_id == CALL_ID))
            for a in p.attachments
        }
    package = CallPackage.open(
        member_package,
        my_key_id=identity.key_id,
        my_sealing_private=identity.sealing_private_key,
        trusted_offices=trusted,
    )
    assert len(package.proposals) == 6 and len(stored) >= 5
    # The package lists its attachments and carries none: they came as parts.
    assert package.attachments_in == "parts"
    assert {
        (p.id, a.filename): (a.sha256, a.byte_size)
        for p in package.proposals
        for a in p.attachments
        if a.content is None
    } == stored
    # Taken in again, it passes every check and is a no-op.
    assert install_package(member, member_package).outcome == "duplicate"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="getrusage is POSIX")
def test_sync_refuses_a_package_that_would_unpack_to_a_gigabyte(
    member_template: Template, member_home: Path, member_package: bytes, tmp_path: Path
) -> None:
    """The finding: the genuine envelope and attachments, which any member of
    the roster can read, next to 31 members of 32 MiB, sealed to this member
    and left in the shared folder as the next package."""
    share = tmp_path / "share"
    share.mkdir()
    with opened(member_template, member_home) as ws:
        set_remote(ws, CALL_ID, str(share))
        with ws.session() as session:
            identity = own_identity(session)
            me = KeyPair(identity.signing_private_key, identity.sealing_private_key)
    genuine = container.read(
        seal.parse(member_package, max_size=len(member_package)).open(
            me.public.key_id, me.sealing_private
        ),
        LIMITS,
    )
    archive = tmp_path / "package.zip"
    add_members(archive, list(genuine.items()))
    add_spread(archive)
    path = outbox.package_path(CALL_ID, 2)
    target = share.joinpath(*path.split("/"))
    target.parent.mkdir(parents=True)
    target.write_bytes(seal_to(me.public, archive.read_bytes()))
    assert target.stat().st_size < 10_000_000

    outcome = run_child(
        {"mode": "sync", "home": str(member_home), "raw_key": member_template.raw_key.hex()},
        tmp_path,
    )

    first = min(spread_name(n) for n in range(SPREAD))
    sentence = str(ContainerError(f"unexpected member {first[:60]!r}"))
    assert outcome["refused"] == [[path, sentence]]
    assert outcome["failures"] == [] and outcome["taken_in"] == []
    assert outcome["peak_mib"] < PEAK_MIB, outcome
    with opened(member_template, member_home) as ws, ws.session() as session:
        assert session.get(Call, CALL_ID).package_sequence == 1  # type: ignore[union-attr]
        entry = session.scalars(select(InboxEntry).where(InboxEntry.remote_path == path)).one()
        assert (entry.outcome, entry.message) == ("refused", sentence)
