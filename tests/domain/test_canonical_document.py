"""The approved ranking's canonical text, made a branch at a time to bound
memory (issue 16), is byte for byte what ``json.dumps`` with sorted keys
writes: the SHA-256 the approval certifies cannot change."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.document import canonical, canonical_pieces


def reference(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
KEYS = st.text(max_size=6)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_the_same_text_as_json_dumps(document: dict[str, Any]) -> None:
    assert canonical(document) == reference(document)


def test_keys_that_need_escaping_and_order_as_json_sorts_them() -> None:
    document = {
        "z": [{"b": 1, "a": [True, None]}, []],
        "é": {},
        'quo"te': "a\\b\n\u2028",
        "A": {"Z": {"y": {"x": {"w": [1, {"v": 2}]}}}},
        "": [[[[[[0]]]]]],
    }
    assert canonical(document) == reference(document)
    assert "".join(canonical_pieces(document, depth=0)) == reference(document)


def test_keys_that_are_not_strings_are_left_to_json() -> None:
    document: dict[str, Any] = {"m": {1: "uno", 2: "due"}}
    assert canonical(document) == reference(document) == '{"m":{"1":"uno","2":"due"}}'
