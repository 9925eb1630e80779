"""``vaglio`` and ``vaglio gui [--home DIR]`` open the application without
building the command tree (app/main.py), and read those forms exactly as the
command line does."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from app.cli.support import OpenTheApplication
from app.main import plain_gui


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["gui"],
        ["gui", "--home", "/tmp/ws"],
        ["--home", "/tmp/ws", "gui"],
        ["--home", "/tmp/ws"],
        ["gui", "--home", "~/ws"],
    ],
)
@pytest.mark.parametrize("secret", [None, "una passphrase"])
def test_the_plain_forms_read_as_the_command_line_reads_them(
    argv: list[str], secret: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if secret is not None:
        monkeypatch.setenv("VAGLIO_PASSPHRASE", secret)
    outcome = run(argv)
    assert isinstance(outcome, OpenTheApplication)
    assert plain_gui(argv) == (outcome.home, outcome.secret)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["gui", "--passphrase-file", "p.txt"],
        ["gui", "--home"],
        ["gui", "--home", ""],
        ["gui", "--home", "--version"],
        ["--home=/tmp/ws", "gui"],
        ["gui", "gui"],
        ["--version"],
        ["proposals", "list"],
    ],
)
def test_every_other_form_goes_to_the_command_line(argv: list[str]) -> None:
    assert plain_gui(argv) is None


def test_a_home_is_expanded_as_the_command_line_does() -> None:
    assert plain_gui(["gui", "--home", "~/ws"]) == (Path("~/ws").expanduser(), None)
