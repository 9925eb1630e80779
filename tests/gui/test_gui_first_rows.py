"""A cold start from the keyring lists the proposals before the unlock is
done (app/ui/shell/head_start.py), and the unlock's own list takes their
place unnoticed: same rows, same selection, the filter kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.store.errors import StoreError
from app.ui.shell.head_start import HeadStart
from tests.support.gui import make_window, save_screenshot
from tests.support.keyring_unlock import keyring_holding

pytestmark = pytest.mark.gui


def _rows(main) -> list:  # type: ignore[no-untyped-def]
    return [main.model.row_at(n) for n in range(main.model.rowCount())]


def test_the_first_rows_show_then_the_unlocks_list_replaces_them(
    qtbot, demo_copy: Path, demo_built, db_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    with keyring_holding(home, demo_built.raw_keys["segreteria"], tmp_path, monkeypatch):
        main = make_window(home, db_worker)
        qtbot.addWidget(main)
        main.resize(1366, 768)
        seen: dict[str, object] = {}

        def listed(count: int) -> None:
            # Before the unlock: it is queued only once the rows are listed.
            seen.update(
                count=count,
                unlocked=main.ops.unlocked,
                rows=_rows(main),
                label=main.count_label.text(),
                call=main.call_box.currentText(),
                selected=main.table.selectionModel().selectedRows()[0].row(),
                heading=main.detail.heading.text(),
                status=main.detail.status.text(),
                enabled=main.table.isEnabled() and main.search.isEnabled(),
            )
            seen["shot"] = save_screenshot(main, "cold-start-first-rows")
            # The person starts typing before the unlock is done.
            main.search.setText("P01")
            main._apply_filter()

        main.first_rows_listed.connect(listed)
        with qtbot.waitSignal(main.proposals_loaded, timeout=20_000):
            main.show()
            main.start(None, HeadStart(db_worker, home))
    assert seen["count"] == 40 and seen["unlocked"] is False and seen["enabled"] is True
    assert seen["selected"] == 0
    # The selected row's heading, and why its detail is not there yet.
    assert str(seen["heading"]).startswith("P001 — ")
    assert seen["status"] == "Apertura dell'area di lavoro…"
    assert "40 proposte" in str(seen["label"])
    assert str(seen["call"]).startswith(main.call_id)
    # The unlock's list: the same rows, the filter kept, the first row's detail.
    assert main.ops.unlocked and main.identity is not None
    assert main.search.text() == "P01"
    assert [r.id for r in _rows(main)] == [f"P0{n}" for n in range(10, 20)]
    main.search.clear()
    main._apply_filter()
    assert _rows(main) == seen["rows"]
    assert main.call_box.count() >= 2 and main.call_box.currentText() == seen["call"]
    qtbot.waitUntil(lambda: main.detail.heading.text().startswith("P010"), timeout=10_000)


def test_an_unlock_that_fails_after_the_first_rows_takes_them_away(
    qtbot, demo_copy: Path, demo_built, db_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The first rows were read, then the unlock refused (the file fails its
    full check, say): the window lists nothing and asks for the passphrase."""
    from app.ui.common.ops import WorkspaceState

    def refused(self, secret):  # type: ignore[no-untyped-def]
        raise StoreError("il file non supera il controllo")

    home = demo_copy / "segreteria"
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    with keyring_holding(home, demo_built.raw_keys["segreteria"], tmp_path, monkeypatch):
        monkeypatch.setattr(WorkspaceState, "open", refused)
        main = make_window(home, db_worker)
        qtbot.addWidget(main)
        with qtbot.waitSignal(main.first_rows_listed, timeout=20_000):
            main.show()
            main.start(None, HeadStart(db_worker, home))
        assert main.model.rowCount() == 40
        qtbot.waitUntil(lambda: main.unlock_dialog is not None, timeout=20_000)
    assert main.model.rowCount() == 0
    assert main.call_box.count() == 0 and main.call_id is None
    assert "il file non supera il controllo" in main.unlock_dialog.note.text()
    assert main.windowTitle() == "Vaglio"


def test_the_application_lists_the_first_rows_of_a_keyring_workspace(
    demo_copy: Path, demo_built, tmp_path: Path
) -> None:
    """``vaglio gui --home`` end to end, in its own process, with the start-up
    probe that ``make bench`` reads: the rows come from the first read."""
    import os
    import subprocess
    import sys

    home = demo_copy / "segreteria"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "VAGLIO_ALLOW_INSECURE_KEYRING": "1",
    }
    env.pop("VAGLIO_PASSPHRASE", None)
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from app.store.keyslots import KeySlots;"
            "p = Path(sys.argv[1]) / 'keyslots.json'; s = KeySlots.load(p);"
            "s.set_keyring(bytes.fromhex(sys.argv[2])); s.save(p)",
            str(home),
            demo_built.raw_keys["segreteria"].hex(),
        ],
        env=env,
        cwd=root,
        check=True,
        timeout=120,
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--home", str(home)],
        env={**env, "VAGLIO_STARTUP_PROBE": "loaded"},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    ready = next(line for line in done.stdout.splitlines() if line.startswith("vaglio-ready "))
    assert ready.split()[2:] == ["first-rows", "40"]
