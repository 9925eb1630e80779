"""``vaglio ranking`` (and ``--approve``), ``vaglio minutes`` and ``vaglio
sign`` show their progress on one line of standard error when it is a
terminal, and nothing otherwise (issue 16, item 4): each run once on a real
pseudo-terminal and once on a pipe. A Ctrl+C (KeyboardInterrupt) arriving in
the middle of the approval or of the minutes leaves nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock
from app.cli.progress import CLEAR_LINE, ProgressLine
from app.models import AuditEvent, OutboxItem, RankingRecord
from app.services.demo import DEMO_PASSPHRASE
from app.services.workspace import unlock
from tests.support.cli import on_pseudo_terminal
from tests.support.minutes import CALL, DEMO_REASON, approved_demo
from tests.support.pki import P12_PASSPHRASE, Pki
from tests.support.workspaces import ROOT, snapshot_tree

pytestmark = pytest.mark.slow


def vaglio(home: Path, *args: str, stderr: int) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    env.update(VAGLIO_LANG="it", VAGLIO_PASSPHRASE=DEMO_PASSPHRASE)
    env[clock.ENVIRONMENT] = clock.now().isoformat()
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
        timeout=300, check=False,
    )  # fmt: skip


def on_terminal(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """Run ``vaglio`` with standard error on a pseudo-terminal; what it showed there."""
    return on_pseudo_terminal(lambda fd: vaglio(home, *args, stderr=fd))


def state(home: Path) -> tuple[object, ...]:
    ws = unlock(home, DEMO_PASSPHRASE)
    try:
        with ws.session() as session:
            record = session.get(RankingRecord, CALL)
            return (
                None if record is None else record.approved_at,
                session.scalar(select(func.count()).select_from(AuditEvent)),
                session.scalar(select(func.count()).select_from(OutboxItem)),
            )
    finally:
        ws.close()


def test_the_ranking_and_its_approval_show_progress_on_a_terminal_only(demo_copy: Path) -> None:
    home = demo_copy / "segreteria"
    done, shown = on_terminal(home, "ranking", CALL)
    assert done.returncode == 0, shown
    assert "Calcolo della graduatoria…" in shown
    assert "Graduatoria: proposta 40 di 40…" in shown
    assert shown.endswith(CLEAR_LINE)  # the line is cleared before the ranking is printed
    assert b"Non ancora approvata" in done.stdout

    quiet = vaglio(home, "ranking", CALL, "--json", stderr=subprocess.PIPE)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == b""

    done, shown = on_terminal(home, "ranking", CALL, "--approve", "--reason", DEMO_REASON)
    assert done.returncode == 0, shown
    assert "Controllo dei dati dell'area di lavoro…" in shown
    assert "Scrittura della graduatoria approvata…" in shown
    assert CLEAR_LINE in shown
    assert b"approvata e congelata" in done.stdout


def test_minutes_and_signature_show_progress_on_a_terminal_only(
    demo_template: Path, tmp_path: Path
) -> None:
    home = approved_demo(demo_template, tmp_path / "demo")
    out = tmp_path / "verbale.pdf"
    done, shown = on_terminal(home, "minutes", CALL, "--out", str(out))
    assert done.returncode == 0, shown
    assert "Impaginazione del verbale…" in shown
    assert "Pagina 1…" in shown
    assert "Aggiunta dei campi di firma…" in shown
    assert shown.endswith(CLEAR_LINE)
    assert out.read_bytes().startswith(b"%PDF")

    again = vaglio(home, "minutes", CALL, "--out", str(out), stderr=subprocess.PIPE)
    assert again.returncode == 0, again.stderr
    assert again.stderr == b""

    pki = Pki.create(tmp_path / "pki")
    p12 = pki.pkcs12("Marco Ferrari", "ec")[0]
    secret = tmp_path / "p12.txt"
    secret.write_text(P12_PASSPHRASE)
    signed = tmp_path / "firmato.pdf"
    args = ("sign", str(out), "--out", str(signed), "--sign", str(p12),
            "--sign-passphrase-file", str(secret))  # fmt: skip
    done, shown = on_terminal(home, *args)
    assert done.returncode == 0, shown
    for phase in ("Lettura del documento…", "Firma in corso…", "Verifica della firma…"):
        assert phase in shown
    assert shown.endswith(CLEAR_LINE)
    assert signed.read_bytes().startswith(b"%PDF")
    quiet = vaglio(home, *args, stderr=subprocess.PIPE)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == b""


def interrupt_at(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """Ctrl+C as the progress line shows ``marker`` (a terminal is assumed)."""

    def shown(self: ProgressLine, text: str) -> None:
        if marker in text:
            raise KeyboardInterrupt

    monkeypatch.setattr(ProgressLine, "__call__", shown)


def test_ctrl_c_during_the_approval_leaves_it_unwritten(  # type: ignore[no-untyped-def]
    cli, demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = demo_copy / "segreteria"
    before, files = state(home), snapshot_tree(home / "outbox")
    interrupt_at(monkeypatch, "Scrittura della graduatoria approvata")
    result = cli(
        "ranking", CALL, "--approve", "--reason", DEMO_REASON, home=home,
        passphrase=DEMO_PASSPHRASE,
    )  # fmt: skip
    assert (result.code, result.err) == (1, "error: interrotto\n")
    assert state(home) == before
    assert snapshot_tree(home / "outbox") == files


def test_ctrl_c_during_the_minutes_leaves_the_old_file(  # type: ignore[no-untyped-def]
    cli, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = approved_demo(demo_template, tmp_path / "demo")
    folder = tmp_path / "uscita"
    folder.mkdir()
    out = folder / "verbale.pdf"
    out.write_bytes(b"%PDF-1.7 the minutes printed yesterday\n")
    before = state(home)
    interrupt_at(monkeypatch, "Pagina 10")
    result = cli("minutes", CALL, "--out", str(out), home=home, passphrase=DEMO_PASSPHRASE)
    assert (result.code, result.err) == (1, "error: interrotto\n")
    assert snapshot_tree(folder) == {"verbale.pdf": b"%PDF-1.7 the minutes printed yesterday\n"}
    assert state(home) == before
