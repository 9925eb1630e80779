"""Pack the one-folder bundle into ``dist/vaglio-<version>-linux-<arch>.tar.gz``.

    python installers/linux/make_tarball.py [DIST_DIR]     (default dist)

The archive holds one folder, ``vaglio-<version>-linux-<arch>/``: the bundle
(``vaglio`` and ``_internal/``), the desktop entry, the icon, ``install.sh``
and a README. Entries are sorted and owned by root; with SOURCE_DATE_EPOCH set
their times are that moment, so two builds of one commit pack alike.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def tarball_name(version: str) -> str:
    """``vaglio-<version>-linux-<arch>`` (without the extension)."""
    return f"vaglio-{version}-linux-{platform.machine()}"


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else ROOT / "dist"
    bundle = dist / "vaglio"
    info = json.loads((bundle / "_internal" / "build_info.json").read_text(encoding="utf-8"))
    name = tarball_name(info["version"])
    icon = ROOT / "build" / "icons" / "vaglio.png"
    if not icon.is_file():
        raise SystemExit(f"{icon} is missing: run installers/make_icons.py first")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")

    def normalise(entry: tarfile.TarInfo) -> tarfile.TarInfo:
        entry.uid = entry.gid = 0
        entry.uname = entry.gname = "root"
        if entry.name.endswith(("/vaglio", "/install.sh")) and entry.isfile():
            entry.mode = 0o755  # whatever the checkout's file modes
        if epoch:
            entry.mtime = int(epoch)
        return entry

    out = dist / f"{name}.tar.gz"
    partial = out.with_name(out.name + ".part")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name, filter=normalise)
        for source, target in (
            (HERE / "vaglio.desktop", "vaglio.desktop"),
            (HERE / "install.sh", "install.sh"),
            (HERE / "README.txt", "README.txt"),
            (icon, "vaglio.png"),
        ):
            tar.add(source, arcname=f"{name}/{target}", filter=normalise)
    os.replace(partial, out)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
