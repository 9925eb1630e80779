"""The call package's attachments as separate sealed parts.

A package whose signed payload says ``"attachments_in": "parts"`` carries only
``envelope.json`` in its ZIP; each distinct attachment (by SHA-256) travels as
its own sealed file, ``purpose`` ``call-attachment``, sealed to the same
recipients as the package, whose plaintext is the attachment's bytes. A part
is untrusted until its plaintext has exactly the size and the SHA-256 the
signed payload lists (docs/formats.md 7.2).

Parts live on the remote in a folder named by the recipient set, so a roster
change re-seals them into a new folder and an unchanged roster reuses what is
already there::

    <call-id>/package/parts/<recipients tag>/<sha256>.vaglio
"""

from __future__ import annotations

import hashlib

from app.bundles.envelopes import MiB
from app.bundles.errors import BundleError
from app.crypto import seal
from app.crypto.errors import NotForThisKeyError
from app.errors import echo
from app.i18n import _

PURPOSE = "call-attachment"
# One attachment, as a ZIP member of the older packages could be.
MAX_ATTACHMENT = 32 * MiB
# A sealed part: base64 of the attachment and its tag, plus a header of up to
# 200 recipients (about 40 KiB).
HEADER_ALLOWANCE = 64 * 1024
MAX_SEALED_PART = 48 * MiB
# What a parts package may list: distinct attachments and their bytes. The
# count keeps a parts folder's WebDAV listing (about 250 bytes a file) well
# under the 16 MiB a listing may take (app/sync/webdav.py).
MAX_PARTS = 40_000
MAX_PARTS_TOTAL = 64 * 1024 * MiB
ARCHIVE, PARTS = "archive", "parts"


def recipients_tag(key_ids: list[str] | tuple[str, ...]) -> str:
    """16 hex digits naming a recipient set: the SHA-256 of the sorted key
    ids joined by commas (ASCII), cut to its first 16 digits."""
    return hashlib.sha256(",".join(sorted(key_ids)).encode("ascii")).hexdigest()[:16]


def folder(call_id: str, key_ids: list[str] | tuple[str, ...]) -> str:
    """The remote folder of the parts sealed to ``key_ids``."""
    return f"{call_id}/package/parts/{recipients_tag(key_ids)}"


def part_path(call_id: str, key_ids: list[str] | tuple[str, ...], sha256: str) -> str:
    """The remote path of one part."""
    return f"{folder(call_id, key_ids)}/{sha256}.vaglio"


def sealed_limit(size: int) -> int:
    """The most bytes a sealed part of an attachment of ``size`` bytes can
    take: nothing larger is read."""
    return min(MAX_SEALED_PART, 4 * ((size + 16 + 2) // 3) + HEADER_ALLOWANCE)


def seal_part(content: bytes, *, call_id: str, recipients: list[seal.Recipient]) -> bytes:
    """The sealed part of one attachment."""
    if len(content) > MAX_ATTACHMENT:
        raise ValueError(f"attachment of {len(content)} bytes")
    return seal.seal(content, call_id=call_id, purpose=PURPOSE, recipients=recipients)


class BadPartError(BundleError):
    """A part that is not the attachment the signed package lists."""

    def __init__(self, sha256: str, detail: str) -> None:
        if not sha256:
            super().__init__(
                _("This file is not an attachment the call package lists ({detail}): refused.")
                .format(detail=echo(detail, 100))
            )  # fmt: skip
            return
        super().__init__(
            _("The attachment {sha} is not the one the call package lists ({detail}): refused.")
            .format(sha=echo(sha256[:16]), detail=echo(detail, 100))
        )  # fmt: skip


class PartNotForYouError(BadPartError):
    """A part sealed to other recipients (another roster, a substitute)."""

    def __init__(self) -> None:
        super().__init__("", _("it is not sealed to you"))


def open_part(
    data: bytes,
    *,
    call_id: str,
    my_key_id: str,
    my_sealing_private: bytes,
    listed: dict[str, int],
    expected: str | None = None,
) -> tuple[str, bytes]:
    """The SHA-256 and the bytes of the attachment sealed in ``data``, if it
    is one that ``listed`` (SHA-256 -> size, from the signed payload) names.

    In this order: the sealed file's size against the largest part the
    package lists, its JSON, its purpose and call, the decryption with this
    member's key, then the plaintext's size and hash. Raises a typed error
    with a sentence otherwise. ``expected``: the SHA-256 the file's remote
    name promised, which bounds it by that attachment's size.
    """
    if expected is not None:
        if expected not in listed:
            raise BadPartError(expected, _("the package does not list it"))
        largest = listed[expected]
    else:
        largest = max(listed.values(), default=0)
    sealed = seal.parse(data, max_size=sealed_limit(largest))
    if sealed.purpose != PURPOSE:
        raise BadPartError("", _("it is a sealed {purpose}").format(purpose=sealed.purpose))
    if sealed.call_id != call_id:
        raise BadPartError("", _("it belongs to call {call_id}").format(call_id=sealed.call_id))
    try:
        content = sealed.open(my_key_id, my_sealing_private)
    except NotForThisKeyError:
        raise PartNotForYouError() from None
    sha = hashlib.sha256(content).hexdigest()
    size = listed.get(sha)
    if size is None or (expected is not None and sha != expected):
        raise BadPartError(expected or sha, _("its content has a hash the package does not list"))
    if size != len(content):
        raise BadPartError(sha, _("{found} bytes, the package lists {size}").format(
            found=len(content), size=size))  # fmt: skip
    return sha, content
