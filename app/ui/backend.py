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
    import datetime as dt
    from collections.abc import Callable
    from decimal import Decimal

    from app.services.cards import CardView
    from app.services.exchange import Cancel, SyncReport
    from app.services.funding import CampaignsImported
    from app.services.intake import IntakeResult
    from app.services.proposal_import import ImportPlan, ImportResult
    from app.services.publication import Published
    from app.services.ranking_views import FundingView, ProposalDrillDown, RankingView
    from app.services.roster import MemberView
    from app.services.status import CallStatus
    from app.services.submission import Submitted
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

    # -- the secretariat's set-up of a call ----------------------------------

    def create_call(self, text: str, source: str) -> str:
        from app.services.calls import create_call

        return create_call(self.workspace, text, source).call_id

    def definition_text(self, call_id: str) -> str:
        from app.services.call_setup import definition_text

        return definition_text(self.workspace, call_id)

    def update_call(self, call_id: str, text: str) -> None:
        from app.services.call_setup import update_call

        update_call(self.workspace, call_id, text)

    def call_view(self, call_id: str) -> CallView:
        from app.services.calls import call_view

        return call_view(self.workspace, call_id)

    def plan_import(self, call_id: str, path: Path, attachments: Path | None) -> ImportPlan:
        from app.services.proposal_import import plan_import

        return plan_import(self.workspace, call_id, path, attachments)

    def apply_import(self, plan: ImportPlan) -> ImportResult:
        from app.services.proposal_import import apply_import

        return apply_import(self.workspace, plan)

    def set_admissibility(
        self, call_id: str, proposal_id: str, admissible: bool, reason: str
    ) -> None:
        from app.services.call_setup import set_admissibility

        set_admissibility(
            self.workspace, call_id, proposal_id, admissible=admissible, reason=reason
        )

    def read_card(self, data: bytes) -> CardView:
        from app.services.cards import read_card

        return read_card(data)

    def enroll_cards(self, call_id: str, cards: list[tuple[bytes, str]]) -> list[CardView]:
        from app.services.cards import enroll_cards

        return enroll_cards(self.workspace, call_id, cards)[0]

    def roster(self, call_id: str) -> list[MemberView]:
        from app.services.roster import roster

        return roster(self.workspace, call_id)

    def publish(self, call_id: str) -> Published:
        from app.services.publication import publish_call

        return publish_call(self.workspace, call_id)

    # -- exchange with the city office ---------------------------------------

    def sync(self, cancel: Cancel, progress: Callable[[str], None]) -> SyncReport:
        from app.services.exchange import sync

        return sync(self.workspace, cancel=cancel, progress=progress)

    def call_status(self, call_id: str) -> CallStatus:
        from app.services.status import call_status

        return call_status(self.workspace, call_id)

    def submit(self, call_id: str) -> Submitted:
        from app.services.submission import submit

        return submit(self.workspace, call_id)

    def set_remote(self, call_id: str, destination: str) -> None:
        from app.services.remotes import set_remote

        set_remote(self.workspace, call_id, destination)

    def remote_of(self, call_id: str) -> str | None:
        from app.services.exchange_errors import NoRemoteError
        from app.services.remotes import get_remote

        try:
            return get_remote(self.workspace, call_id).destination
        except NoRemoteError:
            return None

    def export_card(self) -> bytes:
        from app.services.cards import export_card

        return export_card(self.workspace)

    def trust_office(self, data: bytes) -> CardView:
        from app.services.cards import trust_office

        return trust_office(self.workspace, data)[0]

    def import_file(self, data: bytes) -> IntakeResult:
        from app.services.intake import import_file

        return import_file(self.workspace, data)

    # -- ranking and funding -----------------------------------------------------

    def ranking_view(self, call_id: str) -> RankingView:
        from app.services.ranking import ranking_view

        return ranking_view(self.workspace, call_id)

    def record_lottery_number(self, call_id: str, number: str) -> RankingView:
        from app.services.ranking import record_lottery_number

        return record_lottery_number(self.workspace, call_id, number)

    def approve_ranking(self, call_id: str) -> RankingView:
        from app.services.ranking import approve_ranking

        return approve_ranking(self.workspace, call_id)

    def ranking_drill_down(self, call_id: str, proposal_id: str) -> ProposalDrillDown:
        from app.services.ranking import drill_down

        return drill_down(self.workspace, call_id, proposal_id)

    def export_ranking(self, call_id: str, kind: str, path: Path) -> None:
        """Write the ranking as ``kind`` (csv, xlsx, json) to ``path``, atomically."""
        from app.services.ranking_files import ranking_file
        from app.store.files import write_atomic

        write_atomic(path, ranking_file(self.workspace, call_id, kind), mode=0o644)

    def funding_view(self, call_id: str) -> FundingView:
        from app.services.funding import funding_view

        return funding_view(self.workspace, call_id)

    def import_campaigns(self, call_id: str, path: Path) -> CampaignsImported:
        from app.services.funding import import_campaigns

        return import_campaigns(self.workspace, call_id, path)

    def record_funding_progress(
        self,
        call_id: str,
        proposal: str,
        *,
        stage: str,
        amount: Decimal,
        on_date: dt.date,
        document: str,
    ) -> FundingView:
        from app.services.funding import record_progress

        return record_progress(
            self.workspace,
            call_id,
            proposal,
            stage=stage,
            amount=amount,
            on_date=on_date,
            document=document,
        )

    def remove_funding_record(self, call_id: str, record_id: int) -> FundingView:
        from app.services.funding import remove_record

        return remove_record(self.workspace, call_id, record_id)

    # -- minutes ---------------------------------------------------------------
    # The verbale after the approval, its signatures and the commission's
    # sittings. Signing and checking are not database work, but they are slow
    # and may talk to a token or a time-stamp server: the worker runs them too.

    def minutes_state(self, call_id: str) -> MinutesState:
        from app.services.minutes import minutes_state

        return minutes_state(self.workspace, call_id)

    def minutes_pdf(self, call_id: str) -> MinutesPdf:
        from app.services.minutes import make_minutes

        return make_minutes(self.workspace, call_id)

    def save_minutes(self, call_id: str, path: Path, content: bytes) -> str:
        """Write the minutes (as shown, signed or not) to ``path``; their SHA-256."""
        from app.services.minutes import save_minutes

        return save_minutes(self.workspace, call_id, path, content)

    def sign_minutes(
        self, content: bytes, key: SignerKey, field: str | None, timestamp_url: str | None
    ) -> SignedPdf:
        from app.services.minutes import sign_minutes

        return sign_minutes(content, key, field=field, timestamp_url=timestamp_url)

    def signature_fields(self, content: bytes) -> list[tuple[str, bool]]:
        from app.services.minutes import signature_fields

        return signature_fields(content)

    def verify_signatures(self, content: bytes, trust_files: list[Path]) -> list[SignatureReport]:
        from app.services.minutes import verify_signatures

        return verify_signatures(content, trust_files)

    def read_file(self, path: Path) -> bytes:
        """A file the user chose (a PDF to check or to sign further)."""
        from app.services.errors import InputFileError

        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise InputFileError(str(path), exc.strerror or type(exc).__name__) from None

    def sittings(self, call_id: str) -> list[SittingView]:
        from app.services.sittings import list_sittings

        return list_sittings(self.workspace, call_id)

    def add_sitting(
        self, call_id: str, held_on: dt.date, place: str, present: list[str], notes: str
    ) -> None:
        from app.services.sittings import add_sitting

        add_sitting(
            self.workspace, call_id, held_on=held_on, place=place, present=present, notes=notes
        )

    def remove_sitting(self, call_id: str, sitting_id: int) -> None:
        from app.services.sittings import remove_sitting

        remove_sitting(self.workspace, call_id, sitting_id)


if TYPE_CHECKING:  # the minutes' types, kept with their block above
    from app.services.minutes import (
        MinutesPdf,
        MinutesState,
        SignatureReport,
        SignedPdf,
        SignerKey,
    )
    from app.services.sittings import SittingView
