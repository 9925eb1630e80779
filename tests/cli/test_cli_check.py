"""``vaglio check`` on each kind of damage, and what the other commands say
about a damaged workspace: exit codes, the sentence that names the problem,
and nothing written (every file's bytes compared before and after)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.store.database import backup_into
from tests.support import damage
from tests.support.workspaces import CALL_ID, Template, opened, snapshot_tree

CHECKS = ["file", "pages", "integrity", "foreign_keys", "audit", "anchors", "keyslots", "backups"]


def _error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), err
    assert "Traceback" not in err
    return lines[-1]


def _check(cli, home: Path) -> tuple[int, dict, str]:  # type: ignore[no-untyped-def,type-arg]
    """``vaglio check --json`` and ``vaglio check``: the code, the document, the text."""
    before = snapshot_tree(home)
    as_json = cli("check", "--json", home=home)
    as_text = cli("check", home=home)
    assert snapshot_tree(home) == before, "vaglio check wrote something"
    assert as_json.code == as_text.code
    document = json.loads(as_json.out)
    assert [c["name"] for c in document["checks"]] == CHECKS
    assert document["ok"] == (as_json.code == 0)
    assert document["workspace"] == str(home)
    if as_json.code:
        _error_line(as_json.err)
        assert "problem" in _error_line(as_text.err) or "problem" in as_text.err
    return as_json.code, document, as_text.out


def _failed(document: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {c["name"]: c["problems"] for c in document["checks"] if not c["ok"]}


def _status(cli, home: Path):  # type: ignore[no-untyped-def]
    before = snapshot_tree(home)
    result = cli("status", CALL_ID, home=home)
    assert snapshot_tree(home) == before, "vaglio status wrote something"
    return result


def test_a_healthy_workspace_passes_every_check(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    code, document, text = _check(cli, secretariat_home)
    assert code == 0, text
    assert all(c["ok"] and c["problems"] == [] for c in document["checks"])
    assert set(document) == {"workspace", "ok", "checks"}
    assert all(set(c) == {"name", "ok", "problems"} for c in document["checks"])
    assert text.count("✔") == len(CHECKS) and "✘" not in text


def test_a_flipped_byte_in_a_middle_page_that_status_reads(
    cli, secretariat_home: Path, secretariat_template: Template
) -> None:  # type: ignore[no-untyped-def]
    db = secretariat_home / "vaglio.db"
    page = damage.root_page(db, secretariat_template.raw_key, "proposals")
    assert 1 < page < damage.page_count(db)
    damage.flip_byte(db, page)
    status = _status(cli, secretariat_home)
    assert status.code == 1
    line = _error_line(status.err)
    assert "è danneggiato" in line and "vaglio.db" in line
    assert "chiave" not in line
    code, document, text = _check(cli, secretariat_home)
    assert code == 1
    assert f"La pagina {page} di vaglio.db è danneggiata" in " ".join(_failed(document)["pages"])
    assert "✘" in text and f"La pagina {page} di vaglio.db" in text


def test_a_flipped_byte_in_a_middle_page_that_status_never_reads(
    cli, secretariat_home: Path, secretariat_template: Template
) -> None:  # type: ignore[no-untyped-def]
    # The sittings table is empty here and status does not look at it: the cheap
    # checks at open read the first and last pages only, so status still works
    # (docs/architecture.md, "Damage and checks"); vaglio check finds the page.
    db = secretariat_home / "vaglio.db"
    page = damage.root_page(db, secretariat_template.raw_key, "commission_sittings")
    assert 1 < page < damage.page_count(db)
    damage.flip_byte(db, page)
    assert _status(cli, secretariat_home).code == 0
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert failed["pages"] == [
        f"La pagina {page} di vaglio.db è danneggiata: il suo codice di autenticazione "
        "non corrisponde."
    ]
    assert "file" not in failed and "audit" not in failed


def test_a_flipped_byte_in_the_last_page(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    db = secretariat_home / "vaglio.db"
    last = damage.page_count(db)
    damage.flip_byte(db, last)
    status = _status(cli, secretariat_home)
    assert status.code == 1
    line = _error_line(status.err)
    assert f"La pagina {last} del database" in line and "danneggiata" in line
    assert "Non c'è alcun backup" in line
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert f"La pagina {last} del database" in failed["file"][0]
    assert f"La pagina {last} di vaglio.db è danneggiata" in failed["pages"][0]


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (1000, "non sono un numero intero di pagine"),
        (damage.PAGE, "ne dichiara"),
    ],
)
def test_a_truncated_file_is_not_a_wrong_key(
    cli, secretariat_home: Path, cut: int, words: str
) -> None:  # type: ignore[no-untyped-def]
    db = secretariat_home / "vaglio.db"
    damage.truncate(db, db.stat().st_size - cut)
    status = _status(cli, secretariat_home)
    assert status.code == 1
    line = _error_line(status.err)
    assert "è troncato" in line and words in line
    assert "chiave" not in line
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    assert "è troncato" in _failed(document)["file"][0]


def test_a_file_shorter_than_one_page(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    damage.truncate(secretariat_home / "vaglio.db", 100)
    line = _error_line(_status(cli, secretariat_home).err)
    assert "100 byte, meno di una pagina" in line
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1 and "meno di una pagina" in _failed(document)["file"][0]


@pytest.mark.parametrize("offset", [5, 40, 2000], ids=["salt", "header", "first-page"])
def test_a_damaged_header_is_not_a_wrong_key(cli, secretariat_home: Path, offset: int) -> None:  # type: ignore[no-untyped-def]
    damage.flip_byte(secretariat_home / "vaglio.db", 1, offset)
    line = _error_line(_status(cli, secretariat_home).err)
    assert "La prima pagina del database" in line and "intestazione" in line
    assert "la chiave è giusta" in line
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert "La prima pagina del database" in failed["file"][0]
    assert failed["pages"][0].startswith("La pagina 1 di vaglio.db è danneggiata")


def test_an_empty_or_missing_database_file(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    db = secretariat_home / "vaglio.db"
    damage.truncate(db, 0)
    assert "è vuoto (0 byte)" in _error_line(_status(cli, secretariat_home).err)
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert "è vuoto" in failed["file"][0]
    assert failed["pages"] == ["Non eseguito: non c'è un database da leggere."]
    db.unlink()
    assert "manca" in _error_line(_status(cli, secretariat_home).err)
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1 and "manca" in _failed(document)["file"][0]
    assert "keyslots" not in _failed(document)


@pytest.mark.parametrize(
    ("slot", "fields", "words"),
    [
        (
            "recovery",
            {"salt": "non-base64!"},
            "La chiave di sblocco 2 (codice di recupero) è danneggiata",
        ),
        ("recovery", {"nonce": None}, "manca nonce"),
        ("recovery", {"kdf": "pbkdf2"}, "kdf vale 'pbkdf2' invece di hkdf-sha256"),
    ],
)
def test_a_damaged_key_slot(
    cli, secretariat_home: Path, slot: str, fields: dict, words: str
) -> None:  # type: ignore[no-untyped-def,type-arg]
    damage.edit_slot(secretariat_home, slot, **fields)
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert list(failed) == ["keyslots"]
    assert words in failed["keyslots"][0]


def test_a_damaged_passphrase_slot_leaves_no_key(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    # The passphrase is the secret given: its slot's damage stops the database checks.
    damage.edit_slot(secretariat_home, "passphrase", memory_kib=8)
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert "La chiave di sblocco 1 (passphrase) è danneggiata" in failed["keyslots"][0]
    assert "memory_kib vale 8, non è tra 65536 e" in failed["keyslots"][0]
    assert failed["audit"] == [
        "Non eseguito: la chiave di sblocco non ha restituito la chiave del database."
    ]


def test_a_key_slot_file_that_does_not_parse(cli, secretariat_home: Path) -> None:  # type: ignore[no-untyped-def]
    (secretariat_home / "keyslots.json").write_text("{not json")
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    failed = _failed(document)
    assert "danneggiato" in failed["keyslots"][0]
    assert failed["pages"] == [
        "Non eseguito: senza le chiavi di sblocco non c'è la chiave del database."
    ]


def test_a_broken_audit_chain(cli, secretariat_home: Path, secretariat_template: Template) -> None:  # type: ignore[no-untyped-def]
    damage.tamper_audit_entry(
        secretariat_home / "vaglio.db", secretariat_template.raw_key, 2, '{"forged":true}'
    )
    code, document, _text = _check(cli, secretariat_home)
    assert code == 1
    assert _failed(document) == {
        "audit": [
            "La voce 2 del registro delle operazioni non corrisponde alla catena: "
            "è stata alterata, tolta o spostata."
        ]
    }


def _backup(template: Template, home: Path, name: str) -> Path:
    target = home / "backups" / name
    target.parent.mkdir(mode=0o700, exist_ok=True)
    with opened(template, home) as ws:
        backup_into(ws.store.engine, target)
    return target


def test_a_damaged_backup_is_named(
    cli, secretariat_home: Path, secretariat_template: Template
) -> None:  # type: ignore[no-untyped-def]
    good = _backup(
        secretariat_template, secretariat_home, "vaglio-0006-before-0007-20260101T000000Z.db"
    )
    bad = _backup(
        secretariat_template, secretariat_home, "vaglio-0006-before-0007-20260201T000000Z.db"
    )
    cut = _backup(
        secretariat_template, secretariat_home, "vaglio-0006-before-0007-20260301T000000Z.db"
    )
    assert _check(cli, secretariat_home)[0] == 0
    damage.flip_byte(bad, 3)
    damage.truncate(cut, cut.stat().st_size - 10)
    code, document, text = _check(cli, secretariat_home)
    assert code == 1
    problems = _failed(document)
    assert list(problems) == ["backups"]
    joined = " ".join(problems["backups"])
    assert f"La pagina 3 di {bad.name} è danneggiata" in joined
    assert f"Il backup {cut.name} è troncato" in joined
    assert good.name not in joined
    assert bad.name in text


def test_a_damage_sentence_points_to_the_most_recent_backup(
    cli, secretariat_home: Path, secretariat_template: Template
) -> None:  # type: ignore[no-untyped-def]
    _backup(secretariat_template, secretariat_home, "vaglio-0006-before-0007-20260101T000000Z.db")
    latest = _backup(
        secretariat_template, secretariat_home, "vaglio-0006-before-0007-20260301T000000Z.db"
    )
    db = secretariat_home / "vaglio.db"
    damage.flip_byte(db, damage.page_count(db))
    line = _error_line(_status(cli, secretariat_home).err)
    assert f"Il backup più recente è {latest}." in line
