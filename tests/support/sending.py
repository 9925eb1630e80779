"""A member and the city office that published her call, exchanging over a
shared folder: the member's copy of ``member_template`` and a copy of the
office's workspace built beside it (tests/conftest.py ``_member_with_call``)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from app.services import declarations, remotes, scores
from app.services.unlocking import OpenWorkspace
from tests.support.workspaces import CALL_ID, PASSPHRASE, Template

WHY = "Proposta solida, con una rete di quartiere ben descritta."
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
ADMISSIBLE = ("P001", "P002", "P003", "P004", "P005")


def office_copy(member_template: Template, target: Path) -> Path:
    """A copy of the office's workspace that published ``member_template``'s call."""
    return Path(shutil.copytree(member_template.home.parent / "secretariat", target))


def open_office(home: Path) -> OpenWorkspace:
    from app.services.workspace import unlock

    return unlock(home, PASSPHRASE)


def share(folder: Path, *workspaces: OpenWorkspace) -> Path:
    """Every workspace exchanges the call through ``folder``."""
    folder.mkdir(exist_ok=True)
    for ws in workspaces:
        remotes.set_remote(ws, CALL_ID, str(folder))
    return folder


def declare_and_score_all(ws: OpenWorkspace, value: str = "0.8") -> None:
    """The general declaration, no conflict anywhere, every criterion scored."""
    declarations.declare_general(ws, CALL_ID)
    for code in (*ADMISSIBLE, "P006"):
        declarations.declare_proposal(ws, CALL_ID, code, conflict=False)
    for code in ADMISSIBLE:
        scores.save_scores(ws, CALL_ID, code, values={k: Decimal(value) for k in KEYS},
                           justifications=dict.fromkeys(KEYS, WHY))  # fmt: skip
