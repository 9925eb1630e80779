"""Only a real OS keyring may hold the database key or the WebDAV password.

`keyring` picks whatever backend is installed: with keyrings.alt (a common
Debian package) that is a plain file. The allow-list decides by the backend
class's module and name; the chainer is judged by what it chains.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.store import keyring_access
from app.store.errors import KeyringInsecureError, KeyringUnavailableError
from tests.support.cli import run_vaglio
from tests.support.workspaces import PASSPHRASE

PLAINTEXT = "keyrings.alt.file.PlaintextKeyring"


def _backend(qualified: str, **attributes: Any) -> object:
    """An instance of a class whose module and name are ``qualified``."""
    module, _dot, name = qualified.rpartition(".")
    return type(name, (), {"__module__": module, **attributes})()


@pytest.mark.parametrize(
    "qualified",
    [
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    ],
)
def test_the_os_keyrings_are_allowed(qualified: str) -> None:
    assert keyring_access.verdict(qualified) == "allowed"
    backend = _backend(qualified)
    assert keyring_access.usable_backend(backend) is backend


@pytest.mark.parametrize(
    "qualified",
    [
        PLAINTEXT,
        "keyrings.alt.file.EncryptedKeyring",
        "keyrings.alt.Windows.EncryptedKeyring",
        "keyrings.alt.Windows.RegistryKeyring",
        "keyrings.alt.Gnome.Keyring",
        "keyrings.alt.Google.DocsKeyring",
        "keyrings.alt.multi.MultipartKeyringWrapper",
        "keyrings.cryptfile.cryptfile.CryptFileKeyring",
        "sagecipher.keyring.Keyring",
        # The right name in another module, or a subclass's name: refused too.
        "mypackage.SecretService.Keyring",
        "keyring.backends.SecretService.KeyringSubclass",
    ],
)
def test_every_other_backend_is_refused(qualified: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keyring_access.ALLOW_INSECURE_ENV, raising=False)
    assert keyring_access.verdict(qualified) == "refused"
    with pytest.raises(KeyringInsecureError, match="non è sicuro") as refused:
        keyring_access.usable_backend(_backend(qualified))
    assert qualified in str(refused.value)


@pytest.mark.parametrize(
    "qualified", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]
)
def test_fail_and_null_are_no_keyring(qualified: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keyring_access.ALLOW_INSECURE_ENV, "1")  # not even then
    assert keyring_access.verdict(qualified) == "none"
    with pytest.raises(KeyringUnavailableError, match="nessun servizio di portachiavi"):
        keyring_access.usable_backend(_backend(qualified))


def test_the_chainer_is_judged_by_what_it_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keyring_access.ALLOW_INSECURE_ENV, raising=False)
    chainer = "keyring.backends.chainer.ChainerBackend"
    plaintext = _backend(PLAINTEXT)
    secret_service = _backend("keyring.backends.SecretService.Keyring")
    # The plain file first (it would be written to): the secret service is used, directly.
    mixed = _backend(chainer, backends=[plaintext, secret_service])
    assert keyring_access.usable_backend(mixed) is secret_service
    only_plain = _backend(chainer, backends=[plaintext])
    with pytest.raises(KeyringInsecureError, match=PLAINTEXT):
        keyring_access.usable_backend(only_plain)
    with pytest.raises(KeyringUnavailableError):
        keyring_access.usable_backend(_backend(chainer, backends=[]))


def test_the_bench_variable_allows_a_file_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keyring_access.ALLOW_INSECURE_ENV, "1")
    plaintext = _backend(PLAINTEXT)
    assert keyring_access.usable_backend(plaintext) is plaintext
    monkeypatch.setenv(keyring_access.ALLOW_INSECURE_ENV, "yes")  # only "1" counts
    with pytest.raises(KeyringInsecureError):
        keyring_access.usable_backend(plaintext)


# -- the real keyrings.alt file backend, through the program -------------------------


@pytest.fixture
def plaintext_env(tmp_path: Path) -> dict[str, str]:
    """``vaglio``'s environment with keyrings.alt's plain file as the keyring,
    every per-user folder inside ``tmp_path``."""
    home = tmp_path / "user"
    home.mkdir()
    return {
        "PYTHON_KEYRING_BACKEND": PLAINTEXT,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "VAGLIO_HOME": str(tmp_path / "ws"),
    }


def _files_holding(folder: Path, needles: list[bytes]) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    ]


def _key_forms(raw_key: bytes) -> list[bytes]:
    text = raw_key.hex().encode()
    return [text, base64.b64encode(text), base64.encodebytes(text).strip(), raw_key]


def test_init_with_a_plaintext_keyring_stores_no_key(
    plaintext_env: dict[str, str], tmp_path: Path
) -> None:
    from app.store.workspace import load_slots

    created = run_vaglio(
        "init",
        "--role",
        "member",
        "--name",
        "Marco Ferrari",
        env={**plaintext_env, "VAGLIO_PASSPHRASE": PASSPHRASE},
    )
    assert created.returncode == 0, created.stderr
    assert "nota:" in created.stderr
    assert "non è sicuro" in created.stderr
    assert "passphrase" in created.stderr
    assert PLAINTEXT in created.stderr
    assert "Traceback" not in created.stderr
    home = tmp_path / "ws"
    document = json.loads((home / "keyslots.json").read_text())
    assert [slot["type"] for slot in document["slots"]] == ["passphrase", "recovery"]
    raw_key = load_slots(home).key_from_passphrase(PASSPHRASE)
    assert not list(tmp_path.rglob("keyring_pass.cfg"))
    assert _files_holding(tmp_path, _key_forms(raw_key)) == []
    # Without a secret it does not open, and says the passphrase is needed.
    shown = run_vaglio("identity", "show", env=plaintext_env)
    assert shown.returncode == 1
    assert shown.stderr.startswith("error: ")
    assert len(shown.stderr.strip().splitlines()) == 1
    assert "passphrase" in shown.stderr
    assert "Marco Ferrari" not in shown.stdout


def _python(env: dict[str, str], code: str, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_old_keyring_slot_is_not_read_from_a_plaintext_keyring(
    plaintext_env: dict[str, str], tmp_path: Path
) -> None:
    """A workspace made before the allow-list: its key is in the plain file and
    its slots name the keyring. Opening must not take the key from there."""
    from app.store.keyslots import KeySlots
    from app.store.workspace import load_slots

    created = run_vaglio(
        "init",
        "--role",
        "member",
        "--name",
        "Marco Ferrari",
        env={**plaintext_env, "VAGLIO_PASSPHRASE": PASSPHRASE},
    )
    assert created.returncode == 0, created.stderr
    home = tmp_path / "ws"
    slots = load_slots(home)
    raw_key = slots.key_from_passphrase(PASSPHRASE)
    planted = _python(
        plaintext_env,
        "import sys, keyring; keyring.set_password('Vaglio', sys.argv[1], sys.argv[2])",
        slots.keyring_username,
        raw_key.hex(),
    )
    assert planted.returncode == 0, planted.stderr
    assert list(tmp_path.rglob("keyring_pass.cfg"))
    old = KeySlots.load(home / "keyslots.json")
    old.slots.append({"type": "keyring", "service": "Vaglio"})
    old.save(home / "keyslots.json")

    shown = run_vaglio("identity", "show", env=plaintext_env)
    assert shown.returncode == 1, shown.stdout
    assert "Marco Ferrari" not in shown.stdout
    assert shown.stderr.startswith("error: ")
    assert "passphrase" in shown.stderr
    assert "Traceback" not in shown.stderr
    # The passphrase still opens it.
    opened = run_vaglio("identity", "show", env={**plaintext_env, "VAGLIO_PASSPHRASE": PASSPHRASE})
    assert opened.returncode == 0, opened.stderr


# -- the WebDAV password ---------------------------------------------------------------


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> Iterator[Path]:
    """keyrings.alt's plain file as this process's keyring, in ``tmp_path``."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield Path(backend.file_path)
    finally:
        keyring.set_keyring(previous)


def test_the_webdav_password_never_goes_to_a_plaintext_keyring(
    empty_secretariat: Any, plaintext_keyring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    from app.services import remotes
    from app.sync import webdav

    monkeypatch.delenv(keyring_access.ALLOW_INSECURE_ENV, raising=False)
    url = "https://anna@dav.example.org/vaglio"
    monkeypatch.setenv(remotes.PASSWORD_ENV, "webdav secret 42")
    view, _changes = remotes.set_remote(empty_secretariat, "MI-CC-2020", url)
    assert not view.password_stored
    assert not plaintext_keyring.exists()

    # A password left there by an older version is not read either.
    keyring.set_password(remotes.KEYRING_SERVICE, remotes._credential_name(url), "old secret")
    assert plaintext_keyring.exists()
    monkeypatch.delenv(remotes.PASSWORD_ENV)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(webdav, "WebDavTransport", lambda url, **given: seen.update(given))
    remotes.transport_for(remotes.get_remote(empty_secretariat, "MI-CC-2020"))
    assert seen == {"username": "anna", "password": None}


def test_the_services_give_the_reason_to_the_gui(
    plaintext_keyring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.workspace import create_workspace, keyring_refusal

    monkeypatch.delenv(keyring_access.ALLOW_INSECURE_ENV, raising=False)
    reason = keyring_refusal()
    assert reason is not None
    assert "non è sicuro" in reason
    assert PLAINTEXT in reason
    created = create_workspace(
        tmp_path / "ws", role="member", name="X", passphrase=PASSPHRASE, use_keyring=True
    )
    created.workspace.close()
    assert created.keyring_error == reason
    assert not plaintext_keyring.exists()
