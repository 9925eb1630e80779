"""The system libraries Qt's X11 plugin needs, checked before Qt starts.

On a fresh Debian or Ubuntu desktop, Qt's ``xcb`` platform plugin needs a few
``libxcb-*`` libraries that are not installed by default. Without them Qt
prints a long message about plugins and aborts the process, naming at most
one library. Here the plugin's own dependencies (the ``DT_NEEDED`` entries of
``libqxcb.so`` and ``libQt6XcbQpa.so.6``, read from the ELF files of the
installed PySide6) are each loaded with the dynamic loader first, so that a
missing one is named together with every other missing one and the ``apt``
line that installs them.

The frozen installer carries these libraries in its bundle, and other
platforms (offscreen, wayland, Windows, macOS) do not use them: the check
runs only where Qt would pick ``xcb``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

# Debian/Ubuntu package of each library Qt's xcb plugin links (Qt 6.12).
# A library not listed here is named by its file name alone.
DEBIAN_PACKAGES: Mapping[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
}

# The ELF files of PySide6 whose dependencies make up the xcb platform.
XCB_PLUGIN_FILES = ("plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6")

_DT_NEEDED = 1
_DT_STRTAB = 5
_SHT_DYNAMIC = 6
_SHT_STRTAB = 3


def qt_would_use_xcb(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt is about to load its X11 plugin on this system."""
    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform:
        # "xcb", or a fallback list such as "wayland;xcb".
        return "xcb" in platform.split(";")[0]
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return False
    return bool(environ.get("DISPLAY"))


def pyside_qt_dir() -> Path | None:
    """The ``Qt`` folder of the installed PySide6, found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def needed_libraries(elf: bytes) -> list[str]:
    """The ``DT_NEEDED`` entries of a little-endian 64-bit ELF shared object.

    An input that is not such a file gives an empty list: the check then
    stays out of the way and Qt reports whatever is wrong itself.
    """
    if len(elf) < 64 or elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        return []
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    if shentsize < 64 or shoff + shentsize * shnum > len(elf):
        return []
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    needed: list[str] = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, _entsize in sections:
        if kind != _SHT_DYNAMIC or link >= shnum:
            continue
        strtab = sections[link]
        if strtab[1] != _SHT_STRTAB:
            continue
        str_offset, str_size = strtab[4], strtab[5]
        if offset + size > len(elf) or str_offset + str_size > len(elf):
            return []
        for position in range(offset, offset + size - 15, 16):
            tag, value = struct.unpack_from("<qQ", elf, position)
            if tag == 0:
                break
            if tag == _DT_NEEDED and value < str_size:
                end = elf.find(b"\0", str_offset + value, str_offset + str_size)
                if end > 0:
                    needed.append(elf[str_offset + value : end].decode("ascii", "replace"))
    return needed


def can_load(soname: str) -> bool:
    """Whether the dynamic loader finds and loads ``soname``."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(
    needed: Iterable[str], loadable: Callable[[str], bool] | None = None
) -> list[str]:
    """The system libraries among ``needed`` that cannot be loaded.

    Qt's own libraries (``libQt6*``, ICU) come with PySide6 and are found by
    their run path, not by the system loader: they are not checked.
    """
    loadable = loadable or can_load
    missing: list[str] = []
    for soname in dict.fromkeys(needed):
        if soname.startswith(("libQt6", "libicu", "libpyside", "libshiboken")):
            continue
        if not loadable(soname):
            missing.append(soname)
    return missing


def xcb_needed_libraries(qt_dir: Path | None) -> list[str]:
    """The system libraries the xcb plugin of the PySide6 in ``qt_dir`` links."""
    if qt_dir is None:
        return []
    needed: list[str] = []
    for relative in XCB_PLUGIN_FILES:
        path = qt_dir / relative
        if path.is_file():
            needed.extend(needed_libraries(path.read_bytes()))
    return needed


def missing_message(missing: list[str]) -> str:
    """Every missing library, and the apt line that installs them."""
    from app.i18n import _

    packages = sorted({DEBIAN_PACKAGES.get(soname, soname) for soname in missing})
    lines = [
        _("Vaglio cannot open its window: these system libraries are missing:"),
        *(f"  {soname} ({DEBIAN_PACKAGES.get(soname, '?')})" for soname in missing),
        "",
        _("On Debian or Ubuntu, install them with:"),
        "  sudo apt-get install " + " ".join(packages),
    ]
    return "\n".join(lines)


def check_xcb_libraries(
    environ: Mapping[str, str] = os.environ,
    qt_dir: Path | None = None,
    loadable: Callable[[str], bool] | None = None,
) -> str | None:
    """None when Qt's window can start, otherwise the message naming what is missing."""
    if not qt_would_use_xcb(environ):
        return None
    missing = missing_libraries(xcb_needed_libraries(qt_dir or pyside_qt_dir()), loadable)
    return missing_message(missing) if missing else None
