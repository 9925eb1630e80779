"""A PDF reader for a proposal's attachments: zoom, fit to width or page, page
navigation and search with a count of the results.

The keys: Ctrl++ and Ctrl+- zoom, Ctrl+Alt+W fits the width, Ctrl+Alt+P
the whole page; PgUp and PgDn turn the pages while the document has the
keyboard; Ctrl+Alt+F goes to the search box, F3 and Shift+F3 to the next and
previous result.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _

ZOOM_STEP = 1.25
ZOOM_MIN = 0.25
ZOOM_MAX = 5.0


class PdfViewer(QWidget):
    """One PDF document on screen, with its tools above it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(_("Attachment preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.search_model = QPdfSearchModel(self)
        self.search_model.setDocument(self.document)
        self.view.setSearchModel(self.search_model)

        self.zoom_out_button = self._tool("−", _("Zoom out (Ctrl+-)"))
        self.zoom_in_button = self._tool("+", _("Zoom in (Ctrl++)"))
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName(_("Zoom"))
        self.zoom_label.setMinimumWidth(44)
        self.fit_width_button = self._tool(_("Width"), _("Fit the page width (Ctrl+Alt+W)"))
        self.fit_page_button = self._tool(_("Page"), _("Fit the whole page (Ctrl+Alt+P)"))
        for button in (self.fit_width_button, self.fit_page_button):
            button.setCheckable(True)
        self.previous_page_button = self._tool("◀", _("Previous page (PgUp)"))
        self.next_page_button = self._tool("▶", _("Next page (PgDn)"))
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(_("Page number"))
        self.page_box.setKeyboardTracking(False)
        self.page_count_label = QLabel()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(_("Find in the document (Ctrl+Alt+F)"))
        self.search_box.setAccessibleName(_("Find in the document"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(120)
        self.previous_result_button = self._tool("▲", _("Previous result (Shift+F3)"))
        self.next_result_button = self._tool("▼", _("Next result (F3)"))
        self.result_label = QLabel()
        self.result_label.setAccessibleName(_("Search results"))

        # Two tool bars (view, find): what does not fit a narrow pane goes behind »
        self.tools = tools = QToolBar(_("Document"))
        tools.setObjectName("pdf-tools")
        widget: QWidget
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            tools.addWidget(widget)
        tools.addSeparator()
        for widget in (
            self.previous_page_button,
            self.page_box,
            self.page_count_label,
            self.next_page_button,
        ):
            tools.addWidget(widget)
        self.find_bar = QToolBar(_("Find"))
        self.find_bar.setObjectName("pdf-find")
        for widget in (
            self.search_box,
            self.previous_result_button,
            self.next_result_button,
            self.result_label,
        ):
            self.find_bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tools)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)

        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.fit_width_button.clicked.connect(self.fit_width)
        self.fit_page_button.clicked.connect(self.fit_page)
        self.previous_page_button.clicked.connect(lambda: self.step_page(-1))
        self.next_page_button.clicked.connect(lambda: self.step_page(1))
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.search_box.textChanged.connect(self.search)
        self.previous_result_button.clicked.connect(lambda: self.step_result(-1))
        self.next_result_button.clicked.connect(lambda: self.step_result(1))
        self.search_box.returnPressed.connect(lambda: self.step_result(1))
        self.search_model.countChanged.connect(self._show_results)
        self.view.currentSearchResultIndexChanged.connect(self._show_results)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.document.statusChanged.connect(self._document_changed)

        window_wide = Qt.ShortcutContext.WindowShortcut
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.zoom_in_action = self._shortcut(
            self.zoom_in, window_wide, QKeySequence.StandardKey.ZoomIn, "Ctrl+="
        )
        self.zoom_out_action = self._shortcut(
            self.zoom_out, window_wide, QKeySequence.StandardKey.ZoomOut
        )
        self._shortcut(self.fit_width, window_wide, "Ctrl+Alt+W")
        self._shortcut(self.fit_page, window_wide, "Ctrl+Alt+P")
        self._shortcut(lambda: self.step_page(-1), here, "PgUp")
        self._shortcut(lambda: self.step_page(1), here, "PgDown")
        self._shortcut(self.focus_search, window_wide, "Ctrl+Alt+F")
        self._shortcut(lambda: self.step_result(1), window_wide, QKeySequence.StandardKey.FindNext)
        self._shortcut(
            lambda: self.step_result(-1), window_wide, QKeySequence.StandardKey.FindPrevious
        )
        self._document_changed()

    # -- construction ------------------------------------------------------------------

    @staticmethod
    def _tool(text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setStatusTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        return button

    def _shortcut(self, slot: Any, context: Qt.ShortcutContext, *keys: Any) -> QAction:
        action = QAction(self)
        sequences: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                sequences.extend(QKeySequence.keyBindings(key))
            else:
                sequences.append(QKeySequence(key))
        action.setShortcuts(sequences)
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- the document ------------------------------------------------------------------

    def load(self, content: bytes) -> None:
        """Show the PDF in ``content`` from its first page."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(content))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.search(self.search_box.text())

    def clear(self) -> None:
        self.document.close()
        self._document_changed()

    def _document_changed(self, *_args: Any) -> None:
        pages = self.document.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1 if pages else 0, max(pages, 0))
        self.page_box.setValue(1 if pages else 0)
        self.page_box.blockSignals(False)
        self.page_count_label.setText(_("of {pages}").format(pages=pages))
        for widget in (
            self.page_box,
            self.previous_page_button,
            self.next_page_button,
            self.search_box,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            widget.setEnabled(pages > 0)
        self._show_zoom()
        self._show_results()

    # -- zoom --------------------------------------------------------------------------

    def zoom_factor(self) -> float:
        return float(self.view.zoomFactor())

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(ZOOM_MAX, max(ZOOM_MIN, factor)))

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_factor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def _show_zoom(self, *_args: Any) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.zoom_factor() * 100)}%")

    # -- pages -------------------------------------------------------------------------

    def current_page(self) -> int:
        """The page on screen, from 0."""
        return int(self.view.pageNavigator().currentPage())

    def go_to_page(self, page: int) -> None:
        pages = self.document.pageCount()
        if pages <= 0:
            return
        page = min(pages - 1, max(0, page))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())

    def step_page(self, delta: int) -> None:
        self.go_to_page(self.current_page() + delta)

    def _show_page(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        pages = self.document.pageCount()
        self.previous_page_button.setEnabled(page > 0)
        self.next_page_button.setEnabled(page < pages - 1)

    # -- search ------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        self.search_model.setSearchString(text.strip())
        self.view.setCurrentSearchResultIndex(-1)
        self._show_results()

    def result_count(self) -> int:
        return int(self.search_model.count())

    def step_result(self, delta: int) -> None:
        count = self.result_count()
        if not count:
            return
        index = (self.view.currentSearchResultIndex() + delta) % count
        if self.view.currentSearchResultIndex() < 0 and delta < 0:
            index = count - 1
        self.view.setCurrentSearchResultIndex(index)
        link = self.search_model.resultAtIndex(index)
        navigator = self.view.pageNavigator()
        navigator.jump(link.page(), link.location(), navigator.currentZoom())

    def _show_results(self, *_args: Any) -> None:
        searching = bool(self.search_model.searchString())
        count = self.result_count()
        current = self.view.currentSearchResultIndex()
        if not searching:
            text = ""
        elif not count:
            text = _("not found")
        elif current >= 0:
            text = _("{current} of {count}").format(current=current + 1, count=count)
        else:
            text = _("{count} found").format(count=count)
        self.result_label.setText(text)
        for button in (self.previous_result_button, self.next_result_button):
            button.setEnabled(count > 0)
