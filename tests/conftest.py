"""Shared fixtures: an isolated environment, the suite's clock, the template
workspaces, the CLI runner, the GUI's worker.

Creating a workspace costs an Argon2id derivation and the migrations, so each
kind of workspace is built once per session and copied for every test that
needs one (tests/support/workspaces.py). Tests open the copies with the
template's raw key, which skips the passphrase derivation; the unlock tests
use the real paths. Helpers live in tests/support; tests import from there,
never from this file or from each other.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Before anything imports Qt or keyring: headless Qt, never the developer's
# own keyring, Italian messages, no stray secrets from the environment.
# Headless Qt on one 1366×768 screen: the laptop every window must fit.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + str(
        Path(__file__).parent / "support" / "offscreen-laptop.json"
    )
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["VAGLIO_LANG"] = "it"
for _name in ("VAGLIO_PASSPHRASE", "VAGLIO_HOME"):
    os.environ.pop(_name, None)
# Preferences (language, known workspaces) go to a folder of the test run.
os.environ["VAGLIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="vaglio-test-config-")
os.environ["VAGLIO_LOG_DIR"] = tempfile.mkdtemp(prefix="vaglio-test-log-")

import pytest

from app import clock
from app.i18n import set_language
from app.services.unlocking import OpenWorkspace
from tests.support.cli import CliResult
from tests.support.workspaces import (
    CALL_ID,
    FIXTURES,
    FROZEN_AT,
    PASSPHRASE,
    Template,
    close_template,
    copy_template,
    make_template,
    opened,
)

# The suite's clock, set before any template is built; it moves a millisecond
# at every reading.
SUITE_CLOCK = clock.SteppingClock(FROZEN_AT)
clock.set_source(SUITE_CLOCK)


@pytest.fixture(autouse=True)
def _collect_between_events(request: pytest.FixtureRequest) -> Iterator[None]:
    """As the application does (app/ui/common/garbage.py): while a test drives
    Qt, Python's cycle collector runs only once the test's widgets are gone,
    never inside an event or on the database worker's thread."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture(autouse=True)
def _italian() -> Iterator[None]:
    set_language("it")
    yield
    set_language("it")


@pytest.fixture(scope="session")
def empty_secretariat_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    ws, code = make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    return close_template(ws, code)


@pytest.fixture(scope="session")
def secretariat_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from app.services.calls import create_call
    from app.services.proposal_import import import_proposals

    ws, code = make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(ws, CALL_ID, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    return close_template(ws, code)


@pytest.fixture(scope="session")
def draft_call_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from app.services.calls import create_call

    ws, code = make_template(tmp_path_factory.mktemp("tpl") / "ws", "secretariat", "Segreteria")
    create_call(ws, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    return close_template(ws, code)


PUBLISHED_PACKAGE = "package-000001.vaglio"


def _member_with_call(folder: Path, call_text: str, proposals_csv: Path) -> Template:
    """A member's workspace holding ``call_text`` and its proposals, as the
    secretariat would deliver it, plus a second member on the roster."""
    from app.services.calls import create_call
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.proposal_import import import_proposals
    from app.services.publication import publish_call
    from tests.support.published import install_published

    member, code = make_template(folder / "member", "member", "Sara Esposito")
    other, _other_code = make_template(folder / "other", "member", "Marco Ferrari")
    secretariat, _code = make_template(folder / "secretariat", "secretariat", "Segreteria")
    call_id = create_call(secretariat, call_text).call_id
    import_proposals(secretariat, call_id, proposals_csv, FIXTURES / "attachments")
    enroll_cards(secretariat, call_id, [(export_card(ws), "member") for ws in (member, other)])
    trust_office(member, export_card(secretariat))
    published = publish_call(secretariat, call_id)
    (folder / PUBLISHED_PACKAGE).write_bytes(published.copy.read_bytes())
    install_published(member, published)
    secretariat.close()
    other.close()
    return close_template(member, code)


@pytest.fixture(scope="session")
def member_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A commission member's workspace with the fixture call (6 proposals) installed."""
    return _member_with_call(
        tmp_path_factory.mktemp("tpl"),
        (FIXTURES / "call.toml").read_text(encoding="utf-8"),
        FIXTURES / "proposals.csv",
    )


@pytest.fixture(scope="session")
def member_package(member_template: Template) -> bytes:
    """The sealed call package (sequence 1) that ``member_template``'s member
    installed, as the secretariat published it."""
    return (member_template.home.parent / PUBLISHED_PACKAGE).read_bytes()


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


# -- the command line ------------------------------------------------------------


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


@dataclass(frozen=True)
class DemoTemplate:
    folder: Path
    raw_keys: dict[str, bytes]  # workspace folder name -> raw key


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """The whole demo, built once per session, with each workspace's raw key."""
    from app.services.demo import DEMO_PASSPHRASE, build_demo
    from app.store.workspace import load_slots

    demo = build_demo(tmp_path_factory.mktemp("demo") / "demo")
    keys = {
        home.name: load_slots(home).key_from_passphrase(DEMO_PASSPHRASE)
        for _label, home in demo.workspaces
    }
    return DemoTemplate(demo.folder, keys)


@pytest.fixture(scope="session")
def demo_template(demo_built: DemoTemplate) -> Path:
    """The demo's folder (open copies, never this one)."""
    return demo_built.folder


@pytest.fixture
def demo_copy(demo_built: DemoTemplate, tmp_path: Path) -> Path:
    """A copy of the demo whose workspaces exchange through the copy's own
    shared folder (a test that sends a bundle must not reach the template's)."""
    from sqlalchemy import select

    from app.models import Remote
    from app.store.workspace import load_slots, open_with_key

    folder = Path(shutil.copytree(demo_built.folder, tmp_path / "demo"))
    old, new = str(demo_built.folder), str(folder)
    for name, raw_key in demo_built.raw_keys.items():
        ws = open_with_key(folder / name, load_slots(folder / name), raw_key, migrate=False)
        try:
            with ws.session() as session:
                for remote in session.scalars(select(Remote)):
                    remote.destination = remote.destination.replace(old, new, 1)
        finally:
            ws.close()
    return folder


@pytest.fixture
def db_worker(qapp):  # type: ignore[no-untyped-def]
    """The GUI's database worker, drained and joined after the test."""
    from app.ui.common.worker import DbWorker

    worker = DbWorker()
    yield worker
    worker.shutdown()
