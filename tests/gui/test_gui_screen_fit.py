"""Every window and dialog of the GUI fits a 1366×768 laptop (issue 15).

The test session's offscreen screen is 1366×768 (tests/conftest.py); a panel
takes about 40 pixels, so each window's frame must fit 1366×728. Each screen
is opened on the demo (the secretariat's with its ranking approved, and a
member's), given time to load, checked and saved under
tests/artifacts/screens/NAME.png for people to look at.

``SCREENS`` names every window class of app/ui; a new dialog class that is
not listed fails ``test_every_window_class_is_listed``. Adding one is one
line: ``Screen("name", "module:Class", secretariat_dialog)`` when its
constructor is ``(ops, parent)``, or an opener of its own.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.services.preferences import remember_layout
from app.ui.common.screen_fit import TARGET
from tests.support.gui import ARTIFACTS, make_window, on_worker
from tests.support.minutes import CALL, approved_demo

pytestmark = pytest.mark.gui
APP_UI = Path(__file__).resolve().parents[2] / "app" / "ui"
SCREENS_DIR = ARTIFACTS / "screens"
WINDOW_BASES = {"QDialog", "QMainWindow", "QWizard", "QMessageBox", "QFileDialog"}


@dataclass
class Desk:
    """What the openers work with: the two unlocked main windows."""

    qtbot: Any
    secretariat: Any
    member: Any
    tmp: Path


@dataclass(frozen=True)
class Screen:
    name: str
    target: str  # "module:Class", the class the opener shows
    open: Callable[[Desk, type], QWidget]
    role: str = "secretariat"


def settle(desk: Desk) -> None:
    """Let the worker finish what the screen asked for, and the layouts settle."""
    for window in (desk.secretariat, desk.member):
        desk.qtbot.waitUntil(lambda w=window: w.worker.pending == 0, timeout=30_000)
    QApplication.processEvents()
    desk.qtbot.wait(50)
    QApplication.processEvents()


def run(desk: Desk, window: Any, op: Callable[[Any], Any]) -> Any:
    return on_worker(desk.qtbot, window, op)


# -- openers ------------------------------------------------------------------------


def secretariat_dialog(desk: Desk, cls: type) -> QWidget:
    """A dialog whose constructor is ``(ops, parent)``, over the secretariat's window."""
    dialog = cls(desk.secretariat.ops, desk.secretariat)
    dialog.show()
    for name in ("load", "run", "refresh"):
        method = getattr(dialog, name, None)
        if callable(method):
            try:
                method(CALL) if name == "load" else method()
            except TypeError:
                continue
            break
    return dialog


def member_dialog(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.member.ops, desk.member)
    dialog.show()
    if callable(getattr(dialog, "load", None)):
        dialog.load(desk.member.call_id)
    return dialog


def call_dialog(desk: Desk, cls: type) -> QWidget:
    """A dialog whose constructor is ``(ops, call_id, parent)``."""
    dialog = cls(desk.secretariat.ops, CALL, desk.secretariat)
    dialog.show()
    if callable(getattr(dialog, "load", None)):
        dialog.load()
    return dialog


def main_window_secretariat(desk: Desk, _cls: type) -> QWidget:
    return desk.secretariat


def main_window_member(desk: Desk, _cls: type) -> QWidget:
    desk.member.table.selectRow(0)
    return desk.member


def ranking_view(desk: Desk) -> Any:
    from app.services.ranking import ranking_view

    return run(desk, desk.secretariat, lambda ws: ranking_view(ws, CALL))


def ranking(desk: Desk, _cls: type) -> QWidget:
    desk.secretariat.ranking.show_ranking()
    dialog = desk.secretariat.ranking.ranking_dialog
    desk.qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    return dialog  # type: ignore[no-any-return]


def drill_down(desk: Desk, cls: type) -> QWidget:
    from app.services.ranking import drill_down

    view = ranking_view(desk)
    proposal = view.ranked[0].proposal if hasattr(view, "ranked") else "P038"
    detail = run(desk, desk.secretariat, lambda ws: drill_down(ws, CALL, str(proposal)))
    dialog = cls(detail, 2, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def with_ranking_view(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.secretariat.ops, ranking_view(desk), desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def funding(desk: Desk, _cls: type) -> QWidget:
    desk.secretariat.ranking.show_funding()
    dialog = desk.secretariat.ranking.funding_dialog
    desk.qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    return dialog  # type: ignore[no-any-return]


def minutes(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.secretariat.ops, CALL, desk.secretariat)
    dialog.show()
    dialog.make()
    desk.qtbot.waitUntil(lambda: bool(dialog.content), timeout=60_000)
    return dialog  # type: ignore[no-any-return]


def call_editor(desk: Desk, cls: type) -> QWidget:
    from app.ui.setup.secretariat_menu import definition_form

    form = run(desk, desk.secretariat, lambda ws: definition_form(ws, CALL))
    dialog = cls(desk.secretariat.ops, form, call_id=CALL, parent=desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def enrolment(desk: Desk, cls: type) -> QWidget:
    from app.services.cards import export_card
    from app.ui.setup.enrollment_dialog import read_card_files

    card = desk.tmp / "tessera.vaglio-card"
    card.write_bytes(run(desk, desk.member, export_card))
    cards = run(desk, desk.secretariat, lambda ws: read_card_files(ws, CALL, [card]))
    dialog = cls(desk.secretariat.ops, CALL, cards, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def publish(desk: Desk, cls: type) -> QWidget:
    from app.ui.setup.publish_dialog import publish_info

    info = run(desk, desk.secretariat, lambda ws: publish_info(ws, CALL))
    dialog = cls(desk.secretariat.ops, info, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def admissibility(desk: Desk, cls: type) -> QWidget:
    from app.ui.setup.secretariat_menu import proposal_detail

    detail = run(desk, desk.secretariat, lambda ws: proposal_detail(ws, CALL, "P027"))
    dialog = cls(desk.secretariat.ops, CALL, detail, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def same_name(desk: Desk, cls: type) -> QWidget:
    existing = "3F2A 91C4 0B7E 55D2 A1C9 7E40 2B6F 11D8 90AA C3E5"
    new = "7D10 4E2B 9C33 0A8F 6B21 D4E7 51C0 2F9A 8E64 B7D3"
    dialog = cls("Marco Ferrari", CALL, existing, new, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def substitute(desk: Desk, cls: type) -> QWidget:
    from app.ui.exchange.substitute_dialog import load_choices

    choices = run(desk, desk.secretariat, lambda ws: load_choices(ws, CALL, "P014"))
    why = "P014 ha 2 valutazioni su 3: Sara Esposito ha dichiarato un conflitto di interessi."
    dialog = cls(desk.secretariat.ops, choices, why, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def intake_notice(desk: Desk, cls: type) -> QWidget:
    from app.ui.exchange.intake_notice import CONFLICT, REFUSED, WITHDRAWAL, NoticeLine

    lines = [
        NoticeLine(CONFLICT, f"Marco Ferrari ha dichiarato un conflitto di interessi su P0{n}.")
        for n in range(10, 16)
    ] + [
        NoticeLine(WITHDRAWAL, "Elena Colombo ha ritirato la dichiarazione di conflitto su P021."),
        NoticeLine(REFUSED, "busta-000003.vaglio: la firma non corrisponde alla tessera."),
    ]
    dialog = cls(lines, office=True, parent=desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def sign(desk: Desk, cls: type) -> QWidget:
    dialog = cls(["segretario verbalizzante", "luogo della seduta"], desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def settings(desk: Desk, cls: type) -> QWidget:
    dialog = cls(15, desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def unlock(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.secretariat.ops, None, note="")
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def workspace_chooser(desk: Desk, cls: type) -> QWidget:
    from app.services.preferences import known_workspaces, remember_workspace

    remember_workspace(desk.tmp / "demo" / "commissario-3", "Sara Esposito", "member")
    remember_workspace(desk.tmp / "demo" / "segreteria", "Segreteria tecnica", "secretariat")
    known = known_workspaces()
    dialog = cls(known, known[0].path if known else None)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def about(desk: Desk, _cls: type) -> QWidget:
    from app.ui.shell.about import show_about

    return show_about(desk.secretariat)


def save_document(desk: Desk, _cls: type) -> QWidget:
    desk.member.sheet_action.trigger()
    desk.qtbot.waitUntil(lambda: desk.member.sheet_saver.dialog is not None, timeout=10_000)
    return desk.member.sheet_saver.dialog  # type: ignore[no-any-return]


def general_declaration(desk: Desk, cls: type) -> QWidget:
    from app.ui.desk.desk_controller import declaration_text

    text = run(desk, desk.member, lambda ws: declaration_text(ws, desk.member.call_id))
    dialog = cls(text, desk.member)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def purge(desk: Desk, cls: type) -> QWidget:
    from app.services.purge import PurgeCounts, PurgePlan

    plan = PurgePlan(
        call_id=CALL,
        closed_at=dt.datetime(2020, 7, 15, 10, 30, tzinfo=dt.UTC),
        removed=PurgeCounts(
            proposals=40, attachments=80, declarations=41, scores=185, members=5, files=12
        ),
        kept_bundles=3,
        kept_receipts=3,
        again=False,
    )
    dialog = cls(plan, desk.member)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def join(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.member.ops, desk.member)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def over_window(desk: Desk, cls: type) -> QWidget:
    """A dialog whose constructor takes the secretariat's main window."""
    dialog = cls(desk.secretariat)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def over_member_window(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.member)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def long_step(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.secretariat, "Importa file di Vaglio", "Pacchetto di punteggi 2 di 15…")
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def audit_log(desk: Desk, cls: type) -> QWidget:
    dialog = cls(desk.secretariat.ops, desk.secretariat)
    dialog.show()
    dialog.load()
    return dialog  # type: ignore[no-any-return]


def guide(desk: Desk, cls: type) -> QWidget:
    dialog = cls("member", desk.member)
    dialog.show()
    return dialog  # type: ignore[no-any-return]


def first_run(desk: Desk, cls: type) -> QWidget:
    wizard = cls(desk.secretariat.worker, desk.tmp / "new-workspace")
    wizard.show()
    return wizard  # type: ignore[no-any-return]


SCREENS = [
    Screen("main-window-secretariat", "app.ui.shell.main_window:MainWindow", main_window_secretariat),
    Screen("main-window-member", "app.ui.shell.main_window:MainWindow", main_window_member, "member"),
    Screen("ranking", "app.ui.ranking.ranking_dialog:RankingDialog", ranking),
    Screen("drill-down", "app.ui.ranking.drill_down_dialog:DrillDownDialog", drill_down),
    Screen("statistics", "app.ui.ranking.statistics_dialog:StatisticsDialog", secretariat_dialog),
    Screen("lottery", "app.ui.ranking.lottery_dialog:LotteryDialog", with_ranking_view),
    Screen("approval", "app.ui.ranking.approval_dialog:ApprovalDialog", with_ranking_view),
    Screen("collegial", "app.ui.ranking.collegial_dialog:CollegialDialog", call_dialog),
    Screen("discussions", "app.ui.ranking.discussion_dialog:DiscussionDialog", call_dialog),
    Screen("funding", "app.ui.funding.funding_dialog:FundingDialog", funding),
    Screen("minutes", "app.ui.minutes.minutes_window:MinutesWindow", minutes),
    Screen("sittings", "app.ui.minutes.sittings_dialog:SittingsDialog", call_dialog),
    Screen("verify", "app.ui.minutes.verify_dialog:VerifyDialog", secretariat_dialog),
    Screen("sign", "app.ui.minutes.sign_dialog:SignDialog", sign),
    Screen("completeness", "app.ui.exchange.completeness_dialog:CompletenessDialog", secretariat_dialog),
    Screen("substitute", "app.ui.exchange.substitute_dialog:SubstituteDialog", substitute),
    Screen("intake-notice", "app.ui.exchange.intake_notice:IntakeNotice", intake_notice),
    Screen("call-editor", "app.ui.setup.call_editor:CallEditorDialog", call_editor),
    Screen("import-preview", "app.ui.setup.import_preview:ImportDialog", call_dialog),
    Screen("enrolment", "app.ui.setup.enrollment_dialog:EnrollmentDialog", enrolment),
    Screen("same-name", "app.ui.setup.same_name_dialog:SameNameDialog", same_name),
    Screen("publish", "app.ui.setup.publish_dialog:PublishDialog", publish),
    Screen("admissibility", "app.ui.setup.admissibility_dialog:AdmissibilityDialog", admissibility),
    Screen("integrity", "app.ui.tools.integrity_dialog:IntegrityDialog", secretariat_dialog),
    Screen("settings", "app.ui.shell.settings_dialog:SettingsDialog", settings),
    Screen("unlock", "app.ui.shell.unlock_dialog:UnlockDialog", unlock),
    Screen("workspace-chooser", "app.ui.shell.workspace_chooser:WorkspaceChooser", workspace_chooser),
    Screen("about", "app.ui.shell.about:show_about", about),
    Screen("save-document", "app.ui.common.save_document:DocumentSaver", save_document, "member"),
    Screen("declarations", "app.ui.desk.declarations_dialog:DeclarationsDialog", member_dialog, "member"),
    Screen("general-declaration", "app.ui.desk.declaration_forms:GeneralDeclarationDialog", general_declaration, "member"),
    Screen("purge", "app.ui.exchange.purge_dialog:PurgeDialog", purge, "member"),
    Screen("join", "app.ui.welcome.join_dialog:JoinDialog", join, "member"),
    Screen("new-call-guide", "app.ui.welcome.new_call_guide:NewCallGuide", over_window),
    Screen("audit-log", "app.ui.tools.audit_log_dialog:AuditLogDialog", audit_log),
    Screen("first-run", "app.ui.welcome.first_run_wizard:FirstRunWizard", first_run),
    Screen("invitations", "app.ui.setup.invitation_dialog:InvitationDialog", call_dialog),
    Screen("shortcuts", "app.ui.shell.shortcuts_dialog:ShortcutsDialog", over_member_window, "member"),
    Screen("guide", "app.ui.shell.guide_dialog:GuideDialog", guide, "member"),
    Screen("sheet-import", "app.ui.desk.sheet_workbook_dialog:SheetImportDialog", over_member_window, "member"),
    Screen("long-step", "app.ui.common.long_step:LongStepDialog", long_step),
]  # fmt: skip


def window_classes() -> set[str]:
    """Every class of app/ui that is a window: a subclass of a Qt window class."""
    found = set()
    for path in sorted(APP_UI.rglob("*.py")):
        module = ".".join(path.relative_to(APP_UI.parent.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id in WINDOW_BASES for base in node.bases
            ):
                found.add(f"{module}:{node.name}")
    return found


def target(screen: Screen) -> Any:
    module, name = screen.target.split(":")
    return getattr(importlib.import_module(module), name)


def test_every_window_class_is_listed() -> None:
    listed = {screen.target for screen in SCREENS}
    assert window_classes() - listed == set()
    assert len({screen.name for screen in SCREENS}) == len(SCREENS)
    for screen in SCREENS:  # each names something that exists
        assert target(screen) is not None


def open_desk(qtbot: Any, tmp_path: Path, demo_template: Path, db_worker: Any) -> Desk:
    from app.services.demo import DEMO_PASSPHRASE
    from app.ui.common.worker import DbWorker

    home = approved_demo(demo_template, tmp_path / "demo")
    secretariat = make_window(home, db_worker)
    member_worker = DbWorker()
    member = make_window(home.parent / "commissario-3", member_worker)
    for window in (secretariat, member):
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.proposals_loaded, timeout=20_000):
            window.show()
            window.start(DEMO_PASSPHRASE)
    return Desk(qtbot, secretariat, member, tmp_path)


def each_other_tab(widget: QWidget) -> Iterator[tuple[int, str]]:
    """Show each page but the first of the window's main tab widget, if it has one."""
    tabs = [t for t in widget.findChildren(QTabWidget) if t.isVisible() and t.window() is widget]
    if not tabs:
        return
    first = tabs[0]
    for index in range(1, first.count()):
        first.setCurrentIndex(index)
        yield index, first.tabText(index).replace("&", "")
    first.setCurrentIndex(0)


def frame_of(widget: QWidget) -> QSize:
    return widget.frameGeometry().size()


def test_every_window_opens_within_a_laptop_screen(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, demo_template: Path, db_worker, monkeypatch
) -> None:
    # As on a first start: no size remembered by the tests before.
    monkeypatch.setenv("VAGLIO_CONFIG_DIR", str(tmp_path / "config"))
    screen = QApplication.primaryScreen()
    assert screen.geometry().size() == QSize(1366, 768)
    desk = open_desk(qtbot, tmp_path, demo_template, db_worker)
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    too_big = []
    for entry in SCREENS:
        widget = entry.open(desk, target(entry))
        settle(desk)
        size = frame_of(widget)
        if size.width() > TARGET.width() or size.height() > TARGET.height():
            too_big.append(f"{entry.name}: {size.width()}×{size.height()}")
        widget.grab().save(str(SCREENS_DIR / f"{entry.name}.png"))
        for index, name in each_other_tab(widget):  # each page of a tabbed window too
            settle(desk)
            size = frame_of(widget)
            if size.width() > TARGET.width() or size.height() > TARGET.height():
                too_big.append(f"{entry.name}, {name}: {size.width()}×{size.height()}")
            widget.grab().save(str(SCREENS_DIR / f"{entry.name}-tab{index}.png"))
        if widget not in (desk.secretariat, desk.member):
            widget.close()
    desk.member.close()
    desk.member.worker.shutdown()
    assert too_big == []


def test_a_remembered_geometry_is_clamped_to_the_screen_of_today(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("VAGLIO_CONFIG_DIR", str(tmp_path / "config"))
    from app.services.preferences import remembered_layout
    from app.ui.shell.workspace_chooser import WorkspaceChooser

    # A bigger screen's sizes, kept from another day: the windows still fit this one.
    remember_layout("window/WorkspaceChooser", [2400, 1300, 2200, 1400])
    chooser = WorkspaceChooser([], None)
    qtbot.addWidget(chooser)
    chooser.show()
    frame = chooser.frameGeometry()
    area = QApplication.primaryScreen().availableGeometry()
    assert area.contains(frame)
    # A size left smaller is restored as it was, and a new size is kept on closing.
    remember_layout("window/WorkspaceChooser", [40, 30, 500, 300])
    again = WorkspaceChooser([], None)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (500, 300)
    assert (again.x(), again.y()) == (40, 30)
    again.resize(560, 320)
    again.close()
    assert remembered_layout("window/WorkspaceChooser")[2:] == [560, 320]


def test_a_dialog_sized_by_its_content_keeps_the_size_it_was_left_at(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from app.ui.setup.same_name_dialog import SameNameDialog

    monkeypatch.setenv("VAGLIO_CONFIG_DIR", str(tmp_path / "config"))

    def dialog() -> SameNameDialog:
        opened = SameNameDialog("Marco Ferrari", CALL, "3F2A 91C4", "7D10 4E2B")
        qtbot.addWidget(opened)
        opened.show()
        return opened

    first = dialog()
    natural = first.size()
    first.resize(natural.width() + 120, natural.height() + 60)
    first.close()
    second = dialog()
    assert (second.width(), second.height()) == (natural.width() + 120, natural.height() + 60)
    second.close()
    # Never smaller than its content needs, never bigger than the screen.
    remember_layout("window/SameNameDialog", [0, 0, 50, 40])
    small = dialog()
    needed = small.minimumSizeHint()
    assert small.width() >= needed.width() and small.height() >= needed.height()
    small.close()
    remember_layout("window/SameNameDialog", [0, 0, 5000, 3000])
    huge = dialog()
    assert huge.frameGeometry().height() <= 768 and huge.frameGeometry().width() <= 1366
