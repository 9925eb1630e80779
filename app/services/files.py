"""Files the user names: reading an input, writing a document out.

The screens and the command line read and write the user's files only
through these use cases, so that every write is atomic (a crash leaves the
old file or the new one) and every unreadable file is refused with a
sentence, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

from app.config.files import write_atomic
from app.i18n import _
from app.services.errors import InputFileError

# A document the user writes out is meant to be passed on (minutes, a card,
# an export): readable by others, unlike the workspace's own files.
SHARED = 0o644


def read_input(path: Path | str) -> bytes:
    """The bytes of a file the user chose."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputFileError(str(path), _("file not found")) from None
    except IsADirectoryError:
        raise InputFileError(str(path), _("it is a folder, not a file")) from None
    except OSError as exc:
        raise InputFileError(str(path), exc.strerror or type(exc).__name__) from None


def write_output(path: Path | str, data: bytes, *, shared: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (shared: readable by others)."""
    target = Path(path)
    write_atomic(target, data, mode=SHARED if shared else 0o600)
    return target
