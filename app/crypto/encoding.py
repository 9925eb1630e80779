"""Strict decoding shared by every artefact: canonical base64, strict JSON.

Strict means one way to write each value: a non-canonical base64 string
(missing padding, stray bits, whitespace, URL-safe letters), a duplicate JSON
key or a non-finite number is refused rather than guessed at.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from app.crypto.errors import MalformedError
from app.errors import echo


def b64encode(data: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: Any, what: str, field: str) -> bytes:
    """Decode canonical standard base64 only."""
    if not isinstance(text, str):
        raise MalformedError(what, f"{field}: not text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise MalformedError(what, f"{field}: not base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise MalformedError(what, f"{field}: non-canonical base64")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"non-finite number {name}")


# A \uD800-\uDFFF escape that is not half of a pair: JSON allows it, UTF-8 cannot hold it.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


# No format has a whole number of more digits (sequence numbers stop at 2^53).
MAX_INT_DIGITS = 16


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a whole number of more than {MAX_INT_DIGITS} digits")
    return int(text)


def strict_json(data: bytes, what: str) -> Any:
    """Parse UTF-8 JSON, refusing duplicate keys, NaN and Infinity, a BOM,
    escapes of lone surrogates, and whole numbers of more than 16 digits."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise MalformedError(what, "byte order mark")
    try:
        text = data.decode("utf-8")
        if "\\u" in text and _LONE_SURROGATE.search(text):
            raise MalformedError(what, "lone surrogate")
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=_bounded_int,
        )
    except UnicodeDecodeError:
        raise MalformedError(what, "not UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise MalformedError(what, str(exc)[:120]) from None


def json_structure(data: bytes) -> int:
    """How many ``{``, ``[`` and ``,`` bytes ``data`` holds: a bound on the
    objects, arrays and values a JSON parser would build from it (at most one
    more than this), counted without parsing.

    A wrapper whose every string is base64, hex or a fixed name has none of
    these bytes inside its strings, so its count is fixed by its shape: check
    it before :func:`strict_json`, so that a few MB of ``[],`` are refused
    rather than turned into millions of Python lists.
    """
    return data.count(b"{") + data.count(b"[") + data.count(b",")


def exact_keys(
    document: Any, required: set[str], what: str, optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """``document`` as a dict with exactly the ``required`` keys (plus any ``optional``)."""
    if not isinstance(document, dict):
        raise MalformedError(what, "not an object")
    keys = set(document)
    missing = required - keys
    unknown = keys - required - set(optional)
    if missing:
        raise MalformedError(what, f"missing field {echo(sorted(missing)[0])}")
    if unknown:
        raise MalformedError(what, f"unknown field {echo(sorted(unknown)[0])}")
    return document


def canonical_json(document: Any) -> bytes:
    """Deterministic JSON for documents made only of strings, integers, booleans,
    null, lists and objects (never floats): sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )
