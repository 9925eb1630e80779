"""Creating and unlocking: every refusal has its own message and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.workspace import create_workspace, identity, unlock
from app.store import errors
from app.store.keyslots import KeySlots, normalise_recovery_code
from app.store.workspace import FromKeyring, open_workspace
from tests.support.workspaces import PASSPHRASE, Template, copy_template, snapshot_tree


def test_create_then_unlock_with_passphrase_and_with_recovery_code(tmp_path: Path) -> None:
    created = create_workspace(
        tmp_path / "ws",
        role="member",
        name="Sara Esposito",
        passphrase=PASSPHRASE,
        use_keyring=False,
    )
    created.workspace.close()
    assert normalise_recovery_code(created.recovery_code) is not None
    assert created.identity.fingerprint.count(" ") == 9

    ws = unlock(tmp_path / "ws", PASSPHRASE)
    assert identity(ws).name == "Sara Esposito"
    ws.close()
    # Case, spaces and dashes of the recovery code do not matter.
    loose = created.recovery_code.lower().replace("-", " ")
    ws = unlock(tmp_path / "ws", loose)
    assert identity(ws).key_id == created.identity.key_id
    ws.close()


@pytest.mark.parametrize(
    ("secret", "error", "message"),
    [
        ("passphrase sbagliata 2020", errors.WrongPassphraseError, "Passphrase errata"),
        (
            "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA",
            errors.WrongRecoveryCodeError,
            "Codice di recupero errato",
        ),
    ],
)
def test_wrong_secrets_are_refused_and_change_nothing(
    secretariat_template: Template, tmp_path: Path, secret: str, error: type, message: str
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    before = snapshot_tree(home)
    with pytest.raises(error, match=message):
        unlock(home, secret)
    assert snapshot_tree(home) == before


def test_a_passphrase_shaped_like_a_recovery_code_still_unlocks(tmp_path: Path) -> None:
    # 25 letters of the code alphabet once the spaces go: tried as a code first.
    passphrase = "correct horse battery staple"
    created = create_workspace(
        tmp_path / "ws", role="member", name="X", passphrase=passphrase, use_keyring=False
    )
    created.workspace.close()
    unlock(tmp_path / "ws", passphrase).close()
    with pytest.raises(errors.WrongSecretError, match="né la passphrase né il codice"):
        unlock(tmp_path / "ws", "correct horse battery stapel")


def test_a_missing_workspace_is_never_created(tmp_path: Path) -> None:
    home = tmp_path / "nowhere"
    with pytest.raises(errors.WorkspaceMissingError, match="Non c'è un'area di lavoro"):
        unlock(home, PASSPHRASE)
    assert not home.exists()
    # A folder with only a stray file is not a workspace either.
    home.mkdir()
    (home / "vaglio.db").write_bytes(b"")
    with pytest.raises(errors.WorkspaceMissingError):
        unlock(home, PASSPHRASE)
    assert sorted(p.name for p in home.iterdir()) == ["vaglio.db"]


def test_creating_over_an_existing_workspace_is_refused(
    secretariat_template: Template, tmp_path: Path
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    before = snapshot_tree(home)
    with pytest.raises(errors.WorkspaceExistsError, match="esiste già"):
        create_workspace(home, role="member", name="X", passphrase=PASSPHRASE, use_keyring=False)
    assert snapshot_tree(home) == before


def test_a_short_passphrase_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(errors.PassphraseTooShortError, match="almeno 10"):
        create_workspace(
            tmp_path / "ws", role="member", name="X", passphrase="short", use_keyring=False
        )
    assert not (tmp_path / "ws").exists()


def test_absent_keyring_has_its_own_message(secretariat_template: Template, tmp_path: Path) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    # The template has no keyring slot: asking for one says so.
    with pytest.raises(errors.NoSlotError, match="portachiavi di sistema"):
        open_workspace(home, FromKeyring())
    # A keyring slot whose keyring is gone (the test backend is 'fail').
    slots = KeySlots.load(home / "keyslots.json")
    slots.slots.append({"type": "keyring", "service": "Vaglio"})
    slots.save(home / "keyslots.json")
    before = snapshot_tree(home)
    with pytest.raises(
        errors.KeyringUnavailableError, match="portachiavi di sistema non è disponibile"
    ):
        unlock(home, None)
    assert snapshot_tree(home) == before


def test_create_without_a_keyring_still_creates_the_workspace(tmp_path: Path) -> None:
    created = create_workspace(
        tmp_path / "ws", role="member", name="X", passphrase=PASSPHRASE, use_keyring=True
    )
    created.workspace.close()
    assert created.keyring_error is not None
    assert "portachiavi" in created.keyring_error
    assert (
        json.loads((tmp_path / "ws" / "keyslots.json").read_text())["slots"][0]["type"]
        == "passphrase"
    )


def test_a_slot_from_another_workspace_does_not_open(tmp_path: Path) -> None:
    one = create_workspace(
        tmp_path / "a", role="member", name="A", passphrase=PASSPHRASE, use_keyring=False
    )
    two = create_workspace(
        tmp_path / "b", role="member", name="B", passphrase=PASSPHRASE, use_keyring=False
    )
    one.workspace.close()
    two.workspace.close()
    a = json.loads((tmp_path / "a" / "keyslots.json").read_text())
    b = json.loads((tmp_path / "b" / "keyslots.json").read_text())
    b["slots"] = a["slots"]  # same passphrase, but bound to workspace a's id
    (tmp_path / "b" / "keyslots.json").write_text(json.dumps(b))
    with pytest.raises(errors.WrongPassphraseError):
        unlock(tmp_path / "b", PASSPHRASE)


def test_damaged_key_slots_are_refused(secretariat_template: Template, tmp_path: Path) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    (home / "keyslots.json").write_text("{not json")
    with pytest.raises(errors.KeySlotsCorruptError, match="danneggiato"):
        unlock(home, PASSPHRASE)


def test_a_key_that_does_not_match_the_database_fails_at_unlock(
    secretariat_template: Template, tmp_path: Path
) -> None:
    from app.store.workspace import load_slots, open_with_key

    home = copy_template(secretariat_template, tmp_path / "ws")
    with pytest.raises(errors.WrongKeyError, match="non apre"):
        open_with_key(home, load_slots(home), bytes(32))


def test_adding_a_slot_never_rewrites_the_database(
    secretariat_template: Template, tmp_path: Path
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    database = (home / "vaglio.db").read_bytes()
    slots = KeySlots.load(home / "keyslots.json")
    slots.set_passphrase(secretariat_template.raw_key, "another long passphrase")
    slots.save(home / "keyslots.json")
    assert (home / "vaglio.db").read_bytes() == database
    unlock(home, "another long passphrase").close()
