"""Write ``resources/icc/sRGB.icc``, the output intent of Vaglio's PDF/A files.

The profile is LittleCMS's built-in sRGB (IEC 61966-2-1) made through
Pillow's ``ImageCms``; only the creation date in its header is fixed
(2026-01-01 00:00:00), so that running this again gives the same bytes.
Run it from the repository's top: ``python -m tools.make_srgb_icc``.
"""

from __future__ import annotations

import struct
from pathlib import Path

TARGET = Path("resources/icc/sRGB.icc")
FIXED_DATE = (2026, 1, 1, 0, 0, 0)  # the ICC header's dateTimeNumber (bytes 24-35)


def srgb_profile() -> bytes:
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = struct.pack(">6H", *FIXED_DATE)
    return bytes(data)


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(srgb_profile())
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
