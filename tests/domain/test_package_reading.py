"""A call package is read in order and only as far as it deserves: the file's
size, the sealed JSON, the decryption, the ZIP's central directory, the signed
``envelope.json`` verified against the pinned office key, and only then the
members the signed payload lists, each streamed against its listed size and
SHA-256.

The packages here are built as anyone who can write to the shared folder
would build them (tests/support/package_attacks.py); each is opened in a
child process that reports its peak resident memory, which must stay under
PEAK_MIB whatever the package unpacks to.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from app.bundles import package as package_module
from app.bundles.envelopes import CALL_PACKAGE
from app.bundles.errors import (
    BadPayloadError,
    ContainerError,
    UntrustedOfficeError,
    WrongCallError,
)
from app.crypto import dsse, seal
from app.crypto.encoding import b64encode, json_structure
from app.crypto.errors import MalformedError, OversizeError
from app.crypto.keys import KeyPair
from tests.support.package_attacks import (
    PDF,
    SPREAD,
    Genuine,
    GiB,
    KiB,
    MiB,
    add_members,
    add_spread,
    dense,
    forged_envelope,
    genuine_package,
    lie_about_size,
    reseal,
    run_child,
    spread_name,
    with_members,
    zeros,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="getrusage is POSIX"),
]

PEAK_MIB = 150
BOMB_NAME = "attachments/" + "0" * 64 + ".pdf"


def label(name: str) -> str:
    """A member's name as refusals quote it."""
    return repr(name[:60])


@pytest.fixture(scope="module")
def genuine() -> Genuine:
    return genuine_package()


@pytest.fixture(scope="module")
def spread_base(genuine: Genuine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The genuine attachment and 31 members of 32 MiB each (no envelope yet):
    each under the member limit and the ratio limit, 992 MiB in all, about 6.6 MB
    on disk. This is the shape of the file of the finding."""
    path = tmp_path_factory.mktemp("spread") / "base.zip"
    add_members(path, [(genuine.attachment_name, PDF)])
    add_spread(path)
    return path


@pytest.fixture(scope="module")
def bomb_base(genuine: Genuine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The genuine attachment and one GiB of zeros deflated to about a MB."""
    path = tmp_path_factory.mktemp("bomb") / "base.zip"
    add_members(path, [(genuine.attachment_name, PDF)])
    add_members(path, [(BOMB_NAME, zeros(GiB))], force_zip64=True)
    return path


def open_in_child(genuine: Genuine, sealed: bytes, folder: Path) -> dict[str, object]:
    """Open ``sealed`` as the member in a fresh process: the outcome and peak memory."""
    path = folder / "package-000002.vaglio"
    path.write_bytes(sealed)
    return run_child(genuine.spec(path), folder)


def refused_within_bound(outcome: dict[str, object], error: Exception) -> None:
    assert (outcome["error"], outcome["message"]) == (type(error).__name__, str(error))
    assert isinstance(outcome["peak_mib"], float)
    assert outcome["peak_mib"] < PEAK_MIB, outcome


# -- the attacks, measured ------------------------------------------------------------


def test_the_genuine_package_opens_in_the_child(genuine: Genuine, tmp_path: Path) -> None:
    outcome = open_in_child(genuine, genuine.sealed, tmp_path)
    assert outcome["error"] is None and outcome["call_id"] == "MI-CC-2020"


def test_the_finding_members_within_every_limit_next_to_a_replayed_envelope(
    genuine: Genuine, spread_base: Path, tmp_path: Path
) -> None:
    archive = with_members(spread_base, tmp_path / "a.zip", [("envelope.json", genuine.envelope)])
    assert len(archive) < 7_000_000
    outcome = open_in_child(genuine, reseal(genuine, archive), tmp_path)
    first = min(spread_name(n) for n in range(SPREAD))
    refused_within_bound(outcome, ContainerError(f"unexpected member {label(first)}"))


def test_a_forged_signature_followed_by_big_members(
    genuine: Genuine, spread_base: Path, tmp_path: Path
) -> None:
    archive = with_members(
        spread_base, tmp_path / "a.zip", [("envelope.json", forged_envelope(genuine))]
    )
    outcome = open_in_child(genuine, reseal(genuine, archive), tmp_path)
    refused_within_bound(outcome, UntrustedOfficeError())


def test_a_gigabyte_of_zeros_next_to_a_replayed_envelope(
    genuine: Genuine, bomb_base: Path, tmp_path: Path
) -> None:
    archive = with_members(bomb_base, tmp_path / "a.zip", [("envelope.json", genuine.envelope)])
    assert len(archive) < 5 * MiB
    outcome = open_in_child(genuine, reseal(genuine, archive), tmp_path)
    refused_within_bound(outcome, ContainerError(f"member {label(BOMB_NAME)} of {GiB} bytes"))


def test_a_listed_member_bigger_than_its_listed_size(genuine: Genuine, tmp_path: Path) -> None:
    name = genuine.attachment_name
    # Honest ZIP headers: the archive says 32 MiB where the signature says 1 KiB.
    path = tmp_path / "honest.zip"
    add_members(path, [("envelope.json", genuine.envelope), (name, dense(32 * MiB, head=PDF))])
    outcome = open_in_child(genuine, reseal(genuine, path.read_bytes()), tmp_path)
    refused_within_bound(
        outcome,
        ContainerError(f"member {label(name)} of {32 * MiB} bytes, the package lists {len(PDF)}"),
    )
    # Lying ZIP headers: the archive says the listed size, its data inflates to 32 MiB.
    liar = lie_about_size(path.read_bytes(), name, len(PDF))
    outcome = open_in_child(genuine, reseal(genuine, liar), tmp_path)
    refused_within_bound(outcome, ContainerError(f"damaged member {label(name)}"))


def test_an_envelope_that_is_a_json_bomb(genuine: Genuine, tmp_path: Path) -> None:
    """32 MiB of ``[],`` in envelope.json: eleven million lists if parsed."""
    noise = b64encode(random.Random(7).randbytes(180 * KiB)).encode()
    head = b'{"payloadType":"%s","x":"%s","y":[' % (CALL_PACKAGE.encode(), noise)
    count = (32 * MiB - len(head) - 4) // 3

    def bomb():  # type: ignore[no-untyped-def]
        yield head
        for _ in range(count // 65536):
            yield b"[]," * 65536
        yield b"[]," * (count % 65536) + b"[]]}"

    path = tmp_path / "a.zip"
    add_members(path, [(genuine.attachment_name, PDF), ("envelope.json", bomb())])
    outcome = open_in_child(genuine, reseal(genuine, path.read_bytes()), tmp_path)
    refused_within_bound(outcome, MalformedError(dsse.WHAT, "not the shape of an envelope"))


def test_a_sealed_file_that_is_a_json_bomb(genuine: Genuine, tmp_path: Path) -> None:
    """24 MiB of ``[],`` in the sealed JSON: eight million lists if parsed."""
    document = json.loads(genuine.sealed)
    head = json.dumps(document, separators=(",", ":")).encode()
    cut = head.index(b'"recipients":[') + len(b'"recipients":[')
    bomb = head[:cut] + b"[]," * (8 * MiB) + head[cut:]
    outcome = open_in_child(genuine, bomb, tmp_path)
    refused_within_bound(outcome, MalformedError(seal.WHAT, "not the shape of a sealed file"))


def test_the_largest_valid_sealed_file_is_within_the_shape_limit() -> None:
    members = [KeyPair.generate().public for _ in range(seal.MAX_RECIPIENTS)]
    sealed = seal.seal(
        b"{}",
        call_id="MI-CC-2020",
        purpose="call-package",
        recipients=[seal.Recipient(m.key_id, m.sealing) for m in members],
    )
    assert json_structure(sealed) == 3 * seal.MAX_RECIPIENTS + 7 <= seal.MAX_STRUCTURE
    assert len(seal.parse(sealed, max_size=len(sealed)).recipients) == seal.MAX_RECIPIENTS
    envelope = dsse.sign(CALL_PACKAGE, b"{}", KeyPair.generate())
    assert json_structure(envelope) == 6 <= dsse.MAX_STRUCTURE


# -- the order, without measuring --------------------------------------------------------


def test_the_size_of_the_file_comes_before_its_json(
    genuine: Genuine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_module, "MAX_SEALED_PACKAGE", len(genuine.sealed) - 1)
    with pytest.raises(OversizeError):
        genuine.open(genuine.sealed)
    with pytest.raises(OversizeError):
        genuine.open(b"[" * len(genuine.sealed))


def test_the_central_directory_comes_before_the_envelope(genuine: Genuine, tmp_path: Path) -> None:
    """A forged envelope next to a member over the limit: the limit speaks first."""
    path = tmp_path / "a.zip"
    add_members(path, [("envelope.json", forged_envelope(genuine)),
                       (BOMB_NAME, zeros(33 * MiB))])  # fmt: skip
    with pytest.raises(ContainerError) as caught:
        genuine.open(reseal(genuine, path.read_bytes()))
    assert str(caught.value) == str(
        ContainerError(f"member {label(BOMB_NAME)} of {33 * MiB} bytes")
    )


def test_the_signature_comes_before_the_members(genuine: Genuine, tmp_path: Path) -> None:
    """A forged envelope next to an unlisted member: the signature speaks first;
    with the genuine envelope, the unlisted member is refused."""
    extra = [(genuine.attachment_name, PDF), (BOMB_NAME, b"%PDF-1.4 extra")]
    forged = with_members_of(tmp_path / "f.zip", [("envelope.json", forged_envelope(genuine)),
                                                  *extra])  # fmt: skip
    with pytest.raises(UntrustedOfficeError):
        genuine.open(reseal(genuine, forged))
    replayed = with_members_of(tmp_path / "r.zip", [("envelope.json", genuine.envelope), *extra])
    with pytest.raises(ContainerError) as caught:
        genuine.open(reseal(genuine, replayed))
    assert str(caught.value) == str(ContainerError(f"unexpected member {label(BOMB_NAME)}"))


def test_the_bindings_come_before_the_members(genuine: Genuine, tmp_path: Path) -> None:
    """The genuine envelope sealed as another call's package, next to an unlisted
    member: the call it belongs to speaks first."""
    archive = with_members_of(
        tmp_path / "w.zip",
        [("envelope.json", genuine.envelope), (genuine.attachment_name, PDF),
         (BOMB_NAME, b"%PDF-1.4 extra")],
    )  # fmt: skip
    with pytest.raises(WrongCallError):
        genuine.open(reseal(genuine, archive, call_id="MI-CC-2021"))


def test_a_listed_member_missing_or_altered(genuine: Genuine, tmp_path: Path) -> None:
    missing = with_members_of(tmp_path / "m.zip", [("envelope.json", genuine.envelope)])
    with pytest.raises(BadPayloadError, match="attachment missing or altered"):
        genuine.open(reseal(genuine, missing))
    altered = PDF.replace(b"P001", b"P002")
    assert len(altered) == len(PDF)
    changed = with_members_of(
        tmp_path / "c.zip",
        [("envelope.json", genuine.envelope), (genuine.attachment_name, altered)],
    )
    with pytest.raises(BadPayloadError, match="attachment missing or altered"):
        genuine.open(reseal(genuine, changed))


def test_without_an_envelope(genuine: Genuine, tmp_path: Path) -> None:
    archive = with_members_of(tmp_path / "n.zip", [(genuine.attachment_name, PDF)])
    with pytest.raises(ContainerError) as caught:
        genuine.open(reseal(genuine, archive))
    assert str(caught.value) == str(ContainerError("envelope.json missing"))


def with_members_of(path: Path, members: list[tuple[str, bytes]]) -> bytes:
    add_members(path, list(members))
    return path.read_bytes()
