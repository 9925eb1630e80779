"""ZIP containers, read only in memory and only within strict limits.

Everything is checked from the central directory before a single member is
decompressed: names (a whitelist: no ``..``, absolute paths, backslashes,
drive letters or NUL), no duplicates, no symlinks or directories, stored or
deflate only, no encryption, and caps on the member count, each member's
size, the total size and the compression ratio. Members are then read with a
cap, so a header that lies about its size cannot inflate past it.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass

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


def read(data: bytes, limits: Limits) -> dict[str, bytes]:
    """Every member of the archive in ``data``, checked (see the module docstring)."""
    if len(data) > limits.max_archive:
        raise ContainerError(f"{len(data)} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ContainerError("not a ZIP archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise ContainerError(f"{len(infos)} members")
        names: set[str] = set()
        total = 0
        for info in infos:
            _check_entry(info, limits)
            if info.filename in names:
                raise ContainerError(f"duplicate name {info.filename[:60]!r}")
            names.add(info.filename)
            total += info.file_size
        if total > limits.max_total:
            raise ContainerError(f"{total} bytes once unpacked")
        members: dict[str, bytes] = {}
        for info in infos:
            try:
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                ValueError,
                NotImplementedError,
            ):
                raise ContainerError(f"damaged member {info.filename[:60]!r}") from None
            if len(content) != info.file_size:
                raise ContainerError(f"member {info.filename[:60]!r} larger than declared")
            members[info.filename] = content
        return members
