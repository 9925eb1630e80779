"""ZIP containers refuse zip-slip and zip-bomb archives before any large
allocation; hypothesis fuzzes the whole path from bytes to a verified bundle."""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import re
import stat
import tracemalloc
import warnings
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundles import container, policy
from app.bundles.errors import ContainerError
from app.bundles.score_bundle import ScoreBundle
from app.crypto.errors import CryptoError
from app.crypto.keys import KeyPair
from tests.support.bundle_factory import Parties, honest_bundle

LIMITS = container.Limits(
    max_archive=64 * 1024 * 1024,
    max_members=100,
    max_member=8 * 1024 * 1024,
    max_total=16 * 1024 * 1024,
)
MiB = 1024 * 1024


def _zip(entries: list[tuple[str, bytes]], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                if name == symlink:
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, data)
    return buffer.getvalue()


def test_a_clean_archive_round_trips() -> None:
    members = {"envelope.json": b"{}", "attachments/ab.pdf": b"%PDF-1.4"}
    assert container.read(container.write(members), LIMITS) == members


@pytest.mark.parametrize(
    ("entries", "symlink", "words"),
    [
        ([("../x", b"1")], None, "unsafe name"),
        ([("attachments/../../x", b"1")], None, "unsafe name"),
        ([("/etc/passwd", b"1")], None, "unsafe name"),
        ([("C:\\x", b"1")], None, "unsafe name"),
        ([("C:/x", b"1")], None, "unsafe name"),
        ([("a\\b", b"1")], None, "unsafe name"),
        ([("link", b"/etc/passwd")], "link", "symbolic link"),
        ([("a.pdf", b"1"), ("a.pdf", b"2")], None, "duplicate name"),
        ([(f"m{n}", b"x") for n in range(101)], None, "101 members"),
    ],
)
def test_zip_slip_corpus(entries, symlink, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ContainerError, match=words):
        container.read(_zip(entries, symlink=symlink), LIMITS)


def test_a_nul_in_a_name_is_refused() -> None:
    archive = _zip([("nulX.pdf", b"1")]).replace(b"nulX.pdf", b"nul\x00.pdf")
    with pytest.raises(ContainerError, match="unsafe name"):
        container.read(archive, LIMITS)


def test_a_50_mib_bomb_is_refused_before_any_large_allocation() -> None:
    bomb = _zip([("envelope.json", b"\x00" * (50 * MiB))])
    assert len(bomb) < MiB
    tracemalloc.start()
    try:
        with pytest.raises(ContainerError):
            container.read(bomb, LIMITS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MiB, peak
    # Within the member limit but over the ratio: refused too.
    ratio_bomb = _zip([("envelope.json", b"\x00" * (6 * MiB))])
    with pytest.raises(ContainerError, match="compression ratio"):
        container.read(ratio_bomb, LIMITS)


def test_a_lying_header_cannot_inflate_past_it() -> None:
    honest = _zip([("a.pdf", b"%PDF-" + bytes(range(256)) * 40)])
    # Shrink the declared size in the central directory and the local header.
    data = bytearray(honest)
    real = 5 + 256 * 40
    declared = (100).to_bytes(4, "little")
    for index in range(len(data) - 4):
        if data[index : index + 4] == real.to_bytes(4, "little"):
            data[index : index + 4] = declared
    with pytest.raises(ContainerError):
        container.read(bytes(data), LIMITS)


def test_damaged_archives() -> None:
    good = container.write({"envelope.json": b"{" + b"a" * 5000 + b"}"})
    for cut in (10, len(good) // 2, len(good) - 5):
        with pytest.raises(ContainerError):
            container.read(good[:cut], LIMITS)
    corrupted = bytearray(good)
    corrupted[60] ^= 0xFF  # inside the deflated data: zlib must not escape
    with pytest.raises(ContainerError):
        container.read(bytes(corrupted), LIMITS)


def test_an_archive_inflates_only_what_it_is_asked_for() -> None:
    good, bad = random.Random(1).randbytes(5000), random.Random(2).randbytes(5002)
    data = bytearray(_zip([("a.pdf", good), ("b.pdf", bad)]))
    start = data.index(b"b.pdf") + len(b"b.pdf")  # b.pdf's local header, then its data
    data[start + 10] ^= 0xFF
    with container.Archive(bytes(data), LIMITS) as archive:
        assert archive.names == ("a.pdf", "b.pdf") and "b.pdf" in archive
        assert archive.declared_size("b.pdf") == 5002
        member = archive.read("a.pdf")
        assert member.content == good
        assert member.sha256 == hashlib.sha256(good).hexdigest()
        with pytest.raises(ContainerError, match=re.escape("damaged member 'b.pdf'")):
            archive.read("b.pdf")  # zlib.error or a bad CRC, never a traceback
        with pytest.raises(ContainerError, match="of 5002 bytes, 10 expected"):
            archive.read("b.pdf", size=10)  # refused from the header, nothing inflated
        with pytest.raises(ContainerError, match=re.escape("c.pdf missing")):
            archive.read("c.pdf")


def test_a_member_ending_before_its_declared_size_is_refused() -> None:
    content = random.Random(3).randbytes(5000)
    data = bytearray(_zip([("a.pdf", content)]))
    for index in range(len(data) - 4):
        if data[index : index + 4] == (5000).to_bytes(4, "little"):
            data[index : index + 4] = (6000).to_bytes(4, "little")
    with (
        container.Archive(bytes(data), LIMITS) as archive,
        pytest.raises(ContainerError, match="smaller than declared"),
    ):
        archive.read("a.pdf")


ARCHIVE = container.write(
    {"envelope.json": random.Random(4).randbytes(3000), "attachments/a.pdf": b"%PDF-1.4" * 300}
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(ARCHIVE) - 1), st.integers(0, 255)), min_size=1, max_size=4
    )
)
def test_mutated_archives_are_read_or_refused_with_a_typed_error(edits) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(ARCHIVE)
    for index, value in edits:
        data[index] = value
    with contextlib.suppress(ContainerError):  # anything else fails the test
        container.read(bytes(data), LIMITS)


def test_a_zip_of_a_later_version_is_refused_with_a_typed_error() -> None:
    data = bytearray(ARCHIVE)
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 99  # "version needed to extract": 9.9
    with pytest.raises(ContainerError, match="not a ZIP archive"):
        container.read(bytes(data), LIMITS)


# -- fuzzing the whole path --------------------------------------------------------

OFFICE, MEMBER = KeyPair.generate(), KeyPair.generate()
PARTIES = Parties(OFFICE, MEMBER, "MI-CC-2020", "a" * 64)
_BUNDLE, SEALED = honest_bundle(PARTIES)


def take_in(data: bytes) -> ScoreBundle:
    """Bytes to a verified bundle, as the office does it (without the database)."""
    call, inner = ScoreBundle.unseal(
        data, office_key_id=OFFICE.public.key_id, office_sealing_private=OFFICE.sealing_private
    )
    bundle = ScoreBundle.parse(inner, sealed_call_id=call)
    policy.check_bundle(
        bundle,
        call_id="MI-CC-2020",
        grid_hash="a" * 64,
        office_key_id=OFFICE.public.key_id,
        roster_signing_keys={MEMBER.public.key_id: MEMBER.public.signing},
        last=None,
        accepted_hashes={},
    )
    return bundle


def test_the_honest_bundle_passes_the_whole_path() -> None:
    assert take_in(SEALED).payload_hash == _BUNDLE.payload_hash


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused_with_a_typed_error(data: bytes) -> None:
    with pytest.raises(CryptoError):
        take_in(data)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEALED) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    st.integers(0, len(SEALED)),
    st.binary(max_size=16),
)
def test_mutated_seals_are_refused_unless_unchanged(edits, cut, insert) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(SEALED)
    for index, value in edits:
        data[index] = value
    mutated = bytes(data[:cut]) + insert + bytes(data[cut:])
    if mutated == SEALED:
        return
    with pytest.raises(CryptoError):
        take_in(mutated)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_payloads_signed_by_the_member_are_refused(document) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.support.bundle_factory import sign_and_seal

    sealed = sign_and_seal(PARTIES, json.dumps(document).encode())
    with pytest.raises(CryptoError):
        take_in(sealed)
