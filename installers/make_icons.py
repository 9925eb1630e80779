"""Render resources/icons/vaglio.svg into the icons the installers want.

    python installers/make_icons.py [OUT_DIR]      (default build/icons)

writes ``vaglio.png`` (256 px, the Linux desktop entry), ``vaglio-<size>.png``
(16 to 1024 px, the hicolor theme), ``vaglio.ico`` (Windows: the executables
and Inno Setup) and ``vaglio.icns`` (macOS: the .app). Qt draws the SVG
offscreen; the ICO and ICNS containers hold PNG images, written here, so no
image library beyond Qt is needed on any OS.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "vaglio.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x ones share sizes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(size: int, path: Path) -> bytes:
    """Draw the icon at ``size`` x ``size`` pixels into the PNG file ``path``; its bytes."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(path)):
        raise SystemExit(f"cannot write {path}")
    return path.read_bytes()


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO holding one PNG per size (readable since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, payload = b"", b""
    offset = len(header) + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory
        entries += struct.pack(
            "<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload)
        )
        payload += png
    return header + entries + payload


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS ICNS holding PNG elements."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: render_png(size, out / f"vaglio-{size}.png") for size in SIZES}
    (out / "vaglio.png").write_bytes(pngs[256])
    (out / "vaglio.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (out / "vaglio.icns").write_bytes(icns(pngs))
    del app
    print(f"icons in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
