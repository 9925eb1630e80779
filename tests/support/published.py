"""A member installs what the office published, as from a USB stick: the
package file and the folder of its parts from the office's outbox."""

from __future__ import annotations

from app.services.files import read_input
from app.services.hand_import import complete, files_of
from app.services.intake import IntakeResult, import_file
from app.services.publication import Published
from app.services.unlocking import OpenWorkspace


def install_published(member: OpenWorkspace, published: Published) -> IntakeResult:
    """``published``'s full package, installed with its parts."""
    result = import_file(member, published.copy.read_bytes())
    if result.outcome != "waiting":
        return result
    assert published.parts_folder is not None
    for found in files_of([str(published.parts_folder)]):
        import_file(member, read_input(found.path))
    (result,) = complete(member)
    assert result.outcome == "accepted", result.describe()
    return result
