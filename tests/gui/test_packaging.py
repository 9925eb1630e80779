"""The installers' pieces that run without building a bundle (that is `make package`
and its smoke test): build information, ``--version``, the About box, the
bundle's self-check run from the checkout, the spec's keyring backends, the
icon containers and the Linux desktop entry."""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import struct
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import build_info
from app.build_info import BuildInfo

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Pretend to run from a bundle built from commit abc1234 on 2026-11-24."""
    info = BuildInfo("0.1.0", "abc1234", "2026-11-24")
    (tmp_path / build_info.BUILD_INFO_FILE).write_text(info.to_json(), encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    build_info.current.cache_clear()
    yield tmp_path
    build_info.current.cache_clear()


def test_one_version_everywhere() -> None:
    from app import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"] == build_info.package_version()


def test_the_license_is_an_spdx_string_so_installs_print_no_warning() -> None:
    # A TOML table made setuptools print three large deprecation warnings on
    # every install (issue 15, finding 12); the string form needs setuptools 77.
    document = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert document["project"]["license"] == "EUPL-1.2"
    assert "setuptools>=77" in document["build-system"]["requires"]
    assert not any("License ::" in c for c in document["project"].get("classifiers", []))


def test_a_checkout_says_development() -> None:
    build_info.current.cache_clear()
    info = build_info.current()
    assert info.development
    assert info.describe() == f"vaglio {info.version} (development)"


def test_version_of_a_bundle_names_commit_and_date(
    frozen_bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.main import main

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == "vaglio 0.1.0 (commit abc1234, built 2026-11-24)\n"


def test_a_bundle_without_its_file_falls_back_to_the_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    build_info.current.cache_clear()
    try:
        assert build_info.current() == BuildInfo(build_info.package_version())
    finally:
        build_info.current.cache_clear()


@pytest.mark.gui
def test_about_box_shows_the_build(qtbot, db_worker, tmp_path: Path, frozen_bundle: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.gui import make_window

    window = make_window(tmp_path / "no-workspace", db_worker)
    qtbot.addWidget(window)
    assert window.about_action in window.help_menu.actions()
    assert window.about_action.text() == "&Informazioni su Vaglio"
    window.about_action.trigger()
    box = window.about_box
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    assert box.windowTitle() == "Informazioni su Vaglio"
    text = box.text()
    assert text.startswith("Vaglio 0.1.0\n")
    assert "Build installata del 24/11/2026, commit abc1234." in text
    assert re.search(r"Qt 6\.\d+\.\d+ · PySide6 .* · Python 3\.\d+", text)
    box.close()


@pytest.mark.gui
def test_about_text_from_a_checkout(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.ui.shell.about import about_text

    text = about_text(BuildInfo("0.1.0"))
    assert "Versione di sviluppo, eseguita dal codice sorgente." in text


def test_bundle_self_check_passes_from_the_checkout(tmp_path: Path) -> None:
    # The check the frozen app runs (installers/smoke_test.py), here on the sources,
    # so that it cannot rot between builds.
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    env.update(
        VAGLIO_BUNDLE_CHECK="1",
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, str(INSTALLERS / "vaglio_main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout)
    assert report["problems"] == [], report["problems"]
    assert done.returncode == 0
    assert report["frozen"] is False
    assert report["modules"]["imported"] > 100  # app's modules and what they import
    assert report["keyring"]["chosen"] == "keyring.backends.fail.Keyring"


def _spec_list(name: str) -> list[str]:
    tree = ast.parse((INSTALLERS / "vaglio.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} not in the spec")


def test_the_spec_names_every_keyring_backend_the_check_expects() -> None:
    sys.path.insert(0, str(INSTALLERS))
    try:
        from vaglio_bundle_check import KEYRING_BACKENDS
    finally:
        sys.path.remove(str(INSTALLERS))
    hidden = set(_spec_list("KEYRING_HIDDEN"))
    assert set(KEYRING_BACKENDS) <= hidden
    # ... and keyring's own entry points name nothing the spec forgot.
    from importlib.metadata import entry_points

    shipped = {ep.value for ep in entry_points(group="keyring.backends") if ep.dist is not None}
    shipped_by_keyring = {v for v in shipped if v.startswith("keyring.backends.")}
    assert shipped_by_keyring <= hidden


def test_icon_containers() -> None:
    sys.path.insert(0, str(INSTALLERS))
    try:
        from make_icons import ICNS_TYPES, icns, ico
    finally:
        sys.path.remove(str(INSTALLERS))
    pngs = {
        size: b"\x89PNG" + bytes([size % 256]) * 10 for size in (16, 32, 64, 128, 256, 512, 1024)
    }
    data = ico({16: pngs[16], 256: pngs[256]})
    assert struct.unpack("<HHH", data[:6]) == (0, 1, 2)
    width, _h, _c, _r, _planes, _bits, size, offset = struct.unpack("<BBBBHHII", data[22:38])
    assert width == 0 and data[offset : offset + size] == pngs[256]  # 0 stands for 256
    data = icns(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    assert data[8:12] == ICNS_TYPES[0][0]


def test_linux_desktop_entry_and_install_script() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLERS / "linux" / "vaglio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "vaglio gui" and section["Icon"] == "vaglio"
    assert section["Terminal"] == "false"
    # install.sh rewrites exactly these two lines with the bundle's path.
    script = (INSTALLERS / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "s|^Exec=vaglio gui\\$|" in script and "s|^TryExec=vaglio\\$|" in script
    assert subprocess.run(["sh", "-n", str(INSTALLERS / "linux" / "install.sh")]).returncode == 0
