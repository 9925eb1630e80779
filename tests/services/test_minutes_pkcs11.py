"""Signing the minutes through PKCS#11 with a SoftHSM2 token, end to end:
token made in a private SOFTHSM2_CONF, key and certificate imported with
softhsm2-util and pkcs11-tool, signature checked by pyHanko and pdfsig."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.minutes import Pkcs11Key, make_minutes, sign_minutes, verify_signatures
from tests.support.minutes import CALL, approved_demo, open_home, pdfsig
from tests.support.pki import TOKEN_LABEL, USER_PIN, Pki, make_token, softhsm_module

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        softhsm_module() is None and not os.environ.get("CI"),
        reason="SoftHSM2 is not installed (.ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pki, str]]:
    folder = tmp_path_factory.mktemp("pkcs11")
    pki = Pki.create(folder / "pki")
    env = make_token(pki, folder / "softhsm", "Elena Colombo")
    # SoftHSM reads its configuration when the module is first initialised.
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = env["SOFTHSM2_CONF"]
    yield pki, env["module"]
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("pkcs11-demo") / "demo")


@pytest.fixture(scope="module")
def unsigned(approved_home: Path) -> bytes:
    ws = open_home(approved_home)
    try:
        return make_minutes(ws, CALL).content
    finally:
        ws.close()


def test_a_token_signs_the_minutes(token, unsigned: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pki, module = token
    signed = sign_minutes(unsigned, Pkcs11Key(module, USER_PIN, TOKEN_LABEL))
    assert signed.signer == "Elena Colombo"
    assert signed.field == "firma-01-presidente-elena-colombo"
    (report,) = verify_signatures(signed.content, [pki.ca_pem])
    assert report.intact and report.valid and report.trusted and report.whole_file
    path = tmp_path / "firmato-con-token.pdf"
    path.write_bytes(signed.content)
    out = pdfsig(path)
    assert "Signature is Valid." in out and "Total document signed" in out, out
    # The same key by its label, after a file signature by someone else.
    again = sign_minutes(signed.content, Pkcs11Key(module, USER_PIN, TOKEN_LABEL, "firma"))
    reports = verify_signatures(again.content, [pki.ca_pem])
    assert len(reports) == 2 and all(r.sound and r.trusted for r in reports)


def test_token_refusals(token, unsigned: bytes) -> None:  # type: ignore[no-untyped-def]
    from app.reports.signing_errors import (
        Pkcs11ModuleError,
        TokenKeyError,
        TokenNotFoundError,
        TokenPinError,
    )

    _pki, module = token
    with pytest.raises(TokenPinError, match="ha rifiutato il PIN"):
        sign_minutes(unsigned, Pkcs11Key(module, "000000", TOKEN_LABEL))
    with pytest.raises(TokenNotFoundError, match="«altro»"):
        sign_minutes(unsigned, Pkcs11Key(module, USER_PIN, "altro"))
    with pytest.raises(TokenKeyError, match="«nessuna»"):
        sign_minutes(unsigned, Pkcs11Key(module, USER_PIN, TOKEN_LABEL, "nessuna"))
    with pytest.raises(Pkcs11ModuleError, match="file inesistente"):
        sign_minutes(unsigned, Pkcs11Key("/nessun/modulo.so", USER_PIN))


def test_the_cli_signs_with_the_token(cli, token, approved_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.demo import DEMO_PASSPHRASE

    pki, module = token
    pin = tmp_path / "pin.txt"
    pin.write_text(USER_PIN + "\n", encoding="utf-8")
    out = tmp_path / "verbale.pdf"
    result = cli("minutes", CALL, "--out", str(out), "--pkcs11", module, "--token", TOKEN_LABEL,
                 "--pin-file", str(pin), home=approved_home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "Firmato da Elena Colombo nel campo firma-01-presidente-elena-colombo." in result.out
    result = cli("signatures", str(out), "--trust", str(pki.ca_pem), passphrase=None)
    assert result.code == 0 and "integra, valida e attendibile" in result.out
