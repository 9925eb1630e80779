"""The recovery sheet of a new workspace, saved where its owner chooses."""

from __future__ import annotations

from pathlib import Path

from app.labels import role_label
from app.reports.recovery_sheet import RecoverySheetView, render_recovery_sheet
from app.services.files import write_output
from app.services.views import IdentityView


def save_recovery_sheet(path: Path, identity: IdentityView, recovery_code: str) -> Path:
    """Write the one-page PDF with the recovery code to ``path``, readable by
    its owner alone (the code opens the workspace)."""
    view = RecoverySheetView(
        name=identity.name,
        role=role_label(identity.role),
        workspace=identity.workspace,
        fingerprint=identity.fingerprint,
        recovery_code=recovery_code,
    )
    return write_output(path, render_recovery_sheet(view), shared=False)
