"""Call packages as someone who can write to the shared folder would build them.

The seal does not authenticate the sender: anyone who has a member's public
sealing key (it is on their card and on the roster) can seal any ZIP to that
member, and another member of the roster can take the genuine
``envelope.json`` out of a real package and replay it next to anything else.

The archives are written a chunk at a time to a file, so that building a
gigabyte of zeros never holds the gigabyte in the test's own memory.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.bundles import container
from app.bundles.envelopes import CALL_PACKAGE
from app.bundles.package import (
    ENVELOPE_NAME,
    CallPackage,
    PackageAttachment,
    PackageMember,
    PackageProposal,
)
from app.crypto import dsse, seal
from app.crypto.keys import KeyPair, PublicKeys
from tests.support.workspaces import ROOT

KiB, MiB, GiB = 1024, 1024 * 1024, 1024 * 1024 * 1024
CALL_ID = "MI-CC-2020"
PDF = b"%PDF-1.4\n% Progetto P001 (allegato di prova)\n" + b"0123456789abcdef" * 64 + b"\n%%EOF\n"
CHILD = "tests.support.package_child"
CHILD_TIMEOUT = 280


@dataclass(frozen=True)
class Genuine:
    """A real package sealed to ``member`` by ``office``, and what a fellow
    member of the roster can read inside it."""

    office: KeyPair
    member: KeyPair
    sealed: bytes
    envelope: bytes
    attachment_name: str

    def trusted(self) -> dict[str, bytes]:
        return {self.office.public.key_id: self.office.public.signing}

    def open(self, sealed: bytes) -> CallPackage:
        """``sealed`` opened as the member's workspace opens it."""
        return CallPackage.open(
            sealed,
            my_key_id=self.member.public.key_id,
            my_sealing_private=self.member.sealing_private,
            trusted_offices=self.trusted(),
        )

    def spec(self, path: Path) -> dict[str, object]:
        """What the child process needs to open ``path`` as the member."""
        return {
            "mode": "open",
            "file": str(path),
            "key_id": self.member.public.key_id,
            "sealing_private": self.member.sealing_private.hex(),
            "trusted": {k: v.hex() for k, v in self.trusted().items()},
        }


def genuine_package(definition: str = "[call]\n") -> Genuine:
    """A small honest package: one proposal with one PDF, two members."""
    office, member, fellow = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()
    sha = hashlib.sha256(PDF).hexdigest()
    sealed = CallPackage.build(
        call_id=CALL_ID,
        sequence=1,
        grid_hash="a" * 64,
        definition=definition,
        roster=[
            PackageMember(member.public.key_id, "Sara Esposito", "", "president", member.public),
            PackageMember(fellow.public.key_id, "Marco Ferrari", "", "member", fellow.public),
        ],
        proposals=[
            PackageProposal(
                id="P001",
                title="Orti condivisi in cortile",
                applicant="Associazione Cortili Aperti (esempio)",
                applicant_tax_code="12345678901",
                legal_representative="Anna Colombo",
                partners=(),
                neighbourhood="Niguarda",
                thematic_area="ambiente",
                total_cost=Decimal("12500.00"),
                requested_contribution=Decimal("5000.00"),
                summary="",
                admissible=True,
                inadmissible_reasons=(),
                attachments=(PackageAttachment("P001-progetto.pdf", sha, PDF),),
            )
        ],
        office=office,
    )
    archive = seal.parse(sealed, max_size=len(sealed)).open(
        member.public.key_id, member.sealing_private
    )
    envelope = container.read(archive, container.Limits(1 * MiB, 10, 1 * MiB, 1 * MiB))[
        ENVELOPE_NAME
    ]
    return Genuine(office, member, sealed, envelope, f"attachments/{sha}.pdf")


def forged_envelope(genuine: Genuine) -> bytes:
    """The genuine payload under the office's key id, signed by someone else."""
    impostor = KeyPair.generate()
    payload = dsse.parse(genuine.envelope, max_size=len(genuine.envelope)).payload
    forged = dsse.sign(CALL_PACKAGE, payload, impostor)
    return forged.replace(impostor.public.key_id.encode(), genuine.office.public.key_id.encode())


def reseal(genuine: Genuine, archive: bytes, *, call_id: str = CALL_ID) -> bytes:
    """Any archive sealed to the member, as anyone can."""
    return seal_to(genuine.member.public, archive, call_id=call_id)


def seal_to(member: PublicKeys, archive: bytes, *, call_id: str = CALL_ID) -> bytes:
    """Any archive sealed to ``member``'s public sealing key."""
    return seal.seal(
        archive,
        call_id=call_id,
        purpose="call-package",
        recipients=[seal.Recipient(member.key_id, member.sealing)],
    )


# -- writing archives a chunk at a time ---------------------------------------------


def zeros(size: int) -> Iterator[bytes]:
    """``size`` zero bytes, a mebibyte at a time (the same chunk every time)."""
    chunk = bytes(MiB)
    left = size
    while left > 0:
        yield chunk[: min(left, MiB)]
        left -= MiB


def dense(size: int, *, head: bytes = b"", seed: int = 0) -> Iterator[bytes]:
    """``size`` bytes: ``head``, 180 KiB of noise, then zeros. The noise keeps
    the member's compression ratio just under the limit of 200."""
    noise = random.Random(seed).randbytes(180 * KiB)
    yield head
    yield noise
    yield from zeros(size - len(head) - len(noise))


def add_members(
    path: Path,
    members: list[tuple[str, bytes | Iterator[bytes]]],
    *,
    force_zip64: bool = False,
) -> None:
    """Append ``members`` (name, bytes or chunks) to the ZIP at ``path``
    (created if absent), each written through ``ZipFile.open(name, "w")``."""
    mode = "a" if path.exists() else "w"
    with zipfile.ZipFile(path, mode, compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=container.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=force_zip64) as handle:
                for chunk in [content] if isinstance(content, bytes) else content:
                    handle.write(chunk)


SPREAD = 31  # members of 32 MiB: 992 MiB unpacked, about 6.6 MB deflated


def spread_name(n: int) -> str:
    return f"attachments/{hashlib.sha256(b'%d' % n).hexdigest()}.pdf"


def add_spread(path: Path, count: int = SPREAD) -> None:
    """Append ``count`` members of 32 MiB to the ZIP at ``path``, each within
    the member limit and the ratio limit: the shape of the file of the finding."""
    for n in range(count):
        add_members(path, [(spread_name(n), dense(32 * MiB, seed=n))])


def with_members(base: Path, target: Path, members: list[tuple[str, bytes]]) -> bytes:
    """A copy of the archive ``base`` with ``members`` appended: its bytes."""
    shutil.copyfile(base, target)
    add_members(target, list(members))
    return target.read_bytes()


def lie_about_size(archive: bytes, name: str, size: int) -> bytes:
    """``archive`` with the uncompressed size of ``name`` rewritten to ``size``
    in its central directory and local header (CRC and data untouched).
    Only for members written without ZIP64."""
    data = bytearray(archive)
    end = data.rindex(b"PK\x05\x06")
    entries, _size, offset = struct.unpack_from("<HII", data, end + 10)
    for _ in range(entries):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        local = struct.unpack_from("<I", data, offset + 42)[0]
        if data[offset + 46 : offset + 46 + name_len].decode() == name:
            struct.pack_into("<I", data, offset + 24, size)
            struct.pack_into("<I", data, local + 22, size)
            return bytes(data)
        offset += 46 + name_len + extra_len + comment_len
    raise KeyError(name)


def run_child(spec: dict[str, object], folder: Path) -> dict[str, Any]:
    """Run tests/support/package_child.py on ``spec``: what became of the
    package, and the peak memory of taking it in."""
    path = folder / "child-spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome: dict[str, Any] = json.loads(done.stdout)
    print(f"\n{folder.name}: {outcome}")  # the measured peak, with pytest -s
    return outcome
