"""The main window: the call's proposals, a search box, and the selected proposal.

The window appears at once; unlocking and loading run on the database worker
and fill it in. Nothing here touches the database on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from app import __version__
from app.errors import VaglioError
from app.i18n import _
from app.services.errors import role_label
from app.ui.backend import Backend, LockedError
from app.ui.proposal_detail import ProposalDetailPane
from app.ui.proposal_model import ProposalTableModel
from app.ui.unlock_dialog import UnlockDialog
from app.ui.worker import DbWorker

if TYPE_CHECKING:
    from app.services.views import CallView, IdentityView, ProposalRow

SEARCH_DELAY_MS = 80


class MainWindow(QMainWindow):
    """One window per workspace."""

    unlocked = Signal()
    proposals_loaded = Signal(int)  # number of rows, for tests and the start-up probe

    def __init__(self, backend: Backend, worker: DbWorker, parent: Any = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.worker = worker
        self.identity: IdentityView | None = None
        self.call_id: str | None = None
        self.current_proposal: str | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.setWindowTitle("Vaglio")
        self.resize(1280, 800)

        self.model = ProposalTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Proposals"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((64, 300, 240, 170, 220, 110, 110, 90)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._restore_selection)

        self.detail = ProposalDetailPane()
        self.detail.attachment_requested.connect(self._load_attachment)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 520])
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self._build_toolbar()
        self._build_menus()
        self.count_label = QLabel()
        self.identity_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.identity_label)
        self.worker.busy_changed.connect(self._busy_changed)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(SEARCH_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self._set_locked_look(_("Opening the workspace…"))

    # -- construction ----------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar(_("Proposals"))
        bar.setObjectName("proposals-toolbar")
        bar.setMovable(False)
        self.call_box = QComboBox()
        self.call_box.setAccessibleName(_("Call"))
        self.call_box.setMinimumContentsLength(42)
        self.call_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.call_box.currentIndexChanged.connect(self._call_chosen)
        call_label = QLabel(_("&Call:") + " ")
        call_label.setBuddy(self.call_box)
        bar.addWidget(call_label)
        bar.addWidget(self.call_box)
        spacer = QWidget()
        spacer.setMinimumWidth(16)
        bar.addWidget(spacer)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search proposals (Ctrl+F)"))
        self.search.setAccessibleName(_("Search proposals"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(lambda _text: self._filter_timer.start())
        bar.addWidget(self.search)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(_("&View"))
        find = QAction(_("&Search"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        view_menu.addAction(find)
        refresh = QAction(_("&Reload"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.reload)
        view_menu.addAction(refresh)

        help_menu = self.menuBar().addMenu(_("&Help"))
        about = QAction(_("&About Vaglio"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    # -- unlocking -------------------------------------------------------------

    def start(self, secret: str | None = None) -> None:
        """Unlock with ``secret``, or try the keyring, or ask."""
        backend = self.backend
        if secret is not None:
            self.worker.submit(lambda: backend.unlock(secret), self._unlocked, self._ask_secret)
            return

        def keyring_first() -> object:
            return backend.unlock(None) if backend.has_keyring_slot() else None

        self.worker.submit(
            keyring_first,
            lambda identity: self._unlocked(identity) if identity else self._ask_secret(None),
            self._ask_secret,
        )

    def _ask_secret(self, error: BaseException | None) -> None:
        if error is not None and not isinstance(error, VaglioError):
            raise error
        note = str(error) if error is not None else ""
        self._set_locked_look(_("The workspace is locked."))
        self.unlock_dialog = UnlockDialog(self.backend, self.worker, self, note=note)
        self.unlock_dialog.unlocked.connect(self._unlocked)
        self.unlock_dialog.rejected.connect(self._unlock_cancelled)
        self.unlock_dialog.open()

    def _unlock_cancelled(self) -> None:
        if not self.backend.unlocked:
            self.close()

    def _unlocked(self, identity: IdentityView) -> None:
        self.identity = identity
        self.identity_label.setText(
            f"{identity.name} · {role_label(identity.role).capitalize()} · "
            f"{identity.fingerprint[:14]}"
        )
        self.lock_action.setEnabled(True)
        self.splitter.setEnabled(True)
        self.search.setEnabled(True)
        self.unlocked.emit()
        self.reload()

    def lock(self) -> None:
        """Close the database and ask for the secret again."""
        backend = self.backend
        self.model.set_rows([])
        self.detail.show_detail(None)
        self.worker.submit(backend.lock, lambda _result: self._ask_secret(None))

    def _set_locked_look(self, message: str) -> None:
        self.count_label.setText(message)
        self.lock_action.setEnabled(False)
        self.splitter.setEnabled(False)
        self.search.setEnabled(False)

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        """Load the calls, then the current call's proposals."""
        self.worker.submit(self.backend.calls, self._calls_loaded, self._show_error)

    def _calls_loaded(self, call_views: list[CallView]) -> None:
        previous = self.call_id
        self.call_box.blockSignals(True)
        self.call_box.clear()
        for view in call_views:
            self.call_box.addItem(f"{view.id} — {view.title}", view.id)
        self.call_box.blockSignals(False)
        if not call_views:
            self.call_id = None
            self.model.set_rows([])
            self.count_label.setText(_("No calls in this workspace yet."))
            self.proposals_loaded.emit(0)
            return
        index = max(0, self.call_box.findData(previous)) if previous else 0
        self.call_box.setCurrentIndex(index)
        self._call_chosen(index)

    def _call_chosen(self, index: int) -> None:
        call_id = self.call_box.itemData(index)
        if call_id is None:
            return
        self.call_id = str(call_id)
        self.setWindowTitle(f"Vaglio — {self.call_box.itemText(index)}")
        backend = self.backend
        self.worker.submit(
            lambda: backend.proposals(str(call_id)), self._proposals_loaded, self._show_error
        )

    def _proposals_loaded(self, rows: list[ProposalRow]) -> None:
        self.model.set_rows(rows)
        self._update_count()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.proposals_loaded.emit(len(rows))

    def _update_count(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        text = _("{total} proposals, {inadmissible} not admissible").format(
            total=total, inadmissible=self.model.inadmissible
        )
        if shown != total:
            text += " · " + _("{shown} shown").format(shown=shown)
        self.count_label.setText(text)

    def _apply_filter(self) -> None:
        self.model.set_filter(self.search.text())
        self._update_count()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _restore_selection(self) -> None:
        if self.current_proposal is None:
            return
        row = self.model.row_of(self.current_proposal)
        if row >= 0:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)
            self.table.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self.call_id is None:
            return
        row = self.model.row_at(indexes[0].row())
        if row.id == self.current_proposal:
            return
        self.current_proposal = row.id
        backend, call_id = self.backend, self.call_id
        self.worker.submit(
            lambda: backend.proposal_detail(call_id, row.id),
            self.detail.show_detail,
            self._show_error,
        )

    def _load_attachment(self, attachment_id: int) -> None:
        backend = self.backend
        self.worker.submit(
            lambda: backend.attachment(attachment_id),
            lambda content: self.detail.show_pdf(attachment_id, content),
            self._show_error,
        )

    # -- feedback --------------------------------------------------------------

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, LockedError):
            return  # work queued before a lock: nothing to tell
        if not isinstance(error, VaglioError):
            raise error
        box = QMessageBox(QMessageBox.Icon.Warning, "Vaglio", str(error), parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            _("About Vaglio"),
            _("Vaglio {version}\nEvaluation of civic crowdfunding calls.").format(
                version=__version__
            ),
        )

    def closeEvent(self, event: Any) -> None:
        # Close the database on its own thread, then let the worker finish.
        self.worker.submit(self.backend.lock)
        self.worker.shutdown()
        super().closeEvent(event)
