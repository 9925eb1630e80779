"""Recording a member's scores: one save at a time (the form's autosave and
``vaglio score``), or a whole file (``vaglio score import``, all or nothing).

A score is refused before the general and the per-proposal declarations, for
a conflicted or inadmissible proposal, for a value the grid does not allow,
and (from the command line and from files) for a motivation shorter than the
call's minimum. The form may save a shorter motivation while it is being
typed: the criterion then simply is not complete yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import echo
from app.i18n import _, format_decimal
from app.models import ConflictDeclaration, GeneralDeclaration, Proposal, Score
from app.models.base import utc_now
from app.models.numbers import NumberError, places_of, read_number
from app.models.rules import Grid
from app.scoring.sheet import motivation_ok, value_problem
from app.services.changes import Changes
from app.services.declaration_import import (
    DECLARATION_FIELDS,
    DECLARATION_TABLE,
    DeclarationPlan,
    plan_rows,
)
from app.services.errors import ImportRefusedError, Problem, ServiceError
from app.services.evaluation_errors import (
    ConflictedProposalError,
    GeneralDeclarationMissingError,
    InadmissibleProposalError,
    MotivationTooShortError,
    ProposalDeclarationMissingError,
    ScoredThroughSubcriteriaError,
    UnknownCriterionError,
    ValueNotAllowedError,
)
from app.services.member_desk import MemberContext, member_context
from app.services.proposals import get_proposal
from app.services.tabular import Columns, Table, TableRow, check_columns, read_table
from app.services.unlocking import OpenWorkspace
from app.store import audit

SCORE_TABLE = Columns(
    required={
        "proposal": "proposta",
        "criterion": "criterio",
        "value": "valore",
        "justification": "motivazione",
    },
    optional={column: DECLARATION_TABLE.italian[column] for column in DECLARATION_FIELDS},
)
SCORE_COLUMNS = tuple(SCORE_TABLE.required)


@dataclass(frozen=True)
class ScoresSaved:
    proposal_id: str
    criteria: tuple[str, ...]
    changes: Changes = field(default_factory=lambda: Changes(scores=True))


@dataclass(frozen=True)
class ScoresImported:
    call_id: str
    scores: int
    proposals: int
    declarations: int = 0  # declarations the file recorded (new or changed)
    withdrawn: int = 0  # scores withdrawn by a conflict the file declared
    changes: Changes = field(default_factory=lambda: Changes(scores=True))


@dataclass(frozen=True)
class ScoreChange:
    """One score a file would set: the value before (None: none) and after."""

    proposal: str
    criterion: str
    before: Decimal | None
    after: Decimal
    motivation_changed: bool


@dataclass(frozen=True)
class ScoresPreview:
    """What importing a file would do, every check passed; nothing written."""

    source: str
    changes: tuple[ScoreChange, ...]
    unchanged: int  # rows that give what the workspace already holds
    declarations: int  # declarations the file would record or change
    withdrawn: int  # scores a conflict in the file would withdraw


class _DryRun(Exception):  # noqa: N818 (not an error: the way out of a preview)
    """Leaves the session of a preview, rolling back what it planned."""

    def __init__(self, preview: ScoresPreview) -> None:
        super().__init__()
        self.preview = preview


def _allowed(grid: Grid, key: str) -> str:
    if grid.levels:
        return _("the levels are {levels}").format(
            levels=", ".join(
                format_decimal(level, places_of(level.normalize())) for level in grid.level_values
            )
        )
    criterion = grid.leaf(key)
    assert criterion is not None
    return grid.scoring.allowed(criterion)


def allowed_values(grid: Grid, key: str) -> str:
    """The values allowed on criterion ``key``, in words (the refusals quote them)."""
    return _allowed(grid, key)


def parse_value(text: str, criterion_title: str) -> Decimal:
    """A score value as people type it (``0.6`` or ``0,6``), with the one number reader."""
    try:
        return read_number(text)
    except NumberError as exc:
        raise ValueNotAllowedError(criterion_title, echo(text), exc.sentence) from None


class _SheetWriter:
    """Checks and writes scores for one member, inside one session."""

    def __init__(
        self,
        session: Session,
        context: MemberContext,
        stated: Callable[[str], bool | None] = lambda _code: None,
    ) -> None:
        self.stated = stated  # what the file being imported declares of a proposal
        self.session = session
        self.context = context
        self.call = context.call
        self.grid = context.call.grid
        self.rows = {row.key: row.id for row in context.call.criteria}
        member_id = context.member.id
        self.general = session.scalars(
            select(GeneralDeclaration).where(GeneralDeclaration.member_id == member_id)
        ).first()

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal, if this member may score it now."""
        if self.general is None:
            raise GeneralDeclarationMissingError(self.call.id)
        proposal = get_proposal(self.session, self.call.id, proposal_id)
        if not proposal.admissible:
            raise InadmissibleProposalError(proposal.code)
        declaration = self.session.scalars(
            select(ConflictDeclaration).where(
                ConflictDeclaration.member_id == self.context.member.id,
                ConflictDeclaration.proposal_id == proposal.id,
            )
        ).first()
        conflict = self.stated(proposal.code)
        if conflict is None and declaration is not None:
            conflict = declaration.has_conflict
        if conflict is None:
            raise ProposalDeclarationMissingError(proposal.code)
        if conflict:
            raise ConflictedProposalError(proposal.code)
        return proposal

    def criterion_title(self, key: str) -> str:
        criterion = self.grid.leaf(key)
        if criterion is None:
            parent = self.grid.criterion(key)
            if parent is not None:
                raise ScoredThroughSubcriteriaError(key, [s.key for s in parent.sub])
            raise UnknownCriterionError(echo(key), list(self.grid.leaf_keys))
        return criterion.title

    def check_value(self, key: str, value: Decimal) -> None:
        title = self.criterion_title(key)
        rule = self.grid.leaf(key)
        assert rule is not None
        if value_problem(self.grid, rule, value) is not None:
            raise ValueNotAllowedError(
                title,
                format_decimal(value, places_of(value.normalize())),
                _allowed(self.grid, key),
            )

    def check_motivation(self, key: str, text: str) -> None:
        if not motivation_ok(self.grid, text):
            raise MotivationTooShortError(
                self.criterion_title(key), self.grid.justification_min_chars, len(text.strip())
            )

    def existing(self, proposal: Proposal) -> dict[str, Score]:
        scores = self.session.scalars(
            select(Score).where(
                Score.member_id == self.context.member.id, Score.proposal_id == proposal.id
            )
        )
        keys = self.call.criterion_keys()
        return {keys[s.criterion_id]: s for s in scores}

    def write(
        self,
        proposal: Proposal,
        values: Mapping[str, Decimal | None],
        justifications: Mapping[str, str],
    ) -> list[str]:
        rows = self.existing(proposal)
        touched = sorted(set(values) | set(justifications))
        for key in touched:
            score = rows.get(key)
            if score is None:
                score = Score(
                    member_id=self.context.member.id,
                    proposal_id=proposal.id,
                    criterion_id=self.rows[key],
                    value=None,
                    justification="",
                )
                self.session.add(score)
            if key in values:
                score.value = values[key]
            if key in justifications:
                score.justification = justifications[key]
            score.updated_at = utc_now()
        return touched


def save_scores(
    ws: OpenWorkspace,
    call_id: str,
    proposal_id: str,
    *,
    values: Mapping[str, Decimal | None] | None = None,
    justifications: Mapping[str, str] | None = None,
    require_motivation: bool = False,
) -> ScoresSaved:
    """Record values and/or motivations for some criteria of one proposal.

    ``None`` as a value clears it. With ``require_motivation`` (the command
    line) every criterion touched must end up with a long-enough motivation.
    """
    values = dict(values or {})
    justifications = dict(justifications or {})
    with ws.session() as session:
        writer = _SheetWriter(session, member_context(session, call_id))
        proposal = writer.proposal(proposal_id)
        for key, value in values.items():
            writer.criterion_title(key)
            if value is not None:
                writer.check_value(key, value)
        for key in justifications:
            writer.criterion_title(key)
        if require_motivation:
            current = writer.existing(proposal)
            for key in set(values) | set(justifications):
                text = justifications.get(key)
                if text is None:
                    text = current[key].justification if key in current else ""
                writer.check_motivation(key, text)
        touched = writer.write(proposal, values, justifications)
        audit.append(
            session,
            actor=writer.context.identity.key_id,
            action="scores.saved",
            call_id=call_id,
            subject=proposal.code,
            details={
                "values": {k: None if v is None else f"{v:f}" for k, v in values.items()},
                "motivations": sorted(justifications),
            },
        )
    return ScoresSaved(proposal.code, tuple(touched))


def _plan_row(
    writer: _SheetWriter, row: TableRow, seen: dict[tuple[str, str], int]
) -> tuple[Proposal, str, Decimal, str] | Problem:
    """One checked row of a score file, or the first problem in it."""
    values, number = row.values, row.number
    code, key = values.get("proposal", ""), values.get("criterion", "")
    try:
        proposal = writer.proposal(code)
    except ServiceError as exc:
        return Problem(row.where("proposal"), str(exc))
    try:
        title = writer.criterion_title(key)
    except ServiceError as exc:
        return Problem(row.where("criterion"), str(exc))
    if (code, key) in seen:
        message = _("{criterion} of {proposal} already given in row {other}").format(
            criterion=echo(key), proposal=echo(code), other=seen[(code, key)]
        )
        return Problem(row.where("criterion"), message)
    seen[(code, key)] = number
    try:
        value = parse_value(values.get("value", ""), title)
        writer.check_value(key, value)
    except ServiceError as exc:
        return Problem(row.where("value"), str(exc))
    text = values.get("justification", "")
    try:
        writer.check_motivation(key, text)
    except ServiceError as exc:
        return Problem(row.where("justification"), str(exc))
    return proposal, key, value, text


def _declares(row: TableRow) -> bool:
    return any(row.values.get(column, "").strip() for column in DECLARATION_FIELDS)


def _scores(row: TableRow) -> bool:
    return any(row.values.get(column, "").strip() for column in SCORE_COLUMNS[1:])


def import_scores(ws: OpenWorkspace, call_id: str, path: Path) -> ScoresImported:
    """Import ``proposal,criterion,value,justification`` rows: all or nothing.

    With the optional ``conflict,category,reason`` columns a row may also
    declare its proposal (:mod:`app.services.declaration_import`): the same
    declaration on every row of a proposal, or on one row; a row that only
    declares leaves criterion, value and justification empty. A proposal's
    declaration is never inferred from its scores.
    """
    table = read_table(path, SCORE_TABLE)
    problems = check_columns(table, SCORE_COLUMNS, DECLARATION_FIELDS, SCORE_TABLE)
    if problems:
        raise ImportRefusedError(table.source, problems)
    imported = import_score_table(ws, call_id, table)
    assert isinstance(imported, ScoresImported)
    return imported


def _changes(
    writer: _SheetWriter,
    planned: Mapping[str, tuple[Proposal, dict[str, Decimal | None], dict[str, str]]],
) -> tuple[list[ScoreChange], int]:
    """The scores the plan changes, and how many rows it gives unchanged."""
    changes: list[ScoreChange] = []
    unchanged = 0
    for proposal, values, texts in planned.values():
        existing = writer.existing(proposal)
        for key, value in values.items():
            assert value is not None
            before = existing.get(key)
            old_value = before.value if before is not None else None
            old_text = before.justification if before is not None else ""
            if old_value == value and old_text == texts.get(key, old_text):
                unchanged += 1
                continue
            changes.append(
                ScoreChange(proposal.code, key, old_value, value, old_text != texts.get(key, ""))
            )
    return changes, unchanged


def import_score_table(
    ws: OpenWorkspace,
    call_id: str,
    table: Table,
    *,
    dry_run: bool = False,
    only_changes: bool = False,
) -> ScoresImported | ScoresPreview:
    """Check and write the rows of ``table`` (the score importer's columns).

    With ``dry_run``, every check runs and the result says what would change;
    the transaction is rolled back, so nothing is written. With
    ``only_changes``, a row giving what the workspace already holds is not
    written again (a sheet exported and imported back touches nothing).
    """
    problems: list[Problem] = []
    if not table.rows:
        problems.append(Problem(table.source, _("no scores in the file")))
        raise ImportRefusedError(table.source, problems)
    declaring = any(column in table.columns for column in DECLARATION_FIELDS)
    try:
        with ws.session() as session:
            return _import_rows(
                session,
                call_id,
                table,
                declaring=declaring,
                dry_run=dry_run,
                only_changes=only_changes,
            )
    except _DryRun as done:
        return done.preview


def _import_rows(
    session: Session,
    call_id: str,
    table: Table,
    *,
    declaring: bool,
    dry_run: bool,
    only_changes: bool,
) -> ScoresImported:
    problems: list[Problem] = []
    context = member_context(session, call_id)
    plan = DeclarationPlan(session, context) if declaring else None
    if plan is not None:
        stating = [row for row in table.rows if _declares(row)]
        problems += plan_rows(plan, stating, repeat_ok=True)
    writer = _SheetWriter(session, context, plan.conflict_of if plan else lambda _c: None)
    planned: dict[str, tuple[Proposal, dict[str, Decimal | None], dict[str, str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if plan is not None and _declares(row) and not _scores(row):
            continue  # a row that only declares
        result = _plan_row(writer, row, seen)
        if isinstance(result, Problem):
            problems.append(result)
            continue
        proposal, key, value, text = result
        entry = planned.setdefault(proposal.code, (proposal, {}, {}))
        entry[1][key] = value
        entry[2][key] = text
    if problems:
        raise ImportRefusedError(table.source, problems)
    changes, unchanged = _changes(writer, planned) if dry_run or only_changes else ([], 0)
    if only_changes:
        changed = {(c.proposal, c.criterion) for c in changes}
        for code, (_proposal, values, texts) in planned.items():
            for key in [k for k in values if (code, k) not in changed]:
                del values[key], texts[key]
        planned = {code: entry for code, entry in planned.items() if entry[1]}
    declared = withdrawn = 0
    if plan is not None:
        declared, withdrawn = plan.write(table.source)
    if dry_run:
        raise _DryRun(ScoresPreview(table.source, tuple(changes), unchanged, declared, withdrawn))
    count = 0
    for proposal, values, texts in planned.values():
        count += len(writer.write(proposal, values, texts))
    audit.append(
        session,
        actor=writer.context.identity.key_id,
        action="scores.imported",
        call_id=call_id,
        subject=table.source,
        details={"scores": count, "proposals": sorted(planned), "declarations": declared},
    )
    return ScoresImported(
        call_id,
        count,
        len(planned),
        declared,
        withdrawn,
        Changes(scores=True, declarations=declared > 0),
    )
