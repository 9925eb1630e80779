"""``--level`` of ``vaglio minutes`` and ``vaglio sign`` (PAdES B-B, B-T, B-LT,
B-LTA) and the level in ``vaglio signatures``, against a CA whose CRL is served
on loopback and a time-stamp server on loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.demo import DEMO_PASSPHRASE
from tests.support.minutes import CALL, approved_demo
from tests.support.pki import P12_PASSPHRASE, CrlServer, Pki, TimestampServer
from tests.support.workspaces import snapshot_tree

pytestmark = pytest.mark.slow

JSON_KEYS = {"field", "signer", "subject", "issuer", "signing_time", "timestamp", "intact",
             "valid", "trusted", "coverage", "modifications", "problem", "level"}  # fmt: skip


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("cli-levels") / "demo")


@pytest.fixture
def home(approved_home: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(approved_home, tmp_path / "segreteria"))


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pki, TimestampServer]]:
    with CrlServer() as crls:
        pki = Pki.create(tmp_path_factory.mktemp("cli-levels-pki"), crl_url=crls.url)
        crls.pki = pki
        with TimestampServer(pki) as tsa:
            yield pki, tsa


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(P12_PASSPHRASE + "\n", encoding="utf-8")
    return path


def test_b_lt_then_b_lta_and_the_levels_reported(  # type: ignore[no-untyped-def]
    cli, home: Path, services: tuple[Pki, TimestampServer], secret: Path, tmp_path: Path
) -> None:
    pki, tsa = services
    president, *_ = pki.pkcs12("Elena Colombo", "rsa")
    member, *_ = pki.pkcs12("Marco Ferrari", "ec")
    out = tmp_path / "verbale.pdf"
    result = cli("minutes", CALL, "--out", str(out), "--sign", str(president),
                 "--sign-passphrase-file", str(secret), "--timestamp-url", tsa.url,
                 "--level", "b-lt", home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "Firmato da Elena Colombo" in result.out
    result = cli("signatures", str(out), "--trust", str(pki.ca_pem), "--json", passphrase=None)
    assert [s["level"] for s in json.loads(result.out)["signatures"]] == ["B-LT"]
    both = tmp_path / "verbale-firmato.pdf"
    result = cli("sign", str(out), "--out", str(both), "--sign", str(member),
                 "--sign-passphrase-file", str(secret), "--timestamp-url", tsa.url,
                 "--level", "b-lta", passphrase=None)  # fmt: skip
    assert result.code == 0, result.err

    result = cli("signatures", str(both), "--trust", str(pki.ca_pem), "--json", passphrase=None)
    assert result.code == 0, result.err
    signatures = json.loads(result.out)["signatures"]
    # The document time-stamp after both covers the first one's validation data too.
    assert [s["level"] for s in signatures] == ["B-LTA", "B-LTA", "document-timestamp"]
    assert [s["signer"] for s in signatures] == ["Elena Colombo", "Marco Ferrari",
                                                  "Vaglio Test TSA"]  # fmt: skip
    assert all(set(s) == JSON_KEYS for s in signatures)
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in signatures)

    result = cli("signatures", str(both), "--trust", str(pki.ca_pem), passphrase=None)
    assert result.code == 0, result.err
    header = result.out.splitlines()[0]
    assert "livello" in header
    rows = result.out.splitlines()[2:5]
    assert "B-LTA" in rows[0] and "B-LTA" in rows[1] and "marca temporale del documento" in rows[2]


def test_plain_minutes_signed_as_before_say_b_b(  # type: ignore[no-untyped-def]
    cli, home: Path, services: tuple[Pki, TimestampServer], secret: Path, tmp_path: Path
) -> None:
    pki, _tsa = services
    president, *_ = pki.pkcs12("Elena Colombo", "ec")
    out = tmp_path / "verbale.pdf"
    result = cli("minutes", CALL, "--out", str(out), "--sign", str(president),
                 "--sign-passphrase-file", str(secret), home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    result = cli("signatures", str(out), "--json", passphrase=None)
    assert [s["level"] for s in json.loads(result.out)["signatures"]] == ["B-B"]


@pytest.mark.parametrize("level", ["b-t", "b-lt", "b-lta"])
def test_a_level_without_its_time_stamp_server_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    cli, home: Path, services: tuple[Pki, TimestampServer], tmp_path: Path, level: str
) -> None:
    pki, _tsa = services
    president, *_ = pki.pkcs12("Elena Colombo", "ec")
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    missing = tmp_path / "nessuna-passphrase.txt"  # refused before any secret is read
    result = cli("minutes", CALL, "--out", str(out_dir / "verbale.pdf"), "--sign",
                 str(president), "--sign-passphrase-file", str(missing), "--level", level,
                 home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    expected = (
        f"error: Il livello {level.upper()} richiede un server di marcatura temporale: "
        "indicane l'indirizzo (--timestamp-url). Non è stato firmato nulla.\n"
    )
    assert result.code == 1 and result.err == expected
    source = tmp_path / "verbale-da-firmare.pdf"
    source.write_bytes(b"%PDF-1.7\n")
    result = cli("sign", str(source), "--out", str(out_dir / "firmato.pdf"), "--sign",
                 str(president), "--sign-passphrase-file", str(missing), "--level", level,
                 passphrase=None)  # fmt: skip
    assert result.code == 1 and result.err == expected
    assert snapshot_tree(out_dir) == {}


def test_b_b_with_a_time_stamp_server_is_refused(  # type: ignore[no-untyped-def]
    cli, home: Path, services: tuple[Pki, TimestampServer], secret: Path, tmp_path: Path
) -> None:
    pki, tsa = services
    president, *_ = pki.pkcs12("Elena Colombo", "ec")
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    result = cli("minutes", CALL, "--out", str(out_dir / "verbale.pdf"), "--sign",
                 str(president), "--sign-passphrase-file", str(secret), "--timestamp-url",
                 tsa.url, "--level", "b-b", home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and result.err.startswith("error: Il livello B-B")
    assert result.err.count("\n") == 1
    assert snapshot_tree(out_dir) == {}


def test_an_unknown_level_is_a_usage_error(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("minutes", CALL, "--out", str(tmp_path / "v.pdf"), "--level", "b-xl",
                 home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 2 and "--level" in result.err
    assert not (tmp_path / "v.pdf").exists()
