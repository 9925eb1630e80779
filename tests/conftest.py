"""Shared fixtures: isolated environment, template workspaces, the CLI runner.

Creating a workspace costs an Argon2id derivation and the migrations, so each
kind of workspace is built once per session and copied for every test that
needs one (Anki copies a template collection the same way). Tests open the
copies with the template's raw key, which skips the passphrase derivation;
the unlock tests use the real paths.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Before anything imports Qt or keyring: headless Qt, never the developer's
# own keyring, Italian messages, no stray secrets from the environment.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["VAGLIO_LANG"] = "it"
for _name in ("VAGLIO_PASSPHRASE", "VAGLIO_HOME"):
    os.environ.pop(_name, None)
# Preferences (language, known workspaces) go to a folder of the test run.
os.environ["VAGLIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="vaglio-test-config-")
os.environ["VAGLIO_LOG_DIR"] = tempfile.mkdtemp(prefix="vaglio-test-log-")

import datetime as dt

import pytest

from app import clock
from app.i18n import set_language
from app.services.unlocking import OpenWorkspace
from app.store.workspace import load_slots, open_with_key

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSPHRASE = "passphrase di prova 2020"
# The suite's clock, set before any template is built: half past midnight in
# Rome while it is still the previous day in UTC, so that a day taken from the
# wrong zone shows at once. It moves a millisecond at every reading.
FROZEN_AT = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
SUITE_CLOCK = clock.SteppingClock(FROZEN_AT)
clock.set_source(SUITE_CLOCK)
CALL_ID = "MI-CC-2020"


@pytest.fixture(autouse=True)
def _italian() -> Iterator[None]:
    set_language("it")
    yield
    set_language("it")


@dataclass(frozen=True)
class Template:
    """A closed workspace folder to copy, with its secrets."""

    home: Path
    raw_key: bytes
    recovery_code: str


def _make_template(home: Path, role: str, name: str) -> tuple[OpenWorkspace, str]:
    from app.services.workspace import create_workspace

    created = create_workspace(home, role=role, name=name, passphrase=PASSPHRASE, use_keyring=False)
    return created.workspace, created.recovery_code


def _close(ws: OpenWorkspace, recovery: str) -> Template:
    raw_key = ws.store.slots.key_from_recovery_code(recovery)
    home = ws.home
    ws.close()
    return Template(home, raw_key, recovery)


@pytest.fixture(scope="session")
def empty_secretariat_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    ws, code = _make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    return _close(ws, code)


@pytest.fixture(scope="session")
def secretariat_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals

    ws, code = _make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(ws, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    return _close(ws, code)


@pytest.fixture(scope="session")
def draft_call_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from app.services.calls import create_call

    ws, code = _make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    return _close(ws, code)


def _member_with_call(folder: Path, call_text: str, proposals_csv: Path) -> Template:
    """A member's workspace holding ``call_text`` and its proposals, as the
    secretariat would deliver it, plus a second member on the roster."""
    from app.services.calls import create_call
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.intake import install_package
    from app.services.proposal_import import import_proposals
    from app.services.publication import publish_call

    member, code = _make_template(folder / "member", "member", "Sara Esposito")
    other, _other_code = _make_template(folder / "other", "member", "Marco Ferrari")
    secretariat, _code = _make_template(folder / "secretariat", "secretariat", "Segreteria")
    call_id = create_call(secretariat, call_text).call_id
    import_proposals(secretariat, call_id, proposals_csv, FIXTURES / "attachments")
    enroll_cards(secretariat, call_id, [(export_card(ws), "member") for ws in (member, other)])
    trust_office(member, export_card(secretariat))
    install_package(member, publish_call(secretariat, call_id).copy.read_bytes())
    secretariat.close()
    other.close()
    return _close(member, code)


@pytest.fixture(scope="session")
def member_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A commission member's workspace with the fixture call (6 proposals) installed."""
    return _member_with_call(
        tmp_path_factory.mktemp("tpl"),
        (FIXTURES / "call.toml").read_text(encoding="utf-8"),
        FIXTURES / "proposals.csv",
    )


@pytest.fixture(scope="session")
def points_member_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The same, for a call scored with the points method (no levels, one decimal)."""
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('method = "coefficients"', 'method = "points"')
    text = text.replace('levels = ["0", "0.2", "0.4", "0.6", "0.8", "1"]\n', "")
    text = text.replace(
        'level_labels = ["non valutabile", "insufficiente", "sufficiente", "discreto", "buono", '
        '"ottimo"]\n',
        "",
    )
    text = text.replace("decimals = 2", "decimals = 1").replace(
        'dispersion_flag = "0.6"', 'dispersion_flag = "10"'
    )
    return _member_with_call(tmp_path_factory.mktemp("tpl"), text, FIXTURES / "proposals.csv")


def copy_template(template: Template, target: Path) -> Path:
    shutil.copytree(template.home, target)
    return target


@contextlib.contextmanager
def opened(template: Template, home: Path) -> Iterator[OpenWorkspace]:
    """The workspace in ``home`` (a copy of ``template``), opened with its raw key."""
    with OpenWorkspace(open_with_key(home, load_slots(home), template.raw_key)) as ws:
        yield ws


@pytest.fixture
def empty_secretariat(
    empty_secretariat_template: Template, tmp_path: Path
) -> Iterator[OpenWorkspace]:
    home = copy_template(empty_secretariat_template, tmp_path / "ws")
    with opened(empty_secretariat_template, home) as ws:
        yield ws


@pytest.fixture
def secretariat(secretariat_template: Template, tmp_path: Path) -> Iterator[OpenWorkspace]:
    home = copy_template(secretariat_template, tmp_path / "ws")
    with opened(secretariat_template, home) as ws:
        yield ws


@pytest.fixture
def draft_call(draft_call_template: Template, tmp_path: Path) -> Iterator[OpenWorkspace]:
    """A secretariat workspace with the fixture call and no proposals yet."""
    home = copy_template(draft_call_template, tmp_path / "ws")
    with opened(draft_call_template, home) as ws:
        yield ws


@pytest.fixture
def member(member_template: Template, tmp_path: Path) -> Iterator[OpenWorkspace]:
    """A member's workspace with the fixture call installed, nothing declared yet."""
    home = copy_template(member_template, tmp_path / "member")
    with opened(member_template, home) as ws:
        yield ws


@pytest.fixture
def member_home(member_template: Template, tmp_path: Path) -> Path:
    return copy_template(member_template, tmp_path / "member")


@pytest.fixture
def secretariat_home(secretariat_template: Template, tmp_path: Path) -> Path:
    """A closed copy of the populated secretariat workspace (unlock with PASSPHRASE)."""
    return copy_template(secretariat_template, tmp_path / "ws")


# -- the command line ------------------------------------------------------------


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> object:
    """Run ``vaglio`` in-process: ``cli("proposals", "list", ..., home=..., passphrase=...)``."""

    def run(*args: str, home: Path | None = None, passphrase: str | None = PASSPHRASE) -> CliResult:
        from app import main as program

        if home is not None:
            monkeypatch.setenv("VAGLIO_HOME", str(home))
        if passphrase is None:
            monkeypatch.delenv("VAGLIO_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("VAGLIO_PASSPHRASE", passphrase)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = program.main(list(args))
            except SystemExit as exc:  # argparse: usage errors and --help
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def run_vaglio(
    *args: str,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m app`` in a subprocess, with no terminal on standard input."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VAGLIO_")}
    full_env["VAGLIO_LANG"] = "it"
    full_env[clock.ENVIRONMENT] = clock.now().isoformat()
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=full_env,
        input=input_text if input_text is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove nothing was written)."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo, built once per session (open copies, never this one)."""
    from app.services.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo").folder


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_template, tmp_path / "demo"))


@pytest.fixture
def db_worker(qapp):  # type: ignore[no-untyped-def]
    """The GUI's database worker, drained and joined after the test."""
    from app.ui.common.worker import DbWorker

    worker = DbWorker()
    yield worker
    worker.shutdown()
