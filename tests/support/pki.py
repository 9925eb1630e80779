"""A test PKI for signing the minutes: a CA, signers in PKCS#12 files, a
SoftHSM2 token, an RFC 3161 time-stamp server on loopback, and (for PAdES
B-LT) a CRL served over HTTP on loopback, named in every certificate the CA
issues when it is made with ``crl_url``.

Everything is made with ``cryptography`` in a temporary folder; nothing
leaves the test run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

P12_PASSPHRASE = "passphrase della firma"
SO_PIN = "12345678"
USER_PIN = "246810"
TOKEN_LABEL = "vaglio-test"
SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Comune di Prova"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=not signing,
        crl_sign=not signing, encipher_only=False, decipher_only=False,
    )  # fmt: skip


@dataclass
class Pki:
    """The test CA and helpers to issue certificates from it."""

    folder: Path
    ca_key: Any
    ca_cert: x509.Certificate
    crl_url: str | None = None

    @classmethod
    def create(
        cls, folder: Path, name: str = "Vaglio Test Root CA", crl_url: str | None = None
    ) -> Pki:
        folder.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        pki = cls(folder, key, cert, crl_url)
        pki.ca_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return pki

    @property
    def ca_pem(self) -> Path:
        return self.folder / "ca.pem"

    def issue(self, common_name: str, key: Any, *, timestamping: bool = False) -> x509.Certificate:
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(_usage(True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), False
            )
        )
        if self.crl_url:
            point = x509.DistributionPoint(
                [x509.UniformResourceIdentifier(self.crl_url)], None, None, None
            )
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), False)
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        return builder.sign(self.ca_key, hashes.SHA256())

    def crl(self) -> bytes:
        """The CA's CRL (nobody revoked), DER, valid from an hour ago for a day."""
        now = dt.datetime.now(dt.UTC)
        return (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca_cert.subject)
            .last_update(now - dt.timedelta(hours=1))
            .next_update(now + dt.timedelta(days=1))
            .add_extension(x509.CRLNumber(1), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), False
            )
            .sign(self.ca_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER)
        )

    def pkcs12(self, common_name: str, kind: str = "ec") -> tuple[Path, Any, x509.Certificate]:
        """A PKCS#12 file (passphrase ``P12_PASSPHRASE``) for a new signer."""
        key: Any
        if kind == "rsa":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif kind == "ed25519":
            key = ed25519.Ed25519PrivateKey.generate()
        else:
            key = ec.generate_private_key(ec.SECP256R1())
        cert = self.issue(common_name, key)
        path = self.folder / f"{common_name.replace(' ', '-').lower()}-{kind}.p12"
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                common_name.encode(), key, cert, [self.ca_cert],
                serialization.BestAvailableEncryption(P12_PASSPHRASE.encode()),
            )
        )  # fmt: skip
        return path, key, cert


# -- SoftHSM2 ----------------------------------------------------------------------


def softhsm_module() -> str | None:
    return next((m for m in SOFTHSM_MODULES if Path(m).is_file()), None)


def make_token(pki: Pki, folder: Path, common_name: str, label: str = "firma") -> dict[str, str]:
    """A SoftHSM2 token holding a signer's key and certificate; the environment to use it.

    The configuration lives in ``folder`` (SOFTHSM2_CONF), so the developer's
    own tokens are never touched.
    """
    module = softhsm_module()
    assert module is not None and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
        "--so-pin", SO_PIN, "--pin", USER_PIN)  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.issue(common_name, key)
    key_file = folder / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    run("softhsm2-util", "--import", str(key_file), "--token", TOKEN_LABEL, "--label", label,
        "--id", "01", "--pin", USER_PIN)  # fmt: skip
    key_file.unlink()
    cert_file = folder / "cert.der"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    run("pkcs11-tool", "--module", module, "--token-label", TOKEN_LABEL, "--login",
        "--pin", USER_PIN, "--write-object", str(cert_file), "--type", "cert",
        "--id", "01", "--label", label)  # fmt: skip
    return {"SOFTHSM2_CONF": str(conf), "module": module}


# -- an RFC 3161 time-stamp server on loopback ------------------------------------------


class _LoopbackServer:
    """An ``http.server`` on 127.0.0.1 in a thread, for a ``with`` block; the
    subclass gives the handler and the path it answers at."""

    path = "/"

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


class TimestampServer(_LoopbackServer):
    """pyHanko's test TSA behind ``http.server`` on 127.0.0.1 (a real HTTP exchange)."""

    path = "/tsa"

    def __init__(self, pki: Pki) -> None:
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA
        cert = pki.issue("Vaglio Test TSA", key, timestamping=True)
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                from asn1crypto import tsp

                length = int(self.headers.get("Content-Length", "0"))
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                response = server.stamper.request_tsa_response(request).dump()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args: Any) -> None:
                pass

        self._serve(Handler)


# -- the CA's CRL over HTTP on loopback ------------------------------------------------


class CrlServer(_LoopbackServer):
    """Serves the CRL of a :class:`Pki` at :attr:`url` (``http.server`` on 127.0.0.1).

    Start it before the CA (its address goes into every certificate):
    ``with CrlServer() as crls: pki = Pki.create(folder, crl_url=crls.url); crls.pki = pki``.
    """

    path = "/ca.crl"

    def __init__(self) -> None:
        self.pki: Pki | None = None
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if server.pki is None or self.path != CrlServer.path:
                    self.send_error(404)
                    return
                body = server.pki.crl()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._serve(Handler)
