"""The main window: the call's proposals, a search box, and the selected proposal.

The window appears at once; unlocking and loading run on the database worker
and fill it in. For the secretariat the list shows admissibility; for a
commission member it is the desk (status, own review order, own score) and the
right side shows the proposal's documents and the scoring form side by side
(or one above the other) in one splitter. Nothing here touches the database
on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.errors import VaglioError
from app.i18n import _, current_language
from app.labels import SHEET_STATUSES, role_label, sheet_status_label
from app.services.unlocking import NoSecretError
from app.ui.common.disabled import enable, set_tip
from app.ui.common.empty_hint import EmptyHint
from app.ui.common.failure import report
from app.ui.common.ops import Ops
from app.ui.common.screen_fit import fit_to_screen, keep_splitter, save_splitter
from app.ui.common.table_model import FilteredTableModel
from app.ui.proposals.proposal_detail import ProposalDetailPane
from app.ui.proposals.proposal_model import ProposalTableModel
from app.ui.shell import help_menu, live_refresh
from app.ui.shell.idle import IdleWatcher
from app.ui.shell.settings_dialog import SettingsDialog
from app.ui.shell.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from app.services.changes import Changes
    from app.services.first_rows import FirstRows
    from app.services.unlocking import OpenWorkspace
    from app.services.views import CallView, DeskView, IdentityView, ProposalDetail, ProposalRow
    from app.ui.desk.desk_controller import DeskController
    from app.ui.exchange.exchange_menu import ExchangeController
    from app.ui.shell.head_start import HeadStart

SEARCH_DELAY_MS = 80
SECRETARIAT_WIDTHS = (64, 300, 240, 170, 220, 110, 110, 90)
MEMBER_WIDTHS = (40, 104, 64, 300, 170, 220, 110, 90)


# The use cases this window runs (imported when they run, on the worker).


def idle_lock_minutes(ws: OpenWorkspace) -> int:
    from app.services.settings import IDLE_LOCK_MINUTES, get_setting

    return int(get_setting(ws, IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(ws: OpenWorkspace, minutes: int) -> Changes:
    from app.services.settings import IDLE_LOCK_MINUTES, set_setting

    return set_setting(ws, IDLE_LOCK_MINUTES, minutes)


def list_calls(ws: OpenWorkspace) -> list[CallView]:
    from app.services.calls import list_calls

    return list_calls(ws)


def list_proposals(ws: OpenWorkspace, call_id: str) -> list[ProposalRow]:
    from app.services.proposals import list_proposals

    return list_proposals(ws, call_id)


def proposal_detail(ws: OpenWorkspace, call_id: str, proposal_id: str) -> ProposalDetail:
    from app.services.proposals import proposal_detail

    return proposal_detail(ws, call_id, proposal_id)


def attachment_content(ws: OpenWorkspace, attachment_id: int) -> bytes:
    from app.services.proposals import attachment_content

    return attachment_content(ws, attachment_id)


class MainWindow(QMainWindow):
    """One window per workspace."""

    unlocked = Signal()
    proposals_loaded = Signal(int)  # number of rows, for tests and the start-up probe
    first_rows_listed = Signal(int)  # the same, listed before the unlock was done
    language_changed = Signal(str)

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.worker = ops.worker
        self.identity: IdentityView | None = None
        self.call_id: str | None = None
        self.current_proposal: str | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.desk: DeskController | None = None
        self.exchange: ExchangeController | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.integrity_dialog: Any = None
        self._handed_over = False
        self.setWindowTitle("Vaglio")
        fit_to_screen(self, 1280, 680)

        self.proposal_model = ProposalTableModel(self)
        self.model: FilteredTableModel[Any] = self.proposal_model
        self.table = QTableView()
        self.table.setAccessibleName(_("Proposals"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.installEventFilter(self)
        self.empty_hint = EmptyHint(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._use_model(self.proposal_model, SECRETARIAT_WIDTHS)

        self.detail = ProposalDetailPane()
        self.detail.attachment_requested.connect(self._load_attachment)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.detail, _("&Proposal"))
        self.tabs.setAccessibleName(_("Selected proposal"))

        self.banner = QWidget()
        banner_layout = QVBoxLayout(self.banner)
        self.banner_text = QLabel(
            _(
                "Before you start: make the declaration of no incompatibility for this call "
                "(Ctrl+Shift+D)."
            )
        )
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton(_("Read and make the &general declaration…"))
        banner_layout.addWidget(self.banner_text)
        banner_layout.addWidget(self.banner_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.banner.setStyleSheet("background: #fff4d6;")
        self.banner.setVisible(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([740, 580])
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_menus()
        self.count_label = QLabel()
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName(_("Progress"))
        self.identity_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.identity_label)
        self.worker.busy_changed.connect(self._busy_changed)
        self.ops.changed.connect(self._changed)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(SEARCH_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.live_refresh = live_refresh.install(self)  # changes made by the CLI show
        self._set_locked_look(_("Opening the workspace…"))

    # -- construction ----------------------------------------------------------

    def _use_model(self, model: FilteredTableModel[Any], widths: tuple[int, ...]) -> None:
        self.model = model
        self.table.setModel(model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.modelReset.connect(self._restore_selection)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        if hasattr(self, "empty_hint"):
            self.empty_hint.watch_model()
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

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
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(lambda _text: self._filter_timer.start())
        bar.addWidget(self.search)
        self.status_box = QComboBox()
        self.status_box.setAccessibleName(_("Show proposals by status"))
        self.status_box.addItem(_("All statuses"), "")
        for status in SHEET_STATUSES:
            self.status_box.addItem(sheet_status_label(status), status)
        self.status_box.currentIndexChanged.connect(self._status_filter_changed)
        self.status_action = bar.addWidget(self.status_box)
        self.status_action.setVisible(False)
        self.addToolBar(bar)
        self.toolbar = bar

    def _action(self, menu: Any, text: str, slot: Any, *shortcuts: Any) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.file_menu = file_menu
        self.settings_action = self._action(
            file_menu, _("&Settings…"), self.open_settings, "Ctrl+,"
        )
        self.lock_action = self._action(file_menu, _("&Lock"), self.lock, "Ctrl+L")
        file_menu.addSeparator()
        self._action(file_menu, _("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu(_("&Edit"))
        self.edit_menu = edit_menu

        view_menu = self.menuBar().addMenu(_("&View"))
        self.view_menu = view_menu
        self._action(view_menu, _("&Search"), self._focus_search, QKeySequence.StandardKey.Find)
        self._action(view_menu, _("&Reload"), self.reload, QKeySequence.StandardKey.Refresh)
        view_menu.addSeparator()
        self.next_action = self._action(
            view_menu, _("&Next proposal"), lambda: self._step(1), "Ctrl+PgDown", "Alt+Down"
        )
        self.previous_action = self._action(
            view_menu, _("&Previous proposal"), lambda: self._step(-1), "Ctrl+PgUp", "Alt+Up"
        )
        self._action(view_menu, _("Proposal &details"), lambda: self._show_tab(0), "Ctrl+1")
        self.evaluation_tab_action = self._action(
            view_menu, _("&Evaluation"), lambda: self._show_tab(1), "Ctrl+2"
        )
        self._action(view_menu, _("Proposal &list"), self.table.setFocus, "Ctrl+0")

        self.member_menu = self.menuBar().addMenu(_("&Commission"))
        self.general_action = self._action(
            self.member_menu,
            _("&General declaration…"),
            lambda: self.desk.make_general_declaration() if self.desk else None,
            "Ctrl+Shift+D",
        )
        self.member_menu.menuAction().setVisible(False)

        self.tools_menu = self.menuBar().addMenu(_("&Tools"))
        self.integrity_action = self._action(
            self.tools_menu, _("Check &integrity…"), self.check_integrity
        )
        set_tip(self.integrity_action, _("Check the audit log and the database of this workspace."))
        enable(self.integrity_action, False, _("The workspace is locked: unlock it first."))
        self.audit_log_action = self._action(
            self.tools_menu, _("&Audit log…"), self.show_audit_log, "Ctrl+Shift+H"
        )
        set_tip(
            self.audit_log_action,
            _("Every operation recorded in this workspace, and whether its chain is intact."),
        )
        enable(self.audit_log_action, False, _("Unlock the workspace to read its audit log."))

        self.help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.install(self)
        self.about_action = self._action(self.help_menu, _("&About Vaglio"), self._about)
        for menu in (file_menu, edit_menu, view_menu, self.member_menu, self.tools_menu,
                     self.help_menu):  # fmt: skip
            menu.setToolTipsVisible(True)  # a disabled entry's tip says why

    def add_menu(self, title: str) -> Any:
        """A new menu, placed before Tools and Help."""
        menu = QMenu(title, self)
        menu.setToolTipsVisible(True)  # a disabled entry's tip says why
        self.menuBar().insertMenu(self.tools_menu.menuAction(), menu)
        return menu

    def check_integrity(self) -> None:
        """Open the integrity dialog, which checks the workspace on the worker."""
        from app.ui.tools.integrity_dialog import IntegrityDialog

        self.integrity_dialog = IntegrityDialog(self.ops, self)
        self.integrity_dialog.open()
        self.integrity_dialog.run()

    def show_audit_log(self) -> None:
        """Open the audit log of this workspace (Tools → Audit log)."""
        from app.ui.tools.audit_log_dialog import open_audit_log

        open_audit_log(self)

    # -- unlocking -------------------------------------------------------------

    def start(self, secret: str | None = None, head_start: HeadStart | None = None) -> None:
        """Unlock with ``secret``, or try the keyring, or ask.

        With a ``head_start`` (a cold start from the keyring) the proposals are
        listed first, read without the database layer, and the unlock follows;
        its own list replaces them, keeping the selection and the filter.
        """
        if head_start is None:
            self.ops.unlock(self, secret, self._unlocked, self._ask_secret)
            return

        def listed(found: FirstRows | None) -> None:
            self._first_rows(found)
            # After the first paint: the unlock's imports would delay it.
            QTimer.singleShot(0, lambda: self.start(secret))

        head_start.hand_to(listed)

    def _first_rows(self, found: FirstRows | None) -> None:
        if found is None or self.identity is not None or self.call_id is not None:
            return
        self.call_box.blockSignals(True)
        self.call_box.addItem(f"{found.call_id} — {found.call_title}", found.call_id)
        self.call_box.blockSignals(False)
        self.call_id = found.call_id
        self.setWindowTitle(f"Vaglio — {self.call_box.itemText(0)}")
        self.splitter.setEnabled(True)
        self.search.setEnabled(True)
        self.model.set_rows(found.rows)
        self._update_count()
        if self.model.rowCount():
            # Selected without asking for its detail, which needs the unlock:
            # the unlock's own list selects it again and shows it.
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(0)
            self.table.selectionModel().blockSignals(False)
            self.detail.show_pending(self.model.row_at(0))
        self.first_rows_listed.emit(len(found.rows))

    def _forget_first_rows(self) -> None:
        """The unlock failed after the first rows were listed: list nothing."""
        if self.identity is None and self.call_id is not None:
            self.call_box.blockSignals(True)
            self.call_box.clear()
            self.call_box.blockSignals(False)
            self.call_id = None
            self.current_proposal = None
            self.setWindowTitle("Vaglio")
            self.model.set_rows([])

    def _ask_secret(self, error: BaseException | None) -> None:
        if error is not None and not isinstance(error, VaglioError):
            raise error
        # No secret and no keyring slot is no news: the dialog asks for one. An
        # unsafe keyring refused is: the note says why the passphrase is needed.
        if isinstance(error, NoSecretError):
            note = error.note
        else:
            note = "" if error is None else str(error)
        self._forget_first_rows()
        self._set_locked_look(_("The workspace is locked."))
        self.unlock_dialog = UnlockDialog(self.ops, self, note=note)
        self.unlock_dialog.unlocked.connect(self._unlocked)
        self.unlock_dialog.rejected.connect(self._unlock_cancelled)
        self.unlock_dialog.open()

    def _unlock_cancelled(self) -> None:
        if not self.ops.unlocked:
            self.close()

    def _unlocked(self, identity: IdentityView) -> None:
        self.identity = identity
        self.identity_label.setText(
            f"{identity.name} · {role_label(identity.role).capitalize()} · "
            f"{identity.fingerprint[:14]}"
        )
        if self.exchange is None:
            from app.ui.exchange.exchange_menu import ExchangeController

            self.exchange = ExchangeController(self)
            self.exchange.configure(identity.role)
        if identity.role == "member" and self.desk is None:
            from app.ui.desk import (
                deadline_label,
                sending_indicator,
                sheet_action,
                sheet_workbook_dialog,
            )
            from app.ui.exchange import purge_dialog
            from app.ui.welcome import join_dialog

            self._become_member_desk()
            join_dialog.install(self)
            self.purge = purge_dialog.install(self)
            sheet_action.install(self)
            sheet_workbook_dialog.install(self)
            deadline_label.install(self)
            sending_indicator.install(self)
        elif identity.role == "secretariat" and getattr(self, "secretariat_menu", None) is None:
            from app.ui.minutes import minutes_menu
            from app.ui.setup import secretariat_menu

            secretariat_menu.install(self)
            minutes_menu.install(self)
        enable(self.lock_action, True)
        enable(self.integrity_action, True)
        enable(self.audit_log_action, True)
        self.splitter.setEnabled(True)
        self.search.setEnabled(True)
        self.ops.run(self, idle_lock_minutes, self.idle.start, lambda _error: None)
        self.unlocked.emit()
        self.reload()

    def _become_member_desk(self) -> None:
        from app.ui.desk.desk_controller import DeskController

        self.desk = DeskController(self.ops, self)
        self._use_model(self.desk.model, MEMBER_WIDTHS)
        self._build_review()
        self.status_action.setVisible(True)
        self.member_menu.menuAction().setVisible(True)
        self.banner_button.clicked.connect(self.desk.make_general_declaration)
        self.desk.desk_loaded.connect(self._desk_loaded)
        undo = self.desk.undo_group.createUndoAction(self, _("&Undo"))
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.desk.undo_group.createRedoAction(self, _("&Redo"))
        redo.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        group = self.desk.undo_group
        for action, signal, why in (
            (undo, group.canUndoChanged, _("Nothing to undo on this proposal.")),
            (redo, group.canRedoChanged, _("Nothing to redo on this proposal.")),
        ):
            action.setStatusTip("" if action.isEnabled() else why)
            signal.connect(lambda can, a=action, w=why: a.setStatusTip("" if can else w))
        self.undo_action, self.redo_action = undo, redo

    def _build_review(self) -> None:
        """The documents and the scoring form in one view: a splitter replaces the tabs."""
        assert self.desk is not None
        self.review = QSplitter(Qt.Orientation.Horizontal)
        self.review.setObjectName("review-splitter")
        self.review.setAccessibleName(_("Selected proposal"))
        self.review.setChildrenCollapsible(False)
        self.review.addWidget(self.detail)
        # The form scrolls as a whole when the documents take most of the height.
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setWidget(self.desk.pane)
        self.review.addWidget(self.form_area)
        self.detail.show()  # the tab widget left it hidden
        self.review.setStretchFactor(0, 3)
        self.review.setStretchFactor(1, 2)
        self.review.setSizes([440, 580])
        self.splitter.replaceWidget(1, self.review)
        self.tabs.setParent(self)
        self.tabs.hide()
        self.splitter.setSizes([310, 970])
        keep_splitter(self.splitter, "member-list")
        keep_splitter(self.review, "member-review")
        self.beside_action = QAction(_("Documents &beside the evaluation sheet"), self)
        self.beside_action.setCheckable(True)
        self.beside_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.beside_action.setStatusTip(
            _("Show the proposal's documents beside the evaluation sheet, or above it")
        )
        self.beside_action.setChecked(self.review.orientation() == Qt.Orientation.Horizontal)
        self.beside_action.toggled.connect(self.set_documents_beside)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.beside_action)

    def set_documents_beside(self, beside: bool) -> None:
        """Documents beside the form (``True``) or above it; kept for the next time."""
        self.review.setOrientation(Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical)
        total = (self.review.width() if beside else self.review.height()) or 1000
        share = round(total * (0.43 if beside else 0.62))  # the documents' part
        self.review.setSizes([share, total - share])
        inner = sum(self.detail.splitter.sizes())
        facts = 200 if beside else 110  # the proposal's facts above its documents
        self.detail.splitter.setSizes([facts, max(inner - facts, facts)])
        self.beside_action.setChecked(beside)
        save_splitter(self.review)

    def lock(self) -> None:
        """Close the database and ask for the secret again."""
        if not self.ops.unlocked:
            return
        if self.desk is not None:
            self.desk.flush()
        self.idle.stop()
        self.live_refresh.stop()
        self.model.set_rows([])
        self.detail.show_detail(None)
        if self.desk is not None:
            self.desk.pane.show_sheet(None)
        self.current_proposal = None
        self.ops.lock(self, lambda _result: self._ask_secret(None))

    def _set_locked_look(self, message: str) -> None:
        self.count_label.setText(message)
        self.progress_label.clear()
        locked = _("The workspace is locked: unlock it first.")
        enable(self.lock_action, False, locked)
        enable(self.integrity_action, False, locked)
        enable(self.audit_log_action, False, _("Unlock the workspace to read its audit log."))
        self.splitter.setEnabled(False)
        self.search.setEnabled(False)

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        """Load the calls, then the current call's proposals."""
        self.ops.run(self, list_calls, self._calls_loaded, self._show_error)

    def _changed(self, changes: Changes) -> None:
        """Another screen (or a sync) changed the calls or their proposals: show it."""
        if self.ops.unlocked and (changes.calls or changes.proposals):
            self.reload()

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
            self._update_empty_hint()
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
        if self.desk is not None:
            self.desk.load(self.call_id)
            return
        self.ops.run(
            self,
            lambda ws: list_proposals(ws, str(call_id)),
            self._proposals_loaded,
            self._show_error,
        )

    def _proposals_loaded(self, rows: list[ProposalRow]) -> None:
        self.model.set_rows(rows)
        self._after_rows()
        self.proposals_loaded.emit(len(rows))

    def _desk_loaded(self, desk: DeskView) -> None:
        first = self.model.rowCount() and not self.table.selectionModel().hasSelection()
        self.banner.setVisible(not desk.general_declared)
        # Whether it is ready to submit, and sent, the sending state says beside.
        text = _("{done} of {count} scored").format(done=desk.complete, count=desk.scorable)
        self.progress_label.setText(text)
        self._update_count()
        if first:
            self._after_rows()
            self.proposals_loaded.emit(len(desk.rows))

    def _after_rows(self) -> None:
        self._update_count()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _update_count(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        if isinstance(self.model, ProposalTableModel):
            text = _("{total} proposals, {inadmissible} not admissible").format(
                total=total, inadmissible=self.model.inadmissible
            )
        else:
            text = _("{total} proposals").format(total=total)
        if shown != total:
            text += " · " + _("{shown} shown").format(shown=shown)
        self.count_label.setText(text)
        self._update_empty_hint()

    def _update_empty_hint(self) -> None:
        from app.ui.proposals.empty_list import proposal_list_hint

        role = self.identity.role if self.identity is not None else ""
        has_call, total, shown = self.call_id is not None, self.model.total, self.model.rowCount()
        hint = proposal_list_hint(role, has_call=has_call, total=total, shown=shown)
        self.empty_hint.set_text(hint if self.ops.unlocked else "")

    def _apply_filter(self) -> None:
        self.model.set_filter(self.search.text())
        self._update_count()

    def _status_filter_changed(self) -> None:
        wanted = self.status_box.currentData()
        self.model.set_acceptor(lambda row: not wanted or row.status == wanted)
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

    def _proposal_id(self, row: Any) -> str:
        return str(row.proposal.id if hasattr(row, "proposal") else row.id)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self.call_id is None:
            return
        proposal_id = self._proposal_id(self.model.row_at(indexes[0].row()))
        if proposal_id == self.current_proposal:
            return
        self.current_proposal = proposal_id
        call_id = self.call_id
        self.ops.run(
            self,
            lambda ws: proposal_detail(ws, call_id, proposal_id),
            self.detail.show_detail,
            self._show_error,
        )
        if self.desk is not None:
            self.desk.show_proposal(proposal_id)

    def _step(self, delta: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.model.row_of(self.current_proposal) if self.current_proposal else -1
        target = min(rows - 1, max(0, current + delta))
        self.table.selectRow(target)
        self.table.scrollTo(self.model.index(target, 0))

    def _show_tab(self, index: int) -> None:
        if self.desk is not None:  # one view: put the keyboard on its part
            if index == 0:
                self.detail.viewer.view.setFocus()
            else:
                self.desk.pane.focus_current()
            return
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            if index == 1 and self.desk is not None:
                self.desk.pane.focus_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.desk is not None
        ):
            self._show_tab(1)
            return True
        return super().eventFilter(watched, event)

    def _load_attachment(self, attachment_id: int) -> None:
        self.ops.run(
            self,
            lambda ws: attachment_content(ws, attachment_id),
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
        self.error_box = report(self, error)

    def _about(self) -> None:
        from app.ui.shell.about import show_about

        self.about_box = show_about(self)

    # -- settings --------------------------------------------------------------

    def open_settings(self) -> None:
        """Show the settings, starting from this workspace's idle lock."""
        if not self.ops.unlocked:
            return
        self.ops.run(self, idle_lock_minutes, self._show_settings, self._show_error)

    def _show_settings(self, minutes: int) -> None:
        dialog = SettingsDialog(minutes, self)
        self.settings_dialog = dialog

        def apply() -> None:
            chosen = dialog.chosen_idle_minutes()
            if chosen != minutes:
                self.ops.run(
                    self,
                    lambda ws: set_idle_lock_minutes(ws, chosen),
                    lambda _result: self.idle.start(chosen),
                    self._show_error,
                )
            if dialog.chosen_language() != current_language():
                self.language_changed.emit(dialog.chosen_language())

        dialog.accepted.connect(apply)
        dialog.open()

    def hand_over_to(self, other: MainWindow) -> None:
        """Give the unlocked workspace to a new window (after a language change)."""
        if self.desk is not None:
            self.desk.flush()
        self._handed_over = True
        other.call_id = self.call_id
        previous = self.current_proposal
        if self.identity is not None:
            other.show()
            other._unlocked(self.identity)
            if previous:
                other.select_when_loaded(previous)
        self.close()

    def select_when_loaded(self, proposal_id: str) -> None:
        def select(_rows: int) -> None:
            self.proposals_loaded.disconnect(select)
            row = self.model.row_of(proposal_id)
            if row >= 0:
                self.table.selectRow(row)

        self.proposals_loaded.connect(select)

    def closeEvent(self, event: Any) -> None:
        # The watcher filters every event of the application: a closed
        # window's must not go on running after it.
        self.idle.stop()
        if self._handed_over:
            super().closeEvent(event)
            return
        if self.desk is not None:
            self.desk.flush()
        # Close the database on its own thread, then let the worker finish.
        self.ops.lock()
        self.worker.shutdown()
        super().closeEvent(event)
