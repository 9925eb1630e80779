"""A long command shows its progress on one line of standard error when that
is a terminal, and stays quiet otherwise (issue 16, item 4): publishing a
call with its attachments, once with standard error on a real pseudo-terminal
and once on a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from app import clock
from app.cli.progress import CLEAR_LINE, ProgressLine
from tests.support.cli import on_pseudo_terminal
from tests.support.workspaces import CALL_ID, PASSPHRASE, ROOT


def publishing_office(cli, secretariat_home: Path, member_home: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    card = tmp_path / "sara.vaglio-card"
    assert cli("identity", "export", "--out", str(card), home=member_home).code == 0
    assert cli("call", "enroll", CALL_ID, str(card), home=secretariat_home).code == 0
    shared = tmp_path / "condivisa"
    shared.mkdir()
    assert cli("remote", "set", CALL_ID, str(shared), home=secretariat_home).code == 0
    return shared


def publish(home: Path, stderr: int) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    env.update(VAGLIO_LANG="it", VAGLIO_PASSPHRASE=PASSPHRASE)
    env[clock.ENVIRONMENT] = clock.now().isoformat()
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), "call", "publish", CALL_ID],
        env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
        timeout=120, check=False,
    )  # fmt: skip


def test_publishing_shows_its_progress_on_a_terminal_only(  # type: ignore[no-untyped-def]
    cli, secretariat_home: Path, member_home: Path, tmp_path: Path
) -> None:
    shared = publishing_office(cli, secretariat_home, member_home, tmp_path)
    done, text = on_pseudo_terminal(lambda fd: publish(secretariat_home, fd))
    assert done.returncode == 0, text
    assert "Allegato 1 di" in text
    assert CLEAR_LINE in text
    assert text.endswith(CLEAR_LINE)  # the line is cleared when the step ends
    assert b"firmato e sigillato" in done.stdout
    assert any(shared.rglob("*.vaglio"))

    # On a pipe (a script, a log), the same kind of command says nothing on stderr.
    again = publish(secretariat_home, subprocess.PIPE)
    assert again.returncode == 0, again.stderr
    assert again.stderr == b""


def test_the_progress_line_is_quiet_without_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressLine(stream) as progress:
        progress("Allegato 1 di 3…")
    assert stream.getvalue() == ""
