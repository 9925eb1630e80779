"""The keyring slot against a real Secret Service (gnome-keyring on a private D-Bus).

The daemons run with an isolated HOME and runtime folder, started here and
stopped after the test. Without them installed the test is skipped with its
reason, except in CI (``CI=true``), where it must run: `.ci/run` installs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import run_vaglio
from tests.support.workspaces import PASSPHRASE

pytestmark = pytest.mark.secret_service
KEYRING_PASSWORD = "login keyring password"


def _require(binary: str) -> None:
    if shutil.which(binary) is None:
        reason = f"{binary} is not installed (Debian packages gnome-keyring and dbus)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Secret Service test: {reason}")
        pytest.skip(reason)


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment variables that point at a fresh, unlocked Secret Service."""
    _require("dbus-daemon")
    _require("gnome-keyring-daemon")
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    daemon = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        assert address.startswith("unix:"), address
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(KEYRING_PASSWORD.encode())
        daemon.stdin.close()
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
        _wait_until_ready(env)
        yield env
    finally:
        for process in (daemon, bus):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _python(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def _wait_until_ready(env: dict[str, str]) -> None:
    probe = (
        "import keyring; keyring.set_password('vaglio-probe', 'p', 'x'); "
        "print(keyring.get_password('vaglio-probe', 'p'))"
    )
    deadline = time.monotonic() + 20
    while True:
        result = _python(env, probe)
        if result.stdout.strip() == "x":
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the Secret Service did not start: {result.stderr[-500:]}")
        time.sleep(0.2)


def test_keyring_slot_unlocks_then_locked_and_missing_have_their_messages(
    secret_service: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    env = {**secret_service, "VAGLIO_HOME": str(home)}
    created = run_vaglio(
        "init",
        "--role",
        "member",
        "--name",
        "Marco Ferrari",
        env={**env, "VAGLIO_PASSPHRASE": PASSPHRASE},
    )
    assert created.returncode == 0, created.stderr
    assert "portachiavi" not in created.stderr  # the slot was made
    slots = json.loads((home / "keyslots.json").read_text())
    assert [s["type"] for s in slots["slots"]] == ["passphrase", "recovery", "keyring"]
    username = f"workspace-{slots['workspace_id']}"

    # The key is in the keyring, as an independent client (libsecret) sees it.
    def secret_tool(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["secret-tool", *args, "service", "Vaglio", "username", username],
            env=secret_service,
            capture_output=True,
            text=True,
            timeout=30,
        )

    lookup = secret_tool("lookup")
    assert re.fullmatch(r"[0-9a-f]{64}", lookup.stdout.strip()), lookup.stderr

    # No passphrase anywhere: the keyring unlocks.
    shown = run_vaglio("identity", "show", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Marco Ferrari" in shown.stdout

    # The entry is gone: its own message, and nothing waits for input.
    assert secret_tool("clear").returncode == 0
    missing = run_vaglio("identity", "show", env=env)
    assert missing.returncode == 1
    assert "non contiene la chiave" in missing.stderr

    # A locked keyring: its own message; the passphrase still works.
    locked = _python(
        secret_service,
        "import secretstorage; c = secretstorage.dbus_init(); "
        "secretstorage.get_default_collection(c).lock()",
    )
    assert locked.returncode == 0, locked.stderr
    refused = run_vaglio("identity", "show", env=env)
    assert refused.returncode == 1
    assert "portachiavi di sistema è bloccato" in refused.stderr
    assert "Traceback" not in refused.stderr
    with_passphrase = run_vaglio("identity", "show", env={**env, "VAGLIO_PASSPHRASE": PASSPHRASE})
    assert with_passphrase.returncode == 0, with_passphrase.stderr
