"""The facts of the minutes, frozen at approval as plain JSON and read back.

The approval stores, inside the approved ranking document, every fact the
minutes print besides the ranking itself: the commission and what it sent,
the secretary, the sittings and the discussions of the flags, the
declarations and conflicts with their history, each proposal's members'
values and motivations. The minutes are
then printed from that document only, so two prints of one approval give the
same text whatever happened to the workspace since (docs/minutes.md).

The encoding follows the dataclasses of :mod:`app.reports.minutes_view`
field by field (their type hints say how to read each value back): decimals
and moments as text, tuples as lists. What the call's definition already
fixes (the call, its rules) and the wording of codes (which follows the
language of the print) are not frozen here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

from app.reports.minutes_view import MinutesView

# The parts of a MinutesView that the approval freezes.
FROZEN = (
    "proposals_received",
    "commission",
    "secretary",
    "sittings",
    "discussions",
    "conflicts",
    "proposals",
)


def encode(value: Any) -> Any:
    """A value of the minutes' view as JSON: dataclasses as objects, decimals
    and moments as text, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"cannot freeze a {type(value).__name__} in the minutes")


def decode(data: Any, hint: Any) -> Any:
    """``data`` read back as the type ``hint`` (as :func:`encode` wrote it)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if data is None:
            return None
        return decode(data, options[0])
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(item, args[0]) for item in data)
        return tuple(decode(item, arg) for item, arg in zip(data, args, strict=True))
    if origin is dict:
        _key, item_hint = typing.get_args(hint)
        return {key: decode(item, item_hint) for key, item in data.items()}
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return [decode(item, item_hint) for item in data]
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        known = {f.name for f in dataclasses.fields(hint)}
        build: Any = hint
        return build(**{k: decode(v, hints[k]) for k, v in data.items() if k in known})
    if hint is Decimal:
        return Decimal(data)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if hint is dt.date:
        return dt.date.fromisoformat(data)
    if hint is dt.time:
        return dt.time.fromisoformat(data)
    return data


def freeze(view: MinutesView) -> dict[str, Any]:
    """The facts of ``view`` that the approval freezes."""
    return {name: encode(getattr(view, name)) for name in FROZEN}


def thaw(view: MinutesView, facts: dict[str, Any]) -> MinutesView:
    """``view`` with the facts frozen at approval in place of its own."""
    hints = typing.get_type_hints(MinutesView)
    return dataclasses.replace(
        view, **{name: decode(facts[name], hints[name]) for name in FROZEN if name in facts}
    )
