"""A refusal repeats at most a few dozen characters of what it refuses.

Values come from files and from other laptops: a 5,000-character cell, score
or field used to come back whole in the ``error:`` line (5 KB of it). Each
case feeds one such value to a refusal path and checks that the line stays
short and still names what was wrong.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.errors import VaglioError
from tests.support.workspaces import CALL_ID, FIXTURES

LONG = 5000
LIMIT = 200
Cli = Callable[..., Any]


def _line(err: str) -> str:
    """The refusal: its ``error:`` line, then one indented line per problem of a file."""
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: "), lines[0][:500]
    assert all(line.startswith("  ") for line in lines[1:]), err[:500]
    return "\n".join(lines)


def _short(text: str) -> None:
    for line in text.splitlines():
        assert len(line) < LIMIT, f"{len(line)} characters: {line[:300]}…"


# -- a proposals file ----------------------------------------------------------------


def _proposals_with(column: str, value: str, folder: Path) -> Path:
    with (FIXTURES / "proposals.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = {**rows[0], "id": "Z999", "attachments": ""}
    header = list(row)
    if column == "header":
        header.append(value)
        row[value] = "x"
    else:
        row[column] = value
    path = folder / "p.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("id", "X" * LONG + "!", "XXXX"),
        ("applicant_tax_code", "1" * LONG, "1111"),
        ("neighbourhood", "N" * LONG, "NNNN"),
        ("thematic_area", "T" * LONG, "TTTT"),
        ("total_cost", "9," * (LONG // 2), "9,9,"),
        ("attachments", "a" * LONG + ".pdf", "aaaa"),
        ("header", "h" * LONG, "hhhh"),
    ],
)
def test_a_long_cell_in_a_proposals_file(
    column: str,
    value: str,
    words: str,
    cli: Cli,
    secretariat_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _proposals_with(column, value, tmp_path)
    result = cli("proposals", "import", CALL_ID, "p.csv", home=secretariat_home)
    assert result.code == 1
    line = _line(result.err)
    assert words in line
    _short(line)


# -- scores and declarations on the command line -------------------------------------


@pytest.fixture
def declared(cli: Cli, member_home: Path) -> Path:
    for args in (("declare", CALL_ID, "--general"), ("declare", CALL_ID, "P001", "--no-conflict")):
        result = cli(*args, home=member_home)
        assert result.code == 0, result.err
    return member_home


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("score", CALL_ID, "P001", "--set", "innovation=" + "7" * LONG), "7777"),
        (("score", CALL_ID, "P001", "--set", "innovation=0," + "5" * LONG), "0,55"),
        (("score", CALL_ID, "P001", "--set", "k" * LONG + "=0.8"), "kkkk"),
        (("score", CALL_ID, "P" * LONG, "--set", "innovation=0.8"), "PPPP"),
        (("score", "C" * LONG, "P001", "--set", "innovation=0.8"), "CCCC"),
        (("score", CALL_ID, "P001", "--set", "s" * LONG), "ssss"),
        (("proposals", "list", "L" * LONG), "LLLL"),
        (("remote", "set", CALL_ID, "/" + "r" * LONG), "rrrr"),
    ],
)
def test_a_long_value_on_the_command_line(
    args: tuple[str, ...], words: str, cli: Cli, declared: Path
) -> None:
    result = cli(*args, home=declared)
    assert result.code == 1
    line = _line(result.err)
    assert words in line
    _short(line)


def test_a_long_conflict_category_is_a_short_usage_error(cli: Cli, declared: Path) -> None:
    result = cli(
        "declare", CALL_ID, "P002", "--conflict", "c" * LONG, "--reason", "x", home=declared
    )
    assert result.code == 2  # argparse's usage error, as for any unknown category
    assert "cccc" in result.err
    for line in result.err.splitlines():
        _short(line)


def test_a_long_cell_in_a_scores_file(
    cli: Cli, declared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [
        ["proposal", "criterion", "value", "justification"],
        ["Q" * LONG, "innovation", "0.8", "Una motivazione abbastanza lunga da bastare."],
    ]
    with (tmp_path / "s.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = cli("score", "import", CALL_ID, "s.csv", home=declared)
    assert result.code == 1
    line = _line(result.err)
    assert "QQQQ" in line
    _short(line)


# -- artefacts from another laptop ------------------------------------------------


def test_a_long_field_name_in_a_card(
    cli: Cli, member_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    card = {"payload": "", "payloadType": "x", "signatures": [], "f" * LONG: 1}
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")
    result = cli("trust", "card.json", home=member_home)
    assert result.code == 1
    line = _line(result.err)
    assert "ffff" in line
    _short(line)


def test_a_long_call_id_in_a_score_bundle(secretariat: Any) -> None:
    """Refused by the field checks (which cap a call id) before any sentence quotes it."""
    from app.crypto.keys import KeyPair
    from app.services.calls import get_call
    from app.services.intake import accept_score_bundle
    from app.services.roster import enroll_member
    from app.services.workspace import own_identity
    from tests.support.bundle_factory import Parties, honest_bundle, payload_of, sign_and_seal

    member = KeyPair.generate()
    enroll_member(secretariat, CALL_ID, name="Elena Colombo", email="", public_keys=member.public)
    with secretariat.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        grid_hash = get_call(session, CALL_ID).grid_hash
    parties = Parties(office, member, CALL_ID, grid_hash)
    bundle, _sealed = honest_bundle(parties)
    document = payload_of(bundle)
    long_id = "B" * LONG
    for payload_call, sealed_call in ((long_id, CALL_ID), (long_id, long_id)):
        document["call_id"] = payload_call
        data = sign_and_seal(parties, json.dumps(document).encode(), call_id=sealed_call)
        with pytest.raises(VaglioError) as refused:
            accept_score_bundle(secretariat, data)
        _short(str(refused.value))
