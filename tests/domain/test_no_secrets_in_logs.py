"""No secret ever reaches a log, even with every logger at DEBUG (SQL included)."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest

from app.services import declarations, scores
from app.services.workspace import create_workspace, unlock
from app.store.errors import WrongPassphraseError
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template, copy_template


def test_passphrase_key_and_recovery_code_are_never_logged(
    caplog: pytest.LogCaptureFixture, member_template: Template, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "alembic", "keyring"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    secret = "una passphrase molto segreta"
    created = create_workspace(
        tmp_path / "new", role="member", name="X", passphrase=secret, use_keyring=True
    )
    raw_key = created.workspace.store.slots.key_from_passphrase(secret)
    created.workspace.close()
    unlock(tmp_path / "new", secret).close()
    unlock(tmp_path / "new", created.recovery_code).close()
    with pytest.raises(WrongPassphraseError):  # a wrong one, too
        unlock(tmp_path / "new", secret + "!")

    home = copy_template(member_template, tmp_path / "member")
    ws = unlock(home, PASSPHRASE)
    try:
        declarations.declare_general(ws, CALL_ID)
        declarations.declare_proposal(ws, CALL_ID, "P001", conflict=False)
        scores.save_scores(ws, CALL_ID, "P001", values={"impact": Decimal("0.6")})
    finally:
        ws.close()

    logged = caplog.text
    assert "SELECT" in logged  # the SQL really was logged
    for forbidden in (
        secret,
        PASSPHRASE,
        created.recovery_code,
        created.recovery_code.replace("-", ""),
        raw_key.hex(),
        member_template.raw_key.hex(),
    ):
        assert forbidden not in logged
        assert forbidden.lower() not in logged.lower()
