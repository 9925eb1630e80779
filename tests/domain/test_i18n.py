"""The one catalogue: complete in Italian, placeholders intact, compiled."""

from __future__ import annotations

import ast
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from app import i18n
from tools.i18n_build import compiled, extract, po_path, read_catalogue

APP = Path(__file__).resolve().parents[2] / "app"


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_id if isinstance(message_id, tuple) else (message_id,)


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return read_catalogue("it")


def test_every_message_in_the_code_is_in_the_catalogue(catalogue) -> None:  # type: ignore[no-untyped-def]
    missing = [m.id for m in extract() if m.id and m.id not in catalogue]
    assert missing == [], "run `make i18n` and translate"


def test_every_message_is_translated_into_italian(catalogue) -> None:  # type: ignore[no-untyped-def]
    untranslated = [m.id for m in catalogue if m.id and not all(_ids(m.string) if m.string else ())]
    assert untranslated == []


def test_placeholders_are_the_same_in_both_languages(catalogue) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        expected = set().union(*(_placeholders(text) for text in _ids(message.id)))
        for text in _ids(message.string):
            if _placeholders(text) != expected:
                wrong.append((message.id, text))
    assert wrong == []


def test_the_shipped_mo_is_compiled_from_the_po(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert po_path("it").with_suffix(".mo").read_bytes() == compiled(catalogue)


def test_messages_are_literal_strings() -> None:
    # A computed message cannot be extracted, so it would never be translated.
    offenders = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and not (len(node.args) == 1 and isinstance(node.args[0], ast.Constant))
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_no_message_inside_an_f_string() -> None:
    # Python 3.11's tokenizer gives an f-string as one token: the extractor
    # never sees a _() inside it, so that message would stay in English.
    offenders = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                offenders += [
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "n_", "N_")
                ]
    assert offenders == []


def test_switching_language() -> None:
    i18n.set_language("en")
    assert i18n._("Proposals") == "Proposals"
    assert i18n.format_money(Decimal("48000")) == "€48,000.00"
    i18n.set_language("it")
    assert i18n._("Proposals") == "Proposte"
    assert i18n.format_money(Decimal("48000")) == "48.000,00 €"
    assert i18n.format_money(Decimal("-1234567.005")) == "-1.234.567,01 €"


def test_italian_accents_survive(catalogue) -> None:  # type: ignore[no-untyped-def]
    texts = [t for m in catalogue if m.id for t in _ids(m.string)]
    assert any(re.search("[àèéìòù]", t) for t in texts)
