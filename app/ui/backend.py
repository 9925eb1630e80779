"""The GUI's one door to the use cases.

Every method runs on the database worker thread, never on the GUI thread. The
use-case modules (and SQLAlchemy under them) are imported inside the methods,
so the main window can be on screen while they load in the background. The
unlocked workspace lives here and nowhere else in the GUI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.services.errors import ServiceError

if TYPE_CHECKING:
    from decimal import Decimal

    from app.services.views import (
        CallView,
        DeclarationText,
        DeskView,
        IdentityView,
        ProposalDetail,
        ProposalRow,
        ScoreSheetView,
    )
    from app.store.workspace import Workspace


class LockedError(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("The workspace is locked."))


class Backend:
    """The use cases the screens need, for the workspace in ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise LockedError()
        return self._workspace

    @property
    def unlocked(self) -> bool:
        return self._workspace is not None

    def has_keyring_slot(self) -> bool:
        """Whether unlocking through the OS keyring is worth trying."""
        from app.store.workspace import load_slots

        return load_slots(self.home).has("keyring")

    def unlock(self, secret: str | None) -> IdentityView:
        """Unlock with ``secret`` (passphrase or recovery code) or, if None, the keyring."""
        from app.services.workspace import identity, unlock
        from app.store.preferences import remember_workspace

        workspace = unlock(self.home, secret)
        self.lock()
        self._workspace = workspace
        view = identity(workspace)
        remember_workspace(self.home, view.name, view.role)
        return view

    def lock(self) -> None:
        """Close every connection to the database."""
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None

    def calls(self) -> list[CallView]:
        from app.services.calls import list_calls

        return list_calls(self.workspace)

    def proposals(self, call_id: str) -> list[ProposalRow]:
        from app.services.proposals import list_proposals

        return list_proposals(self.workspace, call_id)

    def proposal_detail(self, call_id: str, proposal_id: str) -> ProposalDetail:
        from app.services.proposals import proposal_detail

        return proposal_detail(self.workspace, call_id, proposal_id)

    def attachment(self, attachment_id: int) -> bytes:
        from app.services.proposals import attachment_content

        return attachment_content(self.workspace, attachment_id)

    # -- a member's desk -------------------------------------------------------

    def desk(self, call_id: str) -> DeskView:
        from app.services.member_desk import desk

        return desk(self.workspace, call_id)

    def score_sheet(self, call_id: str, proposal_id: str) -> ScoreSheetView:
        from app.services.member_desk import score_sheet

        return score_sheet(self.workspace, call_id, proposal_id)

    def declaration_text(self, call_id: str) -> DeclarationText:
        from app.services.declarations import general_declaration_text

        return general_declaration_text(self.workspace, call_id)

    def declare_general(self, call_id: str) -> DeskView:
        from app.services.declarations import declare_general

        declare_general(self.workspace, call_id)
        return self.desk(call_id)

    def declare_proposal(
        self, call_id: str, proposal_id: str, conflict: bool, category: str | None, reason: str
    ) -> tuple[ScoreSheetView, DeskView]:
        from app.services.declarations import declare_proposal

        declare_proposal(
            self.workspace,
            call_id,
            proposal_id,
            conflict=conflict,
            category=category,
            reason=reason,
        )
        return self.score_sheet(call_id, proposal_id), self.desk(call_id)

    def save_scores(
        self,
        call_id: str,
        proposal_id: str,
        values: dict[str, Decimal | None],
        justifications: dict[str, str],
    ) -> tuple[ScoreSheetView, DeskView]:
        from app.services.scores import save_scores

        save_scores(
            self.workspace, call_id, proposal_id, values=values, justifications=justifications
        )
        return self.score_sheet(call_id, proposal_id), self.desk(call_id)

    # -- settings --------------------------------------------------------------

    def idle_lock_minutes(self) -> int:
        from app.services.settings import IDLE_LOCK_MINUTES, get_setting

        return int(get_setting(self.workspace, IDLE_LOCK_MINUTES))

    def set_idle_lock_minutes(self, minutes: int) -> None:
        from app.services.settings import IDLE_LOCK_MINUTES, set_setting

        set_setting(self.workspace, IDLE_LOCK_MINUTES, minutes)
