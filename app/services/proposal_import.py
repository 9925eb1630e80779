"""Importing proposals from CSV or XLSX: every problem first, then all or nothing.

:func:`plan_import` reads and checks the whole file without writing anything
and returns the rows it would import and every problem, each with its row and
column (the GUI shows this as a preview). :func:`import_proposals` refuses the
file if there is any problem and otherwise writes every proposal and its
attachments in one transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import echo
from app.i18n import _, format_decimal
from app.models import Attachment, Call, Proposal
from app.models.numbers import NumberError, read_amount
from app.models.proposal import REASON_COST_ABOVE_MAXIMUM, REASON_REQUEST_ABOVE_RULE
from app.models.rules import SUBMISSION_ORDER
from app.models.tax_code import is_valid_tax_code, normalise
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ImportRefusedError, Problem, ServiceError
from app.services.steps import Cancel, CancelledError, Progress, StepStoppedError, no_progress
from app.services.submission_order import (
    SubmissionValueError,
    read_protocol,
    read_submitted_at,
)
from app.services.tabular import Columns, cell, check_columns, read_table
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

PROPOSAL_COLUMNS = Columns(
    required={
        "id": "codice",
        "title": "titolo",
        "applicant": "proponente",
        "applicant_tax_code": "codice_fiscale",
        "legal_representative": "legale_rappresentante",
        "neighbourhood": "quartiere",
        "thematic_area": "area_tematica",
        "total_cost": "costo_totale",
        "requested_contribution": "contributo_richiesto",
    },
    optional={
        "partners": "partner",
        "summary": "sintesi",
        "attachments": "allegati",
        "protocol": "protocollo",
        "submitted_at": "presentata_il",
    },
)
REQUIRED_COLUMNS = tuple(PROPOSAL_COLUMNS.required)
OPTIONAL_COLUMNS = tuple(PROPOSAL_COLUMNS.optional)
PROPOSAL_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ATTACHMENT_NAME_PATTERN = re.compile(r"^[^/\\:\x00]{1,200}$")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Attachments sent to the database at a time while importing (memory bound).
FLUSH_ATTACHMENTS = 100
PDF_MAGIC = b"%PDF-"
# Progress is reported for the first proposal, every tenth and the last.
PROGRESS_EVERY = 10


class ImportStoppedError(StepStoppedError):
    """The import was stopped: the transaction rolled back, nothing written."""

    def __init__(self) -> None:
        super().__init__(_("Import of the proposals"))


class CallNotEditableError(ServiceError):
    def __init__(self, call_id: str, status: str) -> None:
        super().__init__(
            _(
                "Call {call_id} is {status}: proposals can only be imported before publication."
            ).format(call_id=call_id, status=status)
        )


@dataclass(frozen=True)
class PlannedAttachment:
    filename: str
    path: Path


@dataclass(frozen=True)
class PlannedProposal:
    """A row that passed every check, ready to be written."""

    row: int
    code: str
    fields: dict[str, Any]
    attachments: tuple[PlannedAttachment, ...]
    inadmissible_reasons: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, and everything wrong with the file."""

    call_id: str
    source: str
    proposals: tuple[PlannedProposal, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportResult:
    call_id: str
    imported: int
    inadmissible: int
    attachments: int
    changes: Changes = field(default_factory=lambda: Changes(proposals=True))


def _choice(value: str, allowed: list[str]) -> str | None:
    folded = {item.casefold(): item for item in allowed}
    return folded.get(value.strip().casefold())


def _split(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;\n]", value) if item.strip()]


class _RowChecker:
    def __init__(
        self,
        call: Call,
        existing: set[str],
        attachments_dir: Path,
        names: Callable[[str], str] = str,
    ) -> None:
        self.call = call
        self.names = names  # a column's name as the file wrote it
        self.existing = existing
        self.attachments_dir = attachments_dir
        self.seen: dict[str, int] = {}
        self.protocols: dict[int, int] = {}
        self.problems: list[Problem] = []
        self.needs_submission_order = SUBMISSION_ORDER in call.grid.cascade

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(cell(row, self.names(column)), message))

    def amount(self, row: int, values: dict[str, str], column: str) -> Decimal | None:
        text = values.get(column, "")
        if not text:
            self.problem(row, column, _("required"))
            return None
        try:
            value = read_amount(text)
        except NumberError as exc:
            self.problem(row, column, exc.sentence)
            return None
        if value <= 0:
            self.problem(row, column, _("the amount must be greater than zero"))
            return None
        return value

    def submission(self, row: int, values: dict[str, str]) -> dict[str, Any]:
        """The row's protocol number and moment of submission (None where blank)."""
        found: dict[str, Any] = {"protocol": None, "submitted_at": None}
        for column, reader in (("protocol", read_protocol), ("submitted_at", read_submitted_at)):
            text = values.get(column, "")
            if not text:
                if self.needs_submission_order:
                    self.problem(
                        row, column, _("required: the call breaks ties by order of submission")
                    )
                continue
            try:
                found[column] = reader(text)
            except SubmissionValueError as exc:
                self.problem(row, column, exc.sentence)
        protocol = found["protocol"]
        if protocol is not None:
            if protocol in self.protocols:
                self.problem(
                    row,
                    "protocol",
                    _("protocol number {value} also in row {other}").format(
                        value=protocol, other=self.protocols[protocol]
                    ),
                )
            self.protocols.setdefault(protocol, row)
        return found

    def attachments(self, row: int, text: str) -> list[PlannedAttachment]:
        planned: list[PlannedAttachment] = []
        names: set[str] = set()
        for name in _split(text):
            if not ATTACHMENT_NAME_PATTERN.match(name) or name in (".", ".."):
                self.problem(
                    row, "attachments", _("invalid file name {name}").format(name=echo(name))
                )
                continue
            if name in names:
                self.problem(
                    row, "attachments", _("attachment {name} listed twice").format(name=echo(name))
                )
                continue
            names.add(name)
            path = self.attachments_dir / name
            if not path.is_file():
                self.problem(
                    row,
                    "attachments",
                    _("attachment {name} not found in {folder}").format(
                        name=echo(name), folder=self.attachments_dir
                    ),
                )
                continue
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                self.problem(
                    row,
                    "attachments",
                    _("attachment {name} is larger than 20 MB").format(name=echo(name)),
                )
                continue
            with path.open("rb") as handle:
                head = handle.read(1024)
            if PDF_MAGIC not in head:
                self.problem(
                    row, "attachments", _("attachment {name} is not a PDF").format(name=echo(name))
                )
                continue
            planned.append(PlannedAttachment(name, path))
        return planned

    def check(self, row: int, values: dict[str, str]) -> PlannedProposal | None:
        before = len(self.problems)
        code = values.get("id", "")
        if not code:
            self.problem(row, "id", _("required"))
        elif not PROPOSAL_ID_PATTERN.match(code):
            self.problem(
                row,
                "id",
                _("use letters, digits, '.', '_' or '-': {value}").format(value=echo(code)),
            )
        elif code in self.seen:
            self.problem(
                row,
                "id",
                _("duplicate id {value} (also in row {other})").format(
                    value=echo(code), other=self.seen[code]
                ),
            )
        elif code in self.existing:
            self.problem(
                row, "id", _("proposal {value} is already in the call").format(value=echo(code))
            )
        if code:
            self.seen.setdefault(code, row)
        for column in ("title", "applicant", "legal_representative"):
            if not values.get(column):
                self.problem(row, column, _("required"))
        tax_code = normalise(values.get("applicant_tax_code", ""))
        if not tax_code:
            self.problem(row, "applicant_tax_code", _("required"))
        elif not is_valid_tax_code(tax_code):
            self.problem(
                row,
                "applicant_tax_code",
                _("{value} is not a valid codice fiscale or partita IVA (check digit)").format(
                    value=echo(tax_code, 20)  # a real one has 11 or 16 characters
                ),
            )
        neighbourhood = _choice(values.get("neighbourhood", ""), self.call.neighbourhoods)
        if neighbourhood is None:
            self.problem(
                row,
                "neighbourhood",
                _("unknown neighbourhood {value}").format(
                    value=echo(values.get("neighbourhood", ""))
                ),
            )
        area = _choice(values.get("thematic_area", ""), self.call.thematic_areas)
        if area is None:
            self.problem(
                row,
                "thematic_area",
                _("unknown thematic area {value}").format(
                    value=echo(values.get("thematic_area", ""))
                ),
            )
        total_cost = self.amount(row, values, "total_cost")
        requested = self.amount(row, values, "requested_contribution")
        attachments = self.attachments(row, values.get("attachments", ""))
        submission = self.submission(row, values)
        if len(self.problems) > before:
            return None
        assert total_cost is not None and requested is not None
        return PlannedProposal(
            row=row,
            code=code,
            fields={
                "title": values["title"],
                "applicant": values["applicant"],
                "applicant_tax_code": tax_code,
                "legal_representative": values["legal_representative"],
                "partners": _split(values.get("partners", "")),
                "neighbourhood": neighbourhood,
                "thematic_area": area,
                "total_cost": total_cost,
                "requested_contribution": requested,
                "summary": values.get("summary", ""),
                **submission,
            },
            attachments=tuple(attachments),
            inadmissible_reasons=tuple(admissibility_reasons(self.call, total_cost, requested)),
        )


def admissibility_reasons(
    call: Call, total_cost: Decimal, requested: Decimal
) -> list[dict[str, Any]]:
    """Why a proposal with these amounts is not admissible (empty if it is)."""
    rule = call.matchfunding
    reasons: list[dict[str, Any]] = []
    if total_cost > rule.max_project_cost:
        reasons.append(
            {
                "code": REASON_COST_ABOVE_MAXIMUM,
                "params": {
                    "total_cost": f"{total_cost:f}",
                    "maximum": f"{rule.max_project_cost:f}",
                },
            }
        )
    allowed = rule.max_contribution(total_cost)
    if requested > allowed:
        reasons.append(
            {
                "code": REASON_REQUEST_ABOVE_RULE,
                "params": {"requested": f"{requested:f}", "allowed": f"{allowed:f}"},
            }
        )
    return reasons


def plan_import(
    ws: OpenWorkspace,
    call_id: str,
    path: Path,
    attachments_dir: Path | None = None,
    *,
    progress: Progress = no_progress,
) -> ImportPlan:
    """Read and check ``path`` for ``call_id``; writes nothing (``progress``
    hears "Checking proposal 120 of 10,000…")."""
    table = read_table(path, PROPOSAL_COLUMNS)
    folder = attachments_dir if attachments_dir is not None else path.parent
    with ws.session() as session:
        require_role(session, "secretariat")
        call = get_call(session, call_id)
        if call.status != "draft":
            raise CallNotEditableError(call.id, call.status)
        existing = set(session.scalars(select(Proposal.code).where(Proposal.call_id == call_id)))
        problems = check_columns(table, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, PROPOSAL_COLUMNS)
        planned: list[PlannedProposal] = []
        if not problems:
            checker = _RowChecker(call, existing, folder, table.name)
            for index, row in enumerate(table.rows, start=1):
                _report(
                    progress, _("Checking proposal {index} of {total}…"), index, len(table.rows)
                )
                if row.extra_cells:
                    checker.problem(row.number, "-", _("more cells than columns in the header"))
                proposal = checker.check(row.number, row.values)
                if proposal is not None:
                    planned.append(proposal)
            problems = checker.problems
            if not table.rows:
                problems.append(Problem(table.source, _("no proposals in the file")))
    return ImportPlan(call_id, table.source, tuple(planned), tuple(problems))


def _write_out(session: Session, written: list[Proposal]) -> None:
    """Send ``written`` to the database (same transaction) and let the session
    forget them: a regional call's PDFs (gigabytes) are never all in memory."""
    session.flush()
    for proposal in written:
        session.expunge(proposal)  # and its attachments (cascade "all")
    written.clear()


def apply_import(
    ws: OpenWorkspace,
    plan: ImportPlan,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> ImportResult:
    """Write a problem-free plan in one transaction (secretariat only).

    ``progress`` hears "Proposal 120 of 10,000…"; ``cancel`` stops the import
    before the next proposal, rolling everything back
    (:class:`ImportStoppedError`).
    """
    if plan.problems:
        raise ImportRefusedError(plan.source, list(plan.problems))
    try:
        return _apply(ws, plan, progress, cancel or Cancel())
    except CancelledError:
        raise ImportStoppedError() from None


def _report(progress: Progress, text: str, index: int, total: int) -> None:
    """``text`` (translated, with ``{index}`` and ``{total}``) for the first
    proposal, every tenth and the last."""
    if index in {1, total} or index % PROGRESS_EVERY == 0:
        progress(
            text.format(
                index=format_decimal(Decimal(index), 0), total=format_decimal(Decimal(total), 0)
            )
        )


def _apply(ws: OpenWorkspace, plan: ImportPlan, progress: Progress, cancel: Cancel) -> ImportResult:
    attachment_count = 0
    digest = hashlib.sha256()
    written: list[Proposal] = []
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        call = get_call(session, plan.call_id)
        if call.status != "draft":
            raise CallNotEditableError(call.id, call.status)
        total = len(plan.proposals)
        for index, planned in enumerate(plan.proposals, start=1):
            cancel.check()  # between two proposals: the rollback undoes every one
            _report(progress, _("Proposal {index} of {total}…"), index, total)
            proposal = Proposal(
                call_id=call.id,
                code=planned.code,
                admissible=not planned.inadmissible_reasons,
                inadmissible_reasons=list(planned.inadmissible_reasons),
                **planned.fields,
            )
            for position, item in enumerate(planned.attachments):
                content = item.path.read_bytes()
                if len(content) > MAX_ATTACHMENT_BYTES or PDF_MAGIC not in content[:1024]:
                    # Changed on disk since the plan was made.
                    raise ImportRefusedError(
                        plan.source,
                        [
                            Problem(
                                cell(planned.row, "attachments"),
                                _("attachment {name} changed while importing").format(
                                    name=echo(item.filename)
                                ),
                            )
                        ],
                    )
                sha = hashlib.sha256(content).hexdigest()
                digest.update(sha.encode("ascii"))
                proposal.attachments.append(
                    Attachment(
                        position=position,
                        filename=item.filename,
                        sha256=sha,
                        size=len(content),
                        content=content,
                    )
                )
                attachment_count += 1
            session.add(proposal)
            written.append(proposal)
            if sum(len(p.attachments) for p in written) >= FLUSH_ATTACHMENTS:
                _write_out(session, written)
        _write_out(session, written)
        inadmissible = sum(1 for p in plan.proposals if p.inadmissible_reasons)
        audit.append(
            session,
            actor=identity.key_id,
            action="proposals.imported",
            call_id=call.id,
            subject=plan.source,
            details={
                "count": len(plan.proposals),
                "inadmissible": inadmissible,
                "attachments": attachment_count,
                "attachments_digest": digest.hexdigest(),
                "codes": [p.code for p in plan.proposals],
            },
        )
    return ImportResult(plan.call_id, len(plan.proposals), inadmissible, attachment_count)


def import_proposals(
    ws: OpenWorkspace,
    call_id: str,
    path: Path,
    attachments_dir: Path | None = None,
    *,
    progress: Progress = no_progress,
    cancel: Cancel | None = None,
) -> ImportResult:
    """Check the whole file, then import all of it or nothing."""
    plan = plan_import(ws, call_id, path, attachments_dir, progress=progress)
    return apply_import(ws, plan, progress=progress, cancel=cancel)
