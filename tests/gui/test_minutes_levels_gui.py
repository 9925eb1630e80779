"""The PAdES level in the GUI (pytest-qt, offscreen): the sign dialog offers
it and refuses a level that needs a time-stamp server without one; the
signatures table (minutes window and verify dialog) shows each signature's
level, read from a real B-LTA file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from app.services.minutes import Pkcs12Key, sign_minutes, verify_signatures
from tests.support.gui import save_screenshot
from tests.support.pki import P12_PASSPHRASE, CrlServer, Pki, TimestampServer

pytestmark = [pytest.mark.gui, pytest.mark.slow]

FIELDS = ["firma-01-presidente-elena-colombo", "firma-02-componente-marco-ferrari"]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pki, TimestampServer]]:
    with CrlServer() as crls:
        pki = Pki.create(tmp_path_factory.mktemp("gui-levels-pki"), crl_url=crls.url)
        crls.pki = pki
        with TimestampServer(pki) as tsa:
            yield pki, tsa


def _small_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(72, 720, "Verbale di prova")
    canvas.save()
    return buffer.getvalue()


def test_the_sign_dialog_offers_the_level(qtbot, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.minutes.sign_dialog import SignDialog

    pki, tsa = services
    path, *_ = pki.pkcs12("Elena Colombo", "rsa")
    dialog = SignDialog(FIELDS)
    qtbot.addWidget(dialog)
    dialog.show()
    levels = [dialog.level.itemData(i) for i in range(dialog.level.count())]
    assert levels == [None, "b-b", "b-t", "b-lt", "b-lta"]
    assert dialog.level.currentData() is None  # as before: B-T with a server, B-B without
    dialog.p12_path.setText(str(path))
    dialog.p12_passphrase.setText(P12_PASSPHRASE)
    dialog.level.setCurrentIndex(levels.index("b-lt"))

    # B-LT without a time-stamp server: refused in the dialog, which stays open.
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text() == (
        "Il livello B-LT richiede un server di marcatura temporale: indicane l'indirizzo."
    )
    dialog.resize(1366, 768)
    save_screenshot(dialog, "minutes-sign-dialog-level-refused")

    dialog.timestamp_url.setText(tsa.url)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    request = dialog.request()
    assert request.level == "b-lt" and request.timestamp_url == tsa.url
    assert isinstance(request.key, Pkcs12Key)


def test_the_signatures_table_shows_each_level(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    from app.ui.minutes.verify_dialog import SignaturesTable, signatures_panel

    pki, tsa = services
    key = Pkcs12Key(pki.pkcs12("Marco Ferrari", "ec")[0], P12_PASSPHRASE)
    signed = sign_minutes(_small_pdf(), key, timestamp_url=tsa.url, level="b-lta")
    table = SignaturesTable()
    status = QLabel()
    panel = signatures_panel(table, status)
    qtbot.addWidget(panel)
    table.show_reports(verify_signatures(signed.content, [pki.ca_pem]))
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    level = header.index("Livello")
    assert [table.item(row, level).text() for row in range(table.rowCount())] == [
        "B-LTA",
        "marca temporale del documento",
    ]
    assert [table.item(row, 0).text() for row in range(2)] == ["Marco Ferrari", "Vaglio Test TSA"]
    assert header[4:8] == ["Livello", "Integra", "Valida", "Attendibile"]
    status.setText(table.summary())
    panel.resize(1366, 300)
    panel.show()
    save_screenshot(panel, "minutes-signatures-levels")
