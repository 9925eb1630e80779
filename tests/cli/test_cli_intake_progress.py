"""`vaglio proposals import` and `vaglio bundles import` show which proposal
or bundle they are at on one line of standard error when it is a terminal,
and nothing there on a pipe; Ctrl+C leaves nothing half-written: the
proposals' single transaction is rolled back, the bundle in progress too,
the bundles taken in before it stay (issue 16, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import clock
from app.cli.progress import CLEAR_LINE
from app.services.proposals import list_proposals
from app.services.workspace import verify_audit
from tests.support.cli import on_pseudo_terminal
from tests.support.intake import Taken, drop, office_with_bundles, taken
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE, ROOT, copy_template, opened


def vaglio(home: Path, stderr: int, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    env.update(VAGLIO_LANG="it", VAGLIO_PASSPHRASE=PASSPHRASE)
    env[clock.ENVIRONMENT] = clock.now().isoformat()
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
        timeout=120, check=False,
    )  # fmt: skip


def on_a_terminal(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """Run with standard error on a real pseudo-terminal: the result and what it showed."""
    return on_pseudo_terminal(lambda fd: vaglio(home, fd, *args))


IMPORT = ("proposals", "import", CALL_ID, str(FIXTURES / "proposals.csv"),
          "--attachments", str(FIXTURES / "attachments"))  # fmt: skip


def test_proposals_import_shows_its_progress_on_a_terminal_only(  # type: ignore[no-untyped-def]
    draft_call_template, tmp_path: Path
) -> None:
    home = copy_template(draft_call_template, tmp_path / "ws")
    done, text = on_a_terminal(home, *IMPORT)
    assert done.returncode == 0, text
    assert "Proposta 1 di 6…" in text and "Proposta 6 di 6…" in text
    assert text.endswith(CLEAR_LINE)
    assert b"Importate 6 proposte" in done.stdout

    # On a pipe (a script, a log), the same import says nothing on stderr.
    other = copy_template(draft_call_template, tmp_path / "other")
    again = vaglio(other, subprocess.PIPE, *IMPORT)
    assert again.returncode == 0, again.stderr
    assert again.stderr == b""


def test_ctrl_c_during_proposals_import_writes_nothing(  # type: ignore[no-untyped-def]
    cli, draft_call_template, tmp_path: Path, monkeypatch
) -> None:
    from app.services import proposal_import

    home = copy_template(draft_call_template, tmp_path / "ws")
    monkeypatch.setattr(proposal_import, "FLUSH_ATTACHMENTS", 1)  # five already flushed
    real = proposal_import._report

    def report(progress, text: str, index: int, total: int) -> None:  # type: ignore[no-untyped-def]
        if text == "Proposta {index} di {total}…" and index == total:
            raise KeyboardInterrupt
        real(progress, text, index, total)

    monkeypatch.setattr(proposal_import, "_report", report)
    result = cli(*IMPORT, home=home)
    assert (result.code, result.out, result.err) == (1, "", "error: interrotto\n")
    with opened(draft_call_template, home) as ws:
        assert list_proposals(ws, CALL_ID) == []
        assert verify_audit(ws).entries == 2  # workspace.created, call.created


def test_bundles_import_shows_each_bundle_on_a_terminal_only(  # type: ignore[no-untyped-def]
    secretariat_template, tmp_path: Path
) -> None:
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        drop(tmp_path / "chiavetta", office_with_bundles(ws))
    done, text = on_a_terminal(home, "bundles", "import", str(tmp_path / "chiavetta"))
    assert done.returncode == 0, text
    assert [f"Pacchetto di punteggi {n} di 4…" in text for n in range(1, 5)] == [True] * 4
    assert text.endswith(CLEAR_LINE)
    assert done.stdout.count(b"ricevuta emessa") == 4

    again = vaglio(home, subprocess.PIPE, "bundles", "import", str(tmp_path / "chiavetta"))
    assert again.returncode == 0, again.stderr
    assert again.stderr == b""
    assert again.stdout.count(b"era gi") == 4  # already accepted: nothing changed


def test_ctrl_c_during_a_bundle_keeps_those_taken_in_before_it(  # type: ignore[no-untyped-def]
    cli, secretariat_template, tmp_path: Path, monkeypatch
) -> None:
    from app.services import intake

    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        drop(tmp_path / "chiavetta", office_with_bundles(ws))
        before = taken(ws)
    real = intake._replace_evaluation
    calls = []

    def replace(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:  # Ctrl+C while the third bundle is written
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "_replace_evaluation", replace)
    result = cli("bundles", "import", str(tmp_path / "chiavetta"), home=home)
    assert (result.code, result.err) == (1, "error: interrotto\n")
    assert result.out.count("ricevuta emessa") == 2
    with opened(secretariat_template, home) as ws:
        assert taken(ws) == Taken(2, 2, 2, before.audit_entries + 2)
