"""``vaglio minutes``, ``vaglio sign`` and ``vaglio signatures`` (the sittings:
test_cli_sittings.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import clock
from app.services.demo import DEMO_PASSPHRASE
from tests.support.cli import run_vaglio
from tests.support.minutes import CALL, approved_demo
from tests.support.pki import P12_PASSPHRASE, Pki
from tests.support.workspaces import snapshot_tree

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("cli") / "demo")


@pytest.fixture
def home(approved_home: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(approved_home, tmp_path / "segreteria"))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("cli-pki"))


def test_refused_before_approval_and_nothing_is_written(
    cli, demo_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    home = demo_copy / "segreteria"
    before = snapshot_tree(out_dir)
    result = cli("minutes", CALL, "--out", str(out_dir / "verbale.pdf"), home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert "approva prima la graduatoria" in result.err
    assert "vaglio ranking MI-CC-2020 --approve" in result.err
    assert snapshot_tree(out_dir) == before == {}


def test_minutes_signed_by_two_then_checked(cli, home: Path, pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    president, *_ = pki.pkcs12("Elena Colombo", "rsa")
    member, *_ = pki.pkcs12("Marco Ferrari", "ec")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(P12_PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "verbale.pdf"
    result = cli("minutes", CALL, "--out", str(out), "--sign", str(president),
                 "--sign-passphrase-file", str(secret), home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "Firmato da Elena Colombo nel campo firma-01-presidente-elena-colombo." in result.out
    assert "pagine" in result.out and "SHA-256: " in result.out
    assert out.read_bytes().startswith(b"%PDF")
    assert oct(out.stat().st_mode & 0o777) == "0o644"

    # A member adds theirs on their own laptop: no workspace needed.
    both = tmp_path / "verbale-firmato.pdf"
    result = cli("sign", str(out), "--out", str(both), "--sign", str(member),
                 "--sign-passphrase-file", str(secret), passphrase=None)  # fmt: skip
    assert result.code == 0, result.err
    assert "firma-02-componente-marco-ferrari" in result.out

    result = cli("signatures", str(both), "--trust", str(pki.ca_pem), "--json", passphrase=None)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    signatures = document["signatures"]
    assert [s["signer"] for s in signatures] == ["Elena Colombo", "Marco Ferrari"]
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in signatures)
    assert [s["coverage"] for s in signatures] == ["entire_revision", "entire_file"]

    result = cli("signatures", str(both), passphrase=None)
    assert result.code == 0
    assert (
        "integra e valida; il certificato del firmatario non è tra quelli attendibili" in result.out
    )

    damaged = bytearray(both.read_bytes())
    damaged[len(damaged) // 3] ^= 0x01
    broken = tmp_path / "alterato.pdf"
    broken.write_bytes(bytes(damaged))
    result = cli("signatures", str(broken), "--trust", str(pki.ca_pem), passphrase=None)
    assert result.code == 1
    assert "ALTERATA" in result.out or result.err.startswith("error: ")


def test_sign_refusals_write_nothing(cli, home: Path, pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    president, *_ = pki.pkcs12("Elena Colombo", "ec")
    wrong = tmp_path / "sbagliata.txt"
    wrong.write_text("sbagliata", encoding="utf-8")
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    target = out_dir / "verbale.pdf"
    result = cli("minutes", CALL, "--out", str(target), "--sign", str(president),
                 "--sign-passphrase-file", str(wrong), home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and "controlla la passphrase" in result.err
    assert result.err.startswith("error: ")
    result = cli("minutes", CALL, "--out", str(target), "--pkcs11", "/nessun/modulo.so",
                 "--pin-file", str(wrong), home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and "file inesistente" in result.err
    assert snapshot_tree(out_dir) == {}


def test_no_terminal_no_passphrase_no_wait(home: Path, pki: Pki, tmp_path: Path) -> None:
    president, *_ = pki.pkcs12("Elena Colombo", "ec")
    target = tmp_path / "verbale.pdf"
    result = run_vaglio(
        "minutes", CALL, "--out", str(target), "--sign", str(president),
        env={"VAGLIO_HOME": str(home), "VAGLIO_PASSPHRASE": DEMO_PASSPHRASE},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "--sign-passphrase-file" in result.stderr
    assert not target.exists()


def test_english_minutes_and_sittings(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    day = (clock.today_in_rome() - dt.timedelta(days=2)).isoformat()
    result = cli("sittings", CALL, "--add", day, "--start", "10:00", "--end", "11:30",
                 "--place", "Sala Alessi", "--present", "Elena Colombo", "Sara Esposito",
                 "--absent", "Marco Ferrari", "--secretary", "Elena Ferri", "--json",
                 home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    sittings = json.loads(result.out)["sittings"]
    assert sittings[0]["absent"] == ["Marco Ferrari"] and sittings[0]["held_on"] == day
    out = tmp_path / "minutes.pdf"
    result = cli("minutes", CALL, "--out", str(out), "--language", "en", home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "written to" in result.out
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages[:3])
    assert "MINUTES OF THE EVALUATION COMMISSION" in text
    # The demo's sittings, frozen with the approval, with their times; the one
    # recorded after the approval is not in the minutes.
    flat = " ".join(text.split())
    assert "Palazzo Marino, Sala Alessi" in flat and "09:30" in flat and "12:30" in flat
    assert "10:00" not in flat and "11:30" not in flat
