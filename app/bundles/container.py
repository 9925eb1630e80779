"""ZIP containers, read only in memory and only within strict limits.

Everything is checked from the central directory before a single member is
decompressed: names (a whitelist: no ``..``, absolute paths, backslashes,
drive letters or NUL), no duplicates, no symlinks or directories, stored or
deflate only, no encryption, and caps on the member count, each member's
size, the total size and the compression ratio.

An :class:`Archive` then inflates only the members it is asked for, one at a
time and a chunk at a time, hashing as it goes: a member is refused as soon as
it streams past its declared size (or the size the caller expects), so a
header that lies about its size cannot inflate past it, and a damaged member
(``zlib.error``, ``BadZipFile``, ``EOFError``, a bad CRC) is a
:class:`ContainerError`, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from types import TracebackType

from app.bundles.errors import ContainerError

NAME_PATTERN = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}$"
)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    max_archive: int
    max_members: int
    max_member: int
    max_total: int
    max_ratio: int = 200


def write(members: dict[str, bytes]) -> bytes:
    """A deterministic ZIP of ``members`` (name -> bytes), deflated, fixed times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            if not NAME_PATTERN.match(name):
                raise ValueError(f"bad member name {name!r}")
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    # orig_filename: zipfile cuts the name at a NUL, the archive may not.
    name = info.orig_filename
    if "\x00" in name or "\\" in name or name.startswith("/") or ":" in name:
        raise ContainerError(f"unsafe name {name[:60]!r}")
    if any(part == ".." for part in name.split("/")) or not NAME_PATTERN.match(name):
        raise ContainerError(f"unsafe name {name[:60]!r}")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ContainerError(f"symbolic link {name[:60]!r}")
    if info.is_dir():
        raise ContainerError(f"folder entry {name[:60]!r}")
    if info.flag_bits & 0x1:
        raise ContainerError(f"encrypted member {name[:60]!r}")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ContainerError(f"compression method {info.compress_type}")
    if info.file_size > limits.max_member:
        raise ContainerError(f"member {name[:60]!r} of {info.file_size} bytes")
    if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > 4096:
        raise ContainerError(f"compression ratio of {name[:60]!r}")


CHUNK = 64 * 1024
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


@dataclass(frozen=True)
class Member:
    """One member's bytes and their SHA-256 (hex), computed as they streamed."""

    content: bytes
    sha256: str


class Archive:
    """A ZIP archive in memory whose central directory passed every check;
    no member is inflated until :meth:`read` asks for it."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        if len(data) > limits.max_archive:
            raise ContainerError(f"{len(data)} bytes")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.LargeZipFile, *_DAMAGE):  # NotImplementedError: "zip file version"
            raise ContainerError("not a ZIP archive") from None
        try:
            self._infos = self._check(self._zip.infolist(), limits)
        except ContainerError:
            self._zip.close()
            raise

    @staticmethod
    def _check(infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > limits.max_members:
            raise ContainerError(f"{len(infos)} members")
        checked: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            _check_entry(info, limits)
            if info.filename in checked:
                raise ContainerError(f"duplicate name {info.filename[:60]!r}")
            checked[info.filename] = info
            total += info.file_size
        if total > limits.max_total:
            raise ContainerError(f"{total} bytes once unpacked")
        return checked

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    @property
    def names(self) -> tuple[str, ...]:
        """The members' names, in the order of the central directory."""
        return tuple(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def declared_size(self, name: str) -> int:
        """The uncompressed size the central directory gives for ``name``."""
        return self._infos[name].file_size

    def read(self, name: str, *, size: int | None = None) -> Member:
        """Inflate ``name`` a chunk at a time and hash it as it streams.

        ``size`` is the size the caller expects (by default the declared one);
        the declared size must equal it, the stream stops as soon as it goes
        past it, and must end exactly at it.
        """
        info = self._infos.get(name)
        if info is None:
            raise ContainerError(f"{name[:60]} missing")
        label = repr(name[:60])
        expected = info.file_size if size is None else size
        if info.file_size != expected:
            raise ContainerError(f"member {label} of {info.file_size} bytes, {expected} expected")
        buffer = io.BytesIO()
        digest = hashlib.sha256()
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    if buffer.tell() + len(chunk) > expected:
                        raise ContainerError(f"member {label} larger than declared")
                    digest.update(chunk)
                    buffer.write(chunk)
        except _DAMAGE:
            raise ContainerError(f"damaged member {label}") from None
        if buffer.tell() != expected:
            raise ContainerError(f"member {label} smaller than declared")
        return Member(buffer.getvalue(), digest.hexdigest())


def read(data: bytes, limits: Limits) -> dict[str, bytes]:
    """Every member of the archive in ``data``, checked (see the module docstring)."""
    with Archive(data, limits) as archive:
        return {name: archive.read(name).content for name in archive.names}
