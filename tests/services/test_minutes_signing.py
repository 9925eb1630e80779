"""PAdES signatures on the minutes: two signers in sequence, a time-stamp from
a TSA on loopback, pyHanko and poppler's pdfsig as two independent
validators, byte flips in the signed ranges, and every refusal."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.errors import VaglioError
from app.services.minutes import (
    Pkcs12Key,
    make_minutes,
    sign_minutes,
    signature_fields,
    verify_signatures,
)
from tests.support.minutes import CALL, approved_demo, open_home, pdfsig
from tests.support.pki import P12_PASSPHRASE, Pki, TimestampServer
from tests.support.workspaces import ARTIFACTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unsigned(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    home = approved_demo(demo_template, tmp_path_factory.mktemp("signing") / "demo")
    ws = open_home(home)
    try:
        return make_minutes(ws, CALL).content
    finally:
        ws.close()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def signers(pki: Pki) -> dict[str, Path]:
    return {
        "president": pki.pkcs12("Elena Colombo", "rsa")[0],
        "secretary": pki.pkcs12("Chiara Marelli", "ec")[0],
        "member": pki.pkcs12("Marco Ferrari", "ec")[0],
    }


@pytest.fixture(scope="module")
def two_signed(unsigned: bytes, signers: dict[str, Path]) -> bytes:
    first = sign_minutes(unsigned, Pkcs12Key(signers["president"], P12_PASSPHRASE))
    second = sign_minutes(first.content, Pkcs12Key(signers["secretary"], P12_PASSPHRASE))
    assert first.field == "firma-01-presidente-elena-colombo"
    assert second.field.startswith("firma-04-segretario-dott-ssa-chiara-marelli")
    return second.content


def test_two_signers_in_sequence_both_hold_for_pyhanko(two_signed: bytes, pki: Pki) -> None:
    reports = verify_signatures(two_signed, [pki.ca_pem])
    assert [r.signer for r in reports] == ["Elena Colombo", "Chiara Marelli"]
    first, second = reports
    for report in reports:
        assert report.intact and report.valid and report.trusted and report.sound, report
        assert report.signing_time is not None and not report.problem
    # The first covers its own revision; what came after is a signature in a field.
    assert first.coverage == "entire_revision" and first.modifications == "form_filling"
    assert second.coverage == "entire_file" and second.modifications == "none"
    assert first.revision < second.revision
    fields = dict(signature_fields(two_signed))
    assert sum(fields.values()) == 2 and len(fields) == 4


def test_two_signers_in_sequence_both_hold_for_pdfsig(two_signed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "verbale-firmato.pdf"
    path.write_bytes(two_signed)
    out = pdfsig(path)
    sections = re.split(r"Signature #\d+:", out)[1:]
    # pdfsig lists the empty fields too ("The signature form field is not signed").
    assert sum("is not signed" in text for text in sections) == 2, out
    signatures = [text for text in sections if "Signature Validation" in text]
    assert len(signatures) == 2, out
    for text in signatures:
        assert "Signature is Valid." in text, out
        assert "ETSI.CAdES.detached" in text
    assert "Not total document signed" in signatures[0]
    assert "Total document signed" in signatures[1] and "Not total" not in signatures[1]
    assert "Elena Colombo" in signatures[0]
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "minutes-signed.pdf")
    # The page with the signature blocks, as printed, for people to look at.
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", pages.stdout).group(1))  # type: ignore[union-attr]
    for page in range(count - 1, count + 1):
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", "-f", str(page), "-l", str(page), str(path),
             str(ARTIFACTS / "minutes-signed")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip


def test_without_the_root_nobody_is_trusted_but_all_is_intact(two_signed: bytes) -> None:
    reports = verify_signatures(two_signed)
    assert all(r.intact and r.valid and not r.trusted for r in reports)


def _signed_ranges(content: bytes) -> list[tuple[int, int]]:
    ranges = []
    for match in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", content):
        a, b, c, d = (int(x) for x in match.groups())
        ranges += [(a, a + b), (c, c + d)]
    return ranges


def test_any_byte_flipped_in_a_signed_range_is_reported(two_signed: bytes, pki: Pki) -> None:
    ranges = _signed_ranges(two_signed)
    assert len(ranges) == 4
    rng = random.Random(2026)
    offsets = {rng.randrange(start, end) for start, end in ranges for _ in range(30)}
    # Also the first and last bytes of each range, and the trailer's region.
    offsets |= {start for start, _end in ranges} | {end - 1 for _start, end in ranges}
    caught = {"refused": 0, "not intact": 0, "altered after": 0, "missing": 0}
    for offset in sorted(offsets):
        damaged = bytearray(two_signed)
        damaged[offset] ^= 0x01
        try:
            reports = verify_signatures(bytes(damaged), [pki.ca_pem])
        except VaglioError:
            caught["refused"] += 1
            continue
        if len(reports) < 2:
            caught["missing"] += 1
        elif not all(r.intact and r.valid for r in reports):
            caught["not intact"] += 1
        elif not all(r.sound for r in reports):
            caught["altered after"] += 1
        else:
            pytest.fail(f"a flipped byte at {offset} went unnoticed")
    assert sum(caught.values()) == len(offsets) >= 100
    assert caught["not intact"] > len(offsets) // 2, caught


def test_pdfsig_also_sees_a_flipped_byte(two_signed: bytes, tmp_path: Path) -> None:
    (start, end), *_rest = _signed_ranges(two_signed)
    damaged = bytearray(two_signed)
    # A byte inside the first revision's page content: covered by both signatures.
    damaged[(start + end) // 2] ^= 0x01
    path = tmp_path / "alterato.pdf"
    path.write_bytes(bytes(damaged))
    out = pdfsig(path)
    assert out.count("Signature is Valid.") == 0, out
    assert "Digest Mismatch" in out or "Invalid" in out


def test_a_time_stamp_from_a_tsa_on_loopback(unsigned: bytes, signers, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    with TimestampServer(pki) as tsa:
        signed = sign_minutes(
            unsigned, Pkcs12Key(signers["member"], P12_PASSPHRASE), timestamp_url=tsa.url
        )
        assert tsa.requests >= 1  # pyHanko asks once more to size the signature
    assert signed.field == "firma-02-componente-marco-ferrari"
    (report,) = verify_signatures(signed.content, [pki.ca_pem])
    assert report.intact and report.valid and report.trusted
    assert report.timestamp is not None and report.signing_time is not None
    assert abs((report.timestamp - report.signing_time).total_seconds()) < 120


def test_an_unreachable_time_stamp_server_signs_nothing(unsigned: bytes, signers) -> None:  # type: ignore[no-untyped-def]
    from app.reports.signing_errors import TimestampError

    with pytest.raises(TimestampError) as refusal:
        sign_minutes(
            unsigned,
            Pkcs12Key(signers["member"], P12_PASSPHRASE),
            timestamp_url="http://127.0.0.1:9/tsa",
        )
    assert "non è stato firmato nulla" in str(refusal.value)


def test_an_ed25519_key_signs_with_sha512(unsigned: bytes, pki: Pki) -> None:
    path = pki.pkcs12("Sara Esposito", "ed25519")[0]
    signed = sign_minutes(unsigned, Pkcs12Key(path, P12_PASSPHRASE))
    (report,) = verify_signatures(signed.content, [pki.ca_pem])
    assert report.intact and report.valid and report.trusted
    assert signed.field == "firma-03-componente-sara-esposito"


def test_a_signer_beyond_the_blocks_gets_a_field_of_their_own(
    two_signed: bytes, signers: dict[str, Path], pki: Pki
) -> None:
    # A qualified certificate often reads SURNAME NAME: it still finds its block.
    reversed_name, *_ = pki.pkcs12("FERRARI MARCO", "ec")
    content = sign_minutes(two_signed, Pkcs12Key(reversed_name, P12_PASSPHRASE)).content
    assert dict(signature_fields(content))["firma-02-componente-marco-ferrari"]
    # Signing again, or someone on no block: a field of their own, never another's block.
    stranger, *_ = pki.pkcs12("Giulia Bianchi", "ec")
    content = sign_minutes(content, Pkcs12Key(reversed_name, P12_PASSPHRASE)).content
    content = sign_minutes(content, Pkcs12Key(stranger, P12_PASSPHRASE)).content
    fields = signature_fields(content)
    assert [name for name, _signed in fields][-2:] == ["firma-05-aggiunta", "firma-06-aggiunta"]
    assert dict(fields)["firma-03-componente-sara-esposito"] is False
    reports = verify_signatures(content, [pki.ca_pem])
    assert len(reports) == 5 and all(r.sound and r.trusted for r in reports)


def test_refusals(unsigned: bytes, two_signed: bytes, signers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.reports.signing_errors import (
        FieldTakenError,
        NotAPdfError,
        Pkcs12Error,
        TrustRootError,
        UnknownFieldError,
    )

    key = Pkcs12Key(signers["member"], P12_PASSPHRASE)
    with pytest.raises(Pkcs12Error, match="controlla la passphrase"):
        sign_minutes(unsigned, Pkcs12Key(signers["member"], "sbagliata"))
    with pytest.raises(Pkcs12Error):
        sign_minutes(unsigned, Pkcs12Key(tmp_path / "manca.p12", P12_PASSPHRASE))
    with pytest.raises(FieldTakenError, match="è già firmato"):
        sign_minutes(two_signed, key, field="firma-01-presidente-elena-colombo")
    with pytest.raises(UnknownFieldError, match="non ha il campo di firma"):
        sign_minutes(unsigned, key, field="firma-99")
    with pytest.raises(NotAPdfError, match="non è un PDF leggibile"):
        sign_minutes(b"non un pdf", key)
    with pytest.raises(NotAPdfError):
        verify_signatures(b"%PDF-1.7\nniente altro")
    not_a_certificate = tmp_path / "radice.pem"
    not_a_certificate.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(TrustRootError, match="non è un certificato"):
        verify_signatures(two_signed, [not_a_certificate])
    assert verify_signatures(unsigned) == []


def test_signing_inside_a_running_event_loop(unsigned: bytes, signers, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    async def inside() -> list[object]:
        signed = sign_minutes(unsigned, Pkcs12Key(signers["member"], P12_PASSPHRASE))
        return list(verify_signatures(signed.content, [pki.ca_pem]))

    (report,) = asyncio.run(inside())
    assert report.intact and report.trusted  # type: ignore[attr-defined]


def test_a_page_changed_after_signing_does_not_hold(
    two_signed: bytes,
    pki: Pki,
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(two_signed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (Annullato) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    reports = verify_signatures(out.getvalue(), [pki.ca_pem])
    assert reports and all(r.intact and r.valid for r in reports)  # the bytes they signed
    assert not any(r.sound for r in reports)  # …but a page changed after them
    path = tmp_path / "modificato.pdf"
    path.write_bytes(out.getvalue())
    result = cli("signatures", str(path), "--trust", str(pki.ca_pem))
    assert result.code == 1, result.out
    # Untrusted signers fail the check when the roots are named.
    good = tmp_path / "firmato.pdf"
    good.write_bytes(two_signed)
    assert cli("signatures", str(good), "--trust", str(pki.ca_pem)).code == 0
    other = Pki.create(tmp_path / "altra", "Another Root CA").ca_pem
    assert cli("signatures", str(good), "--trust", str(other)).code == 1


def test_a_damaged_pdf_is_refused_with_a_sentence_not_a_traceback(
    unsigned: bytes,
    signers,
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    # Overwrite the objects around the signature fields' widgets: the file still
    # opens, but what signing needs to read no longer does.
    damaged = bytearray(unsigned)
    where = unsigned.index(b"/FT /Sig") if b"/FT /Sig" in unsigned else unsigned.index(b"/Sig")
    damaged[where - 1000 : where + 1000] = b"x" * 2000
    path = tmp_path / "rovinato.pdf"
    path.write_bytes(bytes(damaged))
    out = tmp_path / "firmato.pdf"
    secret = tmp_path / "pass"
    secret.write_text(P12_PASSPHRASE, encoding="utf-8")
    result = cli("sign", str(path), "--out", str(out), "--sign", str(signers["member"]),
                 "--sign-passphrase-file", str(secret), passphrase=None)  # fmt: skip
    assert result.code == 1 and result.err.startswith("error: "), result.err
    assert "Traceback" not in result.err and not out.exists()
