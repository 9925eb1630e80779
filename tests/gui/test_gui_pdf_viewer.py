"""The proposal's documents beside the scoring form (issue 15 finding 5): the
PDF viewer's zoom, pages and search on real PDFs, and the member's one view
with its orientation kept for the next time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from app.services.preferences import remembered_layout
from app.ui.proposals.pdf_viewer import PdfViewer
from tests.support.gui import make_window, save_screenshot
from tests.support.workspaces import FIXTURES, PASSPHRASE

pytestmark = pytest.mark.gui
PROPOSAL_PDF = FIXTURES / "attachments" / "P001-progetto.pdf"
# pdftotext finds «destinatari» 12 times in it (4 phases × 3), «Corvetto» once.
DESTINATARI = 12


def three_pages() -> bytes:
    """A PDF of three pages, each naming its number."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in (1, 2, 3):
        pdf.drawString(72, 720, f"Pagina numero {page} del piano economico")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def viewer(qtbot):  # type: ignore[no-untyped-def]
    widget = PdfViewer()
    qtbot.addWidget(widget)
    widget.resize(640, 560)
    widget.show()
    return widget


def test_zoom_in_and_out_and_the_fits(qtbot, viewer: PdfViewer) -> None:  # type: ignore[no-untyped-def]
    viewer.load(PROPOSAL_PDF.read_bytes())
    assert viewer.document.pageCount() == 1
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.fit_width_button.isChecked()
    viewer.set_zoom(1.0)
    viewer.zoom_in_button.click()
    assert viewer.zoom_factor() == pytest.approx(1.25)
    assert viewer.zoom_label.text() == "125%"
    assert not viewer.fit_width_button.isChecked()
    viewer.zoom_out()
    viewer.zoom_out()
    assert viewer.zoom_factor() == pytest.approx(0.8)
    for _step in range(20):  # never below the floor
        viewer.zoom_out()
    assert viewer.zoom_factor() == pytest.approx(0.25)
    viewer.fit_page_button.click()
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert viewer.fit_page_button.isChecked() and not viewer.fit_width_button.isChecked()
    viewer.fit_width()
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_the_zoom_keys(qtbot, viewer: PdfViewer) -> None:  # type: ignore[no-untyped-def]
    viewer.load(PROPOSAL_PDF.read_bytes())
    viewer.set_zoom(1.0)
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom_factor() == pytest.approx(1.25)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom_factor() == pytest.approx(1.0)


def test_page_navigation(qtbot, viewer: PdfViewer) -> None:  # type: ignore[no-untyped-def]
    viewer.load(three_pages())
    assert viewer.document.pageCount() == 3
    assert viewer.page_count_label.text() == "di 3"
    assert (viewer.page_box.minimum(), viewer.page_box.maximum()) == (1, 3)
    assert viewer.current_page() == 0
    viewer.next_page_button.click()
    assert viewer.current_page() == 1
    assert viewer.page_box.value() == 2
    viewer.page_box.setValue(3)
    assert viewer.current_page() == 2
    assert not viewer.next_page_button.isEnabled()
    viewer.step_page(1)  # past the last page: stays there
    assert viewer.current_page() == 2
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageUp)
    assert viewer.current_page() == 1
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageUp)
    assert viewer.current_page() == 0
    assert viewer.page_box.value() == 1
    assert not viewer.previous_page_button.isEnabled()
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageDown)
    assert viewer.current_page() == 1


def test_search_counts_and_steps_through_the_results(qtbot, viewer: PdfViewer) -> None:  # type: ignore[no-untyped-def]
    viewer.load(PROPOSAL_PDF.read_bytes())
    qtbot.keyClicks(viewer.search_box, "destinatari")
    qtbot.waitUntil(lambda: viewer.result_count() == DESTINATARI, timeout=10_000)
    assert viewer.result_label.text() == f"{DESTINATARI} trovati"
    viewer.next_result_button.click()
    assert viewer.view.currentSearchResultIndex() == 0
    assert viewer.result_label.text() == f"1 di {DESTINATARI}"
    qtbot.keyClick(viewer.search_box, Qt.Key.Key_F3)
    assert viewer.view.currentSearchResultIndex() == 1
    viewer.previous_result_button.click()
    viewer.previous_result_button.click()  # before the first: the last
    assert viewer.view.currentSearchResultIndex() == DESTINATARI - 1
    assert viewer.result_label.text() == f"{DESTINATARI} di {DESTINATARI}"
    save_screenshot(viewer, "pdf-viewer-search")
    viewer.search_box.setText("Corvetto")
    qtbot.waitUntil(lambda: viewer.result_count() == 1, timeout=10_000)
    viewer.search_box.setText("matchfunding")
    qtbot.waitUntil(lambda: viewer.result_label.text() == "nessun risultato", timeout=10_000)
    assert not viewer.next_result_button.isEnabled()
    viewer.search_box.clear()
    assert viewer.result_label.text() == ""


def test_an_empty_viewer_offers_nothing(viewer: PdfViewer) -> None:
    assert viewer.document.pageCount() == 0
    assert not viewer.search_box.isEnabled()
    assert not viewer.next_page_button.isEnabled()
    assert not viewer.zoom_in_button.isEnabled()


def test_the_member_reads_and_scores_in_one_view(qtbot, member_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = make_window(member_home, db_worker)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.proposals_loaded, timeout=10_000):
        main.show()
        main.start(PASSPHRASE)
    review = main.review
    # The documents and the form are the two sides of one splitter, both shown.
    assert review.widget(0) is main.detail and review.widget(1) is main.form_area
    assert main.form_area.widget() is main.desk.pane
    assert main.detail.isVisible() and main.desk.pane.isVisible()
    assert main.splitter.widget(1) is review
    assert all(size > 0 for size in review.sizes())
    assert review.orientation() == Qt.Orientation.Horizontal
    assert main.beside_action.isChecked()
    assert main.beside_action.shortcut().toString() == "Ctrl+Shift+O"
    main.table.selectRow(main.model.row_of("P001"))
    qtbot.waitUntil(lambda: main.detail.pdf_document.pageCount() > 0, timeout=10_000)
    save_screenshot(main, "member-side-by-side")
    # Turned one above the other: kept in the preferences for the next window.
    main.beside_action.trigger()
    assert review.orientation() == Qt.Orientation.Vertical
    kept = remembered_layout("splitter/member-review")
    assert kept is not None and kept[0] == 2
    qtbot.wait(50)
    save_screenshot(main, "member-documents-above-form")
    sizes = review.sizes()
    main.close()

    from app.ui.common.worker import DbWorker

    worker = DbWorker()  # closing a window ends its worker
    again = make_window(member_home, worker)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.proposals_loaded, timeout=10_000):
        again.show()
        again.start(PASSPHRASE)
    assert again.review.orientation() == Qt.Orientation.Vertical
    assert not again.beside_action.isChecked()
    assert again.review.sizes() == sizes
    again.set_documents_beside(True)
    assert remembered_layout("splitter/member-review")[0] == 1  # type: ignore[index]
    again.close()
