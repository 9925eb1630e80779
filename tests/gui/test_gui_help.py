"""Help inside (issue 15, item 6): the guide per role (F1), the list of every
shortcut built from the live actions, the digits beside the levels, every
disabled action saying why, and every empty view saying what to do next."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from app.i18n import set_language
from app.resources import resource_path
from app.ui.common.disabled import unexplained
from app.ui.shell.guide_dialog import ROLES, guide_path, guide_sections
from app.ui.shell.shortcuts_dialog import key_text, plain
from tests.support.gui import make_window, on_worker, save_screenshot
from tests.support.workspaces import CALL_ID, PASSPHRASE, copy_template

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def open_main(qtbot, home: Path, worker):  # type: ignore[no-untyped-def]
    main = make_window(home, worker)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    with qtbot.waitSignal(main.proposals_loaded, timeout=15_000):
        main.show()
        main.start(PASSPHRASE)
    return main


def test_the_guides_ship_for_each_role_in_both_languages() -> None:
    for role in ROLES:
        for language in ("it", "en"):
            path = resource_path("guide", f"{role}.{language}.md")
            assert path.is_file(), path
            sections = guide_sections(path.read_text(encoding="utf-8"))
            assert len(sections) >= 6
            assert all(s.title and s.text for s in sections)
    # Words fixed by the glossary: a tessera, never a scheda for the card.
    italian = resource_path("guide", "member.it.md").read_text(encoding="utf-8")
    assert "tessera" in italian and "scheda di valutazione" in italian
    # A language without its own guide reads the Italian one.
    assert guide_path("member", "de").name == "member.it.md"
    # The installer bundles every file of resources/ but catalogue sources.
    spec = (ROOT / "installers" / "vaglio.spec").read_text(encoding="utf-8")
    (function,) = [n for n in ast.parse(spec).body if isinstance(n, ast.FunctionDef)
                   and n.name == "_resources"]  # fmt: skip
    scope: dict[str, object] = {"ROOT": ROOT}
    exec(compile(ast.Module([function], []), "vaglio.spec", "exec"), scope)
    bundled = {Path(source).relative_to(ROOT) for source, _folder in scope["_resources"]()}  # type: ignore[operator]
    assert Path("resources/guide/member.it.md") in bundled
    assert Path("resources/guide/secretariat.en.md") in bundled


def test_f1_opens_the_members_guide_with_its_contents(qtbot, member_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, member_home, db_worker)
    assert main.guide_action.shortcut() == QKeySequence("F1")
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    main.table.setFocus()
    qtbot.keyClick(main.table, Qt.Key.Key_F1)
    dialog = main.guide_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Guida di Vaglio"
    titles = [dialog.contents.item(i).text() for i in range(dialog.contents.count())]
    assert titles[0] == "Guida per il commissario" and "4. Inviare" in titles
    dialog.contents.setCurrentRow(titles.index("4. Inviare"))
    assert "Modifiche non ancora inviate" in dialog.browser.toPlainText()
    assert dialog.width() <= 1280 and dialog.height() <= 700
    save_screenshot(dialog, "help-guide-member")


def test_the_secretariat_reads_its_own_guide_in_english(
    qtbot, secretariat_home: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, secretariat_home, db_worker)
    set_language("en")
    main.guide_action.trigger()
    dialog = main.guide_dialog
    assert dialog.contents.item(0).text() == "Guide for the technical secretariat"
    assert "Publish the call" in "".join(s.text for s in dialog.sections)


def _main_window_shortcuts(main) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {
        (plain(a.text()), key_text(a.shortcuts()))
        for a in [*main.actions(), *main.findChildren(QAction)]
        if a.text() and a.isVisible() and not a.shortcut().isEmpty()
    }


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_every_shortcut_of_the_window_is_listed(
    qtbot, role, member_home, secretariat_home, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, member_home if role == "member" else secretariat_home, db_worker)
    if role == "member":  # the levels of the sheet on show
        main.table.selectRow(0)
        qtbot.waitUntil(lambda: main.desk.pane.sheet is not None, timeout=10_000)
    main.shortcuts_action.trigger()
    dialog = main.shortcuts_dialog
    listed = {(row.command, row.keys) for row in dialog.rows}
    registered = _main_window_shortcuts(main)
    assert len(registered) > 15
    assert registered <= listed, registered - listed
    assert ("Scorciatoie da tastiera", "Ctrl+F1") in listed and ("Guida", "F1") in listed
    assert dialog.table.rowCount() == len(dialog.rows)
    if role == "member":
        commands = {row.command: row.keys for row in dialog.rows}
        assert commands["Scegli il livello 0 · non valutabile"] == "0"
        assert commands["Scegli il livello 1 · ottimo"] == "5"
        assert "Completezza della valutazione" not in commands  # the office's, hidden here
        assert commands["Invia i miei punteggi"] == "Ctrl+Return"
        save_screenshot(dialog, "help-shortcuts-member")


def test_the_digit_of_each_level_is_shown_beside_it(qtbot, member_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    from app.services import declarations

    main = open_main(qtbot, member_home, db_worker)
    on_worker(qtbot, main, lambda ws: declarations.declare_general(ws, CALL_ID))
    on_worker(qtbot, main, lambda ws: declarations.declare_proposal(ws, CALL_ID, "P001",
                                                                   conflict=False))  # fmt: skip
    main.table.selectRow(main.model.row_of("P001"))
    pane = main.desk.pane
    pane.show_sheet(None)
    main.desk.show_proposal("P001")
    qtbot.waitUntil(lambda: pane.currentWidget() is pane.score_form, timeout=10_000)
    editor = next(iter(pane.score_form.editors.values()))
    caps = [label for label in editor.findChildren(QLabel) if label.objectName() == "level-key"]
    assert [c.text() for c in caps] == ["0", "1", "2", "3", "4", "5"]
    assert [c.buddy() for c in caps] == editor.buttons
    main._show_tab(1)
    save_screenshot(main, "member-form-level-keys")


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_no_disabled_action_is_silent(
    qtbot, role, member_home, secretariat_home, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, member_home if role == "member" else secretariat_home, db_worker)
    if role == "member":
        qtbot.waitUntil(lambda: main.sending.state is not None, timeout=10_000)
    else:
        qtbot.waitUntil(lambda: main.call_setup.status is not None, timeout=10_000)
    actions = [*main.actions(), *main.findChildren(QAction)]
    disabled = [a for a in actions if a.text() and a.isVisible() and not a.isEnabled()]
    assert disabled, "nothing disabled to check"
    assert unexplained(actions) == []
    if role == "member":
        submit = main.exchange.submit_action
        assert not submit.isEnabled() and "dichiarazione generale" in submit.statusTip()
    # Locked: what needs the workspace says so.
    main.lock()
    qtbot.waitUntil(lambda: not main.ops.unlocked, timeout=10_000)
    assert not main.lock_action.isEnabled()
    assert unexplained([*main.actions(), *main.findChildren(QAction)]) == []
    assert "bloccata" in main.integrity_action.statusTip()


def test_an_empty_proposal_list_says_what_to_do(
    qtbot, empty_secretariat_template, db_worker, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    main = open_main(qtbot, home, db_worker)
    hint = main.empty_hint
    assert hint.showing()
    assert hint.text() == (
        "Nessun avviso: creane uno con Segreteria → Nuovo avviso (Ctrl+Maiusc+N)."
    )
    save_screenshot(main, "secretariat-empty-list")


def test_a_search_that_finds_nothing_says_so(qtbot, member_home: Path, db_worker) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, member_home, db_worker)
    assert not main.empty_hint.showing()
    main.search.setText("nessuna proposta si chiama così")
    qtbot.waitUntil(main.empty_hint.showing, timeout=5_000)
    assert "Nessuna proposta corrisponde alla ricerca" in main.empty_hint.text()
    main.search.clear()
    qtbot.waitUntil(lambda: not main.empty_hint.showing(), timeout=5_000)


def test_the_empty_texts_of_the_secretariats_views() -> None:
    from types import SimpleNamespace

    from app.ui.common.empty_texts import completeness_hint, ranking_hint
    from app.ui.proposals.empty_list import proposal_list_hint

    assert "Iscrivi commissari dalle tessere (Ctrl+Maiusc+M)" in completeness_hint(0, 0)
    assert "Sincronizza" in completeness_hint(3, 0)
    assert completeness_hint(3, 1) == ""
    assert "Nessun pacchetto di valutazioni" in ranking_hint(SimpleNamespace(bundles=()))
    assert "la pagina Non in graduatoria dice perché" in ranking_hint(SimpleNamespace(bundles=(1,)))
    assert proposal_list_hint("member", has_call=False, total=0, shown=0) == (
        "Nessun avviso: unisciti con l'invito della segreteria o sincronizza."
    )
    assert "sincronizza" in proposal_list_hint("member", has_call=True, total=0, shown=0)
    assert proposal_list_hint("member", has_call=True, total=6, shown=6) == ""


def test_the_secretariats_empty_views_say_what_to_do(
    qtbot, secretariat_home: Path, db_worker
) -> None:  # type: ignore[no-untyped-def]
    main = open_main(qtbot, secretariat_home, db_worker)
    qtbot.waitUntil(lambda: main.call_setup.status is not None, timeout=10_000)
    exchange = main.exchange
    exchange.completeness_action.trigger()
    qtbot.waitUntil(
        lambda: exchange.completeness is not None and exchange.completeness.isVisible(),
        timeout=10_000,
    )
    completeness = exchange.completeness
    assert completeness.model.rowCount() == 0 and completeness.empty_hint.isVisible()
    assert completeness.empty_hint.text().startswith("Nessun commissario iscritto")
    save_screenshot(completeness, "secretariat-completeness-empty")
    completeness.close()

    main.ranking.show_action.trigger()
    qtbot.waitUntil(
        lambda: (
            main.ranking.ranking_dialog is not None and main.ranking.ranking_dialog.view is not None
        ),
        timeout=15_000,
    )
    ranking = main.ranking.ranking_dialog
    assert ranking.empty_hint.showing()
    assert ranking.empty_hint.text().startswith("Nessun pacchetto di valutazioni ricevuto")
    for button in (ranking.lottery_button, ranking.funding_button, ranking.publication_button):
        assert not button.isEnabled() and button.toolTip(), button.text()
    save_screenshot(ranking, "secretariat-ranking-empty")
