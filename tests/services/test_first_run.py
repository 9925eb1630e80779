"""What the first-run wizard relies on outside Qt: the passphrase's strength,
and the recovery sheet."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from app.services.passphrase_strength import estimate
from app.services.recovery_sheet import save_recovery_sheet
from app.services.views import IdentityView


@pytest.mark.parametrize(
    ("passphrase", "level", "accepted"),
    [
        ("", 0, False),
        ("corto", 0, False),  # under the store's 10 characters
        ("aaaaaaaaaaaaaaaa", 0, False),  # one character repeated
        ("Password1234", 0, False),  # one everyone tries
        ("abcdefghjk", 0, False),  # 10 small letters: 47 bits
        ("gatto mela 7", 1, True),
        ("gatto mela pera 7", 2, True),
        ("passphrase di prova 2020", 3, True),
    ],
)
def test_the_strength_follows_length_and_kinds_of_characters(
    passphrase: str, level: int, accepted: bool
) -> None:
    strength = estimate(passphrase)
    assert (strength.level, strength.accepted) == (level, accepted)


def test_a_run_of_repeats_counts_once() -> None:
    assert estimate("abcdefghjkkkkkkkkk").bits == estimate("abcdefghjk").bits


def test_the_recovery_sheet_holds_the_code_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    identity = IdentityView(
        name="Sara Esposito",
        email="",
        role="member",
        key_id="a" * 64,
        fingerprint="AAAA " * 9 + "AAAA",
        signing_public_key="",
        sealing_public_key="",
        workspace="/home/sara/vaglio",
    )
    path = save_recovery_sheet(tmp_path / "codice.pdf", identity, "YJYTG-BC3ZX-95184-H17P6-6JGW8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "YJYTG-BC3ZX-95184-H17P6-6JGW8" in text
    assert "Sara Esposito" in text and "commissario" in text
    assert "Codice di recupero di un'area di lavoro di Vaglio" in text
