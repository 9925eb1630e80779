"""Field checks shared by the artefact schemas (plain values in, typed errors out)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from app.bundles.errors import BadPayloadError
from app.crypto.encoding import b64decode, exact_keys
from app.models.audit_head import GENESIS, AuditHead

# ASCII digits only, and \Z (not $, which also matches before a final newline).
HEX64 = re.compile(r"^[0-9a-f]{64}\Z")
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?\Z")
# RFC 3339 date-time as the artefacts write it (fromisoformat alone accepts more).
MOMENT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
MAX_TEXT = 100_000
# Every whole number of a format fits a double and a SQLite integer (JSON interop).
MAX_INTEGER = 2**53 - 1


class Fields:
    """Reads one JSON object of an artefact of ``kind`` (a payload type)."""

    def __init__(
        self,
        document: Any,
        kind: str,
        required: set[str],
        optional: frozenset[str] = frozenset(),
    ) -> None:
        self.kind = kind
        try:
            self.document = exact_keys(document, required, kind, optional)
        except Exception as exc:  # MalformedError from crypto: re-label as this kind
            raise BadPayloadError(kind, getattr(exc, "detail", str(exc))) from None

    def fail(self, field: str, detail: str) -> BadPayloadError:
        return BadPayloadError(self.kind, f"{field}: {detail}")

    def text(self, field: str, *, empty: bool = False, limit: int = MAX_TEXT) -> str:
        value = self.document.get(field)
        if not isinstance(value, str) or (not empty and not value) or len(value) > limit:
            raise self.fail(field, "text expected")
        return value

    def optional_text(self, field: str) -> str | None:
        value = self.document.get(field)
        return None if value is None else self.text(field, empty=True)

    def integer(self, field: str, minimum: int = 0) -> int:
        value = self.document.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(field, "whole number expected")
        if value > MAX_INTEGER:
            raise self.fail(field, "whole number up to 2^53 expected")
        return value

    def boolean(self, field: str) -> bool:
        value = self.document.get(field)
        if not isinstance(value, bool):
            raise self.fail(field, "true or false expected")
        return value

    def hex64(self, field: str) -> str:
        value = self.document.get(field)
        if not isinstance(value, str) or not HEX64.match(value):
            raise self.fail(field, "64 hex digits expected")
        return value

    def optional_hex64(self, field: str) -> str | None:
        return None if self.document.get(field) is None else self.hex64(field)

    def decimal(self, field: str) -> Decimal:
        value = self.document.get(field)
        if not isinstance(value, str) or not DECIMAL.match(value):
            raise self.fail(field, "decimal text expected")
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern forbids it
            raise self.fail(field, "decimal text expected") from None

    def moment(self, field: str) -> dt.datetime:
        value = self.document.get(field)
        if not isinstance(value, str) or not MOMENT.match(value):
            raise self.fail(field, "date and time expected")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(field, "date and time expected") from None
        if moment.tzinfo is None:
            raise self.fail(field, "time zone missing")
        return moment

    def key(self, field: str, length: int = 32) -> bytes:
        try:
            raw = b64decode(self.document.get(field), self.kind, field)
        except Exception as exc:
            raise BadPayloadError(self.kind, getattr(exc, "detail", str(exc))) from None
        if len(raw) != length:
            raise self.fail(field, "key length")
        return raw

    def items(self, field: str, limit: int = 100_000) -> list[Any]:
        value = self.document.get(field)
        if not isinstance(value, list) or len(value) > limit:
            raise self.fail(field, "list expected")
        return value

    def texts(self, field: str) -> list[str]:
        values = self.items(field, 1000)
        if not all(isinstance(v, str) for v in values):
            raise self.fail(field, "list of text expected")
        return values

    def audit_head(self, field: str) -> AuditHead:
        """An audit chain entry ``{"seq", "hash"}``: seq a whole number from 0
        (the empty chain, whose hash is 64 zeros) to 2^53 - 1."""
        try:
            entry = Fields(self.document.get(field), self.kind, {"seq", "hash"})
            point = AuditHead(entry.integer("seq"), entry.hex64("hash"))
        except BadPayloadError as error:
            raise self.fail(field, error.detail) from None
        if point.seq == 0 and point.hash != GENESIS:
            raise self.fail(field, "the empty chain's hash is 64 zeros")
        return point

    def optional_audit_head(self, field: str) -> AuditHead | None:
        return None if self.document.get(field) is None else self.audit_head(field)

    def constant(self, field: str, expected: object) -> None:
        value = self.document.get(field)
        if type(value) is not type(expected) or value != expected:
            raise self.fail(field, f"{expected!r} expected")


def iso(moment: dt.datetime) -> str:
    """A moment as it is written in artefacts (UTC, microseconds)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
