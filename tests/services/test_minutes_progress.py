"""The minutes and their signature tell their progress and stop on request
(issue 16, item 4). The minutes are laid out in memory and written at the
end, atomically: a Stop leaves no file, no temporary file, an existing target
byte for byte as it was and the audit log unchanged. A signature stops
between its phases (pyHanko signs in one call that cannot be interrupted
inside). Each stop is set from the progress callback at a given text, so the
tests are deterministic (no threads, no sleeps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent
from app.services.minutes import (
    Pkcs12Key,
    make_minutes,
    sign_file,
    sign_minutes,
    signature_fields,
    write_minutes,
)
from app.services.minutes_errors import MinutesStoppedError, SigningStoppedError
from app.services.steps import Cancel, StepStoppedError
from app.services.unlocking import OpenWorkspace
from tests.support.minutes import CALL, approved_demo, open_home
from tests.support.pki import P12_PASSPHRASE, Pki, TimestampServer

pytestmark = pytest.mark.slow

MINUTES_STOPPED = "Verbale di MI-CC-2020 interrotto: non è stato scritto nulla."
SIGNING_STOPPED = "Firma interrotta: non è stato firmato né scritto nulla."


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("progress") / "demo")


@pytest.fixture
def office(approved_home: Path) -> Iterator[OpenWorkspace]:
    ws = open_home(approved_home)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def unsigned(approved_home: Path) -> bytes:
    ws = open_home(approved_home)
    try:
        return make_minutes(ws, CALL).content
    finally:
        ws.close()


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pki, Pkcs12Key]:
    pki = Pki.create(tmp_path_factory.mktemp("pki"))
    return pki, Pkcs12Key(pki.pkcs12("Marco Ferrari", "ec")[0], P12_PASSPHRASE)


def stop_at(cancel: Cancel, marker: str, heard: list[str]) -> Callable[[str], None]:
    def progress(text: str) -> None:
        heard.append(text)
        if marker in text:
            cancel.set()

    return progress


def audit_lines(ws: OpenWorkspace) -> int:
    with ws.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- the minutes ---------------------------------------------------------------


def test_the_minutes_tell_their_phases_and_pages_and_stay_the_same_bytes(
    office: OpenWorkspace, unsigned: bytes
) -> None:
    heard: list[str] = []
    pdf = make_minutes(office, CALL, progress=heard.append)
    assert pdf.content == unsigned  # watching changes nothing in the document
    assert heard[:2] == ["Lettura della graduatoria approvata…", "Impaginazione del verbale…"]
    assert "Pagina 1…" in heard
    assert any(t.startswith("Pagina 5 (proposta ") and t.endswith(" di 37)…") for t in heard)
    assert f"Numerazione delle pagine: {pdf.pages} di {pdf.pages}…" in heard
    assert heard[-1] == "Aggiunta dei campi di firma…"


@pytest.mark.parametrize(
    "marker",
    [
        "Pagina 10",  # while the proposals are laid out
        "Numerazione delle pagine: 1 di",  # while the pages are numbered
        "Aggiunta dei campi di firma",  # the last phase before the file
    ],
)
def test_stopped_minutes_leave_the_existing_file_as_it_was(
    office: OpenWorkspace, tmp_path: Path, marker: str
) -> None:
    target = tmp_path / "verbale.pdf"
    target.write_bytes(b"%PDF-1.7 the minutes printed yesterday\n")
    before, lines = folder_state(tmp_path), audit_lines(office)
    cancel = Cancel()
    heard: list[str] = []
    with pytest.raises(MinutesStoppedError) as stopped:
        write_minutes(office, CALL, target, progress=stop_at(cancel, marker, heard), cancel=cancel)
    assert isinstance(stopped.value, StepStoppedError)
    assert str(stopped.value) == MINUTES_STOPPED
    assert marker in heard[-1]  # stopped at the next page, not at the end
    assert folder_state(tmp_path) == before  # no temporary file, the old minutes intact
    assert audit_lines(office) == lines


def test_minutes_stopped_before_a_new_file_leave_no_file(
    office: OpenWorkspace, tmp_path: Path
) -> None:
    cancel = Cancel()
    with pytest.raises(MinutesStoppedError):
        write_minutes(
            office,
            CALL,
            tmp_path / "verbale.pdf",
            progress=stop_at(cancel, "Pagina 5", []),
            cancel=cancel,
        )
    assert list(tmp_path.iterdir()) == []


def test_minutes_signed_as_they_are_written_stop_after_the_signing_call(
    office: OpenWorkspace, tmp_path: Path, signer: tuple[Pki, Pkcs12Key]
) -> None:
    target = tmp_path / "verbale.pdf"
    lines = audit_lines(office)
    cancel = Cancel()
    heard: list[str] = []
    with pytest.raises(MinutesStoppedError) as stopped:
        write_minutes(
            office,
            CALL,
            target,
            key=signer[1],
            progress=stop_at(cancel, "Verifica della firma", heard),
            cancel=cancel,
        )
    assert str(stopped.value) == MINUTES_STOPPED
    assert heard[-4:] == [
        "Lettura del documento…",
        "Apertura della chiave di firma…",
        "Firma in corso…",
        "Verifica della firma…",
    ]
    assert list(tmp_path.iterdir()) == []
    assert audit_lines(office) == lines
    # Unstopped, the same call writes the signed minutes.
    heard.clear()
    written = write_minutes(office, CALL, target, key=signer[1], progress=heard.append)
    assert written.signed_by == "Marco Ferrari"
    assert heard[-2:] == ["Verifica della firma…", "Scrittura del file…"]
    assert dict(signature_fields(target.read_bytes()))["firma-02-componente-marco-ferrari"]


# -- the signature -------------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    ["Lettura del documento", "Apertura della chiave", "Firma in corso", "Verifica della firma"],
)
def test_a_signature_stops_between_its_phases_and_writes_nothing(
    unsigned: bytes, tmp_path: Path, signer: tuple[Pki, Pkcs12Key], marker: str
) -> None:
    source = tmp_path / "verbale.pdf"
    source.write_bytes(unsigned)
    target = tmp_path / "verbale-firmato.pdf"
    target.write_bytes(b"an older signed copy")
    before = folder_state(tmp_path)
    cancel = Cancel()
    heard: list[str] = []
    with pytest.raises(SigningStoppedError) as stopped:
        sign_file(source, target, signer[1], progress=stop_at(cancel, marker, heard), cancel=cancel)
    assert str(stopped.value) == SIGNING_STOPPED
    assert marker in heard[-1]  # the phase announced when Stop came did not run on
    assert folder_state(tmp_path) == before


def test_a_stop_before_the_time_stamp_never_asks_the_server(
    unsigned: bytes, signer: tuple[Pki, Pkcs12Key]
) -> None:
    pki, key = signer
    cancel = Cancel()
    heard: list[str] = []
    with TimestampServer(pki) as tsa:
        with pytest.raises(SigningStoppedError):
            sign_minutes(
                unsigned,
                key,
                timestamp_url=tsa.url,
                progress=stop_at(cancel, "Marca temporale", heard),
                cancel=cancel,
            )
        assert tsa.requests == 0
    assert heard[-1] == f"Marca temporale da {tsa.url}…"


def test_a_time_stamped_signature_tells_each_phase(
    unsigned: bytes, signer: tuple[Pki, Pkcs12Key]
) -> None:
    pki, key = signer
    heard: list[str] = []
    with TimestampServer(pki) as tsa:
        signed = sign_minutes(unsigned, key, timestamp_url=tsa.url, progress=heard.append)
    assert signed.field == "firma-02-componente-marco-ferrari"
    phases = list(dict.fromkeys(heard))  # pyHanko asks the server twice (to size the signature)
    assert phases == [
        "Lettura del documento…",
        "Apertura della chiave di firma…",
        "Firma in corso…",
        f"Marca temporale da {tsa.url}…",
        "Verifica della firma…",
    ]
