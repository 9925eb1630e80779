"""The check of the libraries Qt's X11 plugin needs (issue 15, finding 12).

On a fresh Debian machine `make run` aborted inside Qt, which named one
missing library at most. Vaglio now reads the plugin's own dependencies and
names every missing one with the apt line, before Qt starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.shell.system_libraries import (
    XCB_PLUGIN_FILES,
    can_load,
    check_xcb_libraries,
    needed_libraries,
    pyside_qt_dir,
    qt_would_use_xcb,
    xcb_needed_libraries,
)

ROOT = Path(__file__).resolve().parents[2]
X11 = {"DISPLAY": ":99"}


def real_plugin() -> Path:
    qt_dir = pyside_qt_dir()
    assert qt_dir is not None
    return qt_dir / XCB_PLUGIN_FILES[0]


def test_the_plugin_dependencies_are_read_from_its_elf_file() -> None:
    needed = needed_libraries(real_plugin().read_bytes())
    # What `ldd` shows for Qt 6.12's plugin: the three libraries the finding
    # names among them.
    for soname in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"):
        assert soname in needed
    assert needed_libraries(b"not an elf file at all, just text padding" * 2) == []


def test_nothing_is_reported_when_every_library_loads() -> None:
    # CI installs the xcb libraries (.ci/run); on this machine they all load.
    if not all(can_load(s) for s in ("libxcb-cursor.so.0", "libxcb-icccm.so.4")):
        pytest.skip("the xcb libraries are not installed here (.ci/run installs them)")
    assert check_xcb_libraries(X11) is None


def test_a_hidden_library_is_named_with_its_package_and_the_apt_line() -> None:
    hidden = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"}
    message = check_xcb_libraries(X11, loadable=lambda soname: soname not in hidden)
    assert message is not None
    assert "libxcb-cursor.so.0 (libxcb-cursor0)" in message
    assert "libxcb-keysyms.so.1 (libxcb-keysyms1)" in message
    assert "sudo apt-get install libxcb-cursor0 libxcb-keysyms1" in message
    assert "libxcb-icccm" not in message


def test_a_library_truly_absent_from_the_system_is_found_missing(tmp_path: Path) -> None:
    # A copy of the real plugin whose dependency on libxcb-cursor names a
    # library of the same length that exists nowhere: the real loader fails.
    elf = real_plugin().read_bytes()
    assert b"libxcb-cursor.so.0" in elf
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (platforms / "libqxcb.so").write_bytes(
        elf.replace(b"libxcb-cursor.so.0", b"libxcb-cursXr.so.0")
    )
    message = check_xcb_libraries(X11, qt_dir=tmp_path / "Qt")
    assert message is not None
    assert "libxcb-cursXr.so.0" in message
    assert xcb_needed_libraries(tmp_path / "Qt").count("libxcb-cursXr.so.0") == 1


def test_the_check_runs_only_where_qt_would_use_x11() -> None:
    assert qt_would_use_xcb({"DISPLAY": ":0"})
    assert qt_would_use_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not qt_would_use_xcb({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"})
    assert not qt_would_use_xcb(
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    )
    assert not qt_would_use_xcb({})
    assert check_xcb_libraries({"QT_QPA_PLATFORM": "offscreen"}, loadable=lambda s: False) is None


def test_vaglio_gui_names_the_missing_libraries_instead_of_aborting_in_qt(tmp_path: Path) -> None:
    # The real entry point, in a child process whose loader is told to hide
    # one library; Qt must not even be reached.
    script = (
        "import sys, app.ui.shell.system_libraries as libs\n"
        "real = libs.can_load\n"
        "libs.can_load = lambda s: s != 'libxcb-icccm.so.4' and real(s)\n"
        "from app.main import main\n"
        "sys.exit(main(['--home', sys.argv[1], 'gui']))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=":99", QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11")
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ws")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "libxcb-icccm.so.4 (libxcb-icccm4)" in done.stderr
    assert "sudo apt-get install libxcb-icccm4" in done.stderr
    assert "qt.qpa" not in done.stderr
    assert not (tmp_path / "ws").exists()


def test_ci_and_the_readme_install_every_packaged_library() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert package in ci
        assert package in readme
