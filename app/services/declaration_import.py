"""Declarations of conflict of interest in bulk, still deliberate.

``vaglio declare CALL_ID --from FILE`` reads ``proposal,conflict,category,
reason``; ``vaglio score import`` accepts the same ``conflict,category,reason``
columns beside the scores (:mod:`app.services.scores`). Each row is an explicit
statement about one proposal: nothing is ever inferred from a proposal's
absence or from the presence of scores. The file is taken whole or refused
whole, with the row and column of every problem, and nothing is written on a
refusal:

- ``proposal`` must be one of the call's proposals, stated once;
- ``conflict`` is ``yes``/``sì``/``si`` or ``no`` (any case);
- with a conflict, ``category`` is one of ``kinship``, ``professional``,
  ``economic``, ``membership``, ``other`` (or ``parentela``, ``professionale``,
  ``economico``, ``appartenenza``, ``altro``) and ``reason`` says why in at least
  :data:`MIN_REASON_CHARS` characters; without one, both stay empty;
- a row may not contradict the declaration this member already submitted to
  the city office for that proposal (in their newest score bundle): changing a
  submitted declaration is done one proposal at a time, on purpose, with
  ``vaglio declare CALL_ID PROPOSAL_ID …`` or the declaration form.

Each statement that changes something is then recorded exactly as a single
declaration is (:func:`app.services.declarations.record_proposal_declaration`:
a conflict withdraws the scores already given, every change is audited), so
the office's conflict history reads the same whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.score_bundle import BundleDeclaration, ScoreBundle
from app.errors import echo
from app.i18n import _
from app.labels import category_label
from app.models import ConflictDeclaration, Proposal
from app.models.evaluation import CONFLICT_CATEGORIES
from app.services.changes import Changes
from app.services.declarations import record_proposal_declaration, require_general
from app.services.errors import ImportRefusedError, Problem
from app.services.member_desk import MemberContext, member_context
from app.services.outbox import last_sent_bundle
from app.services.tabular import Columns, TableRow, cell, check_columns, read_table
from app.services.unlocking import OpenWorkspace

DECLARATION_TABLE = Columns(
    required={
        "proposal": "proposta",
        "conflict": "conflitto",
        "category": "categoria",
        "reason": "motivo",
    }
)
DECLARATION_COLUMNS = tuple(DECLARATION_TABLE.required)
DECLARATION_FIELDS = DECLARATION_COLUMNS[1:]
MIN_REASON_CHARS = 10
YES = ("yes", "sì", "si")
NO = ("no",)
# The categories by their Italian names too, as the templates' users write them.
ITALIAN_CATEGORIES = {
    "parentela": "kinship",
    "professionale": "professional",
    "economico": "economic",
    "appartenenza": "membership",
    "altro": "other",
}


@dataclass(frozen=True)
class Statement:
    """One row's declaration about one proposal."""

    proposal: str
    conflict: bool
    category: str | None
    reason: str
    row: int
    names: Mapping[str, str] = field(default_factory=dict)  # columns as the file wrote them

    def where(self, column: str) -> str:
        return cell(self.row, self.names.get(column, column))


@dataclass(frozen=True)
class DeclarationsImported:
    call_id: str
    declared: int  # rows in the file
    changed: int  # declarations written (new or different)
    conflicts: int  # rows declaring a conflict
    withdrawn_scores: int
    changes: Changes = field(default_factory=lambda: Changes(declarations=True))


def read_statement(row: TableRow) -> Statement | list[Problem]:
    """The statement of one row, or every problem in it (no database needed)."""
    problems = []
    values, number = row.values, row.number
    code = values.get("proposal", "").strip()
    if not code:
        problems.append(Problem(row.where("proposal"), _("the proposal is missing")))
    answer = values.get("conflict", "").strip().casefold()
    written = values.get("category", "").strip()
    category = ITALIAN_CATEGORIES.get(written.casefold(), written)
    reason = values.get("reason", "").strip()
    conflict = answer in YES
    if answer not in YES + NO:
        message = _("write yes (or sì) or no, not {value}").format(value=echo(answer) or "''")
        problems.append(Problem(row.where("conflict"), message))
    elif conflict:
        if category not in CONFLICT_CATEGORIES:
            problems.append(
                Problem(
                    row.where("category"),
                    _("the category of the conflict is {value}: use {categories}").format(
                        value=echo(written) or "''",
                        categories=", ".join(CONFLICT_CATEGORIES)
                        + " ("
                        + ", ".join(ITALIAN_CATEGORIES)
                        + ")",
                    ),
                )
            )
        if len(reason) < MIN_REASON_CHARS:
            problems.append(
                Problem(
                    row.where("reason"),
                    _(
                        "say why there is a conflict, in at least {minimum} characters "
                        "({length} given)"
                    ).format(minimum=MIN_REASON_CHARS, length=len(reason)),
                )
            )
    else:
        if category:
            problems.append(
                Problem(row.where("category"), _("a category goes only with a conflict"))
            )
        if reason:
            problems.append(Problem(row.where("reason"), _("a reason goes only with a conflict")))
    if problems:
        return problems
    return Statement(code, conflict, category if conflict else None, reason if conflict else "",
                     number, row.names)  # fmt: skip


def _same(a: Statement, b: BundleDeclaration | ConflictDeclaration) -> bool:
    if isinstance(b, BundleDeclaration):
        return (a.conflict, a.category, a.reason) == (b.conflict, b.category, b.reason)
    return (a.conflict, a.category, a.reason) == (b.has_conflict, b.category, b.reason)


def _said(conflict: bool, category: str | None, reason: str) -> str:
    if not conflict:
        return _("no conflict")
    return _("conflict, {category}: {reason}").format(
        category=category_label(category), reason=echo(reason, 60)
    )


def submitted_declarations(
    session: Session, context: MemberContext
) -> tuple[int | None, dict[str, BundleDeclaration]]:
    """The sequence of this member's newest submitted bundle (None: none yet)
    and the declarations it carried, by proposal."""
    last = last_sent_bundle(session, context.call.id, context.identity.key_id)
    if last is None:
        return None, {}
    sent = ScoreBundle.parse(last.envelope).declarations
    return last.sequence, {d.proposal: d for d in sent}


def same_declaration(
    conflict: bool, category: str | None, reason: str, other: BundleDeclaration
) -> bool:
    """Whether a declaration says what ``other`` (a submitted one) says."""
    return (conflict, category, reason) == (other.conflict, other.category, other.reason)


class DeclarationPlan:
    """Checks statements against the call and what was already submitted,
    inside one session; then writes them."""

    def __init__(self, session: Session, context: MemberContext) -> None:
        self.session = session
        self.context = context
        require_general(session, context)
        call_id = context.call.id
        self.proposals = {
            p.code: p for p in session.scalars(select(Proposal).where(Proposal.call_id == call_id))
        }
        self.submitted_sequence, self.submitted = submitted_declarations(session, context)
        self.statements: dict[str, Statement] = {}

    def add(self, statement: Statement, *, repeat_ok: bool = False) -> list[Problem]:
        """Check ``statement``; keep it if it is sound. ``repeat_ok``: the same
        statement may come again (a score file repeats it on every row)."""
        where = statement.where("proposal")
        if statement.proposal not in self.proposals:
            message = _("the call has no proposal {proposal}").format(
                proposal=echo(statement.proposal)
            )
            return [Problem(where, message)]
        earlier = self.statements.get(statement.proposal)
        if earlier is not None:
            same = (earlier.conflict, earlier.category, earlier.reason) == (
                statement.conflict, statement.category, statement.reason,
            )  # fmt: skip
            if repeat_ok and same:
                return []
            message = _("{proposal} already declared in row {other}").format(
                proposal=echo(statement.proposal), other=earlier.row
            )
            return [Problem(where, message)]
        submitted = self.submitted.get(statement.proposal)
        if submitted is not None and not _same(statement, submitted):
            message = _(
                "contradicts the declaration already submitted in bundle n. {sequence} "
                "({before}): change a submitted declaration on its own, with "
                "'vaglio declare {call_id} {proposal} …' or the declaration form"
            ).format(
                sequence=self.submitted_sequence,
                before=_said(submitted.conflict, submitted.category, submitted.reason),
                call_id=self.context.call.id,
                proposal=echo(statement.proposal),
            )
            return [Problem(statement.where("conflict"), message)]
        self.statements[statement.proposal] = statement
        return []

    def conflict_of(self, code: str) -> bool | None:
        """What this file says of ``code`` (None: nothing)."""
        statement = self.statements.get(code)
        return None if statement is None else statement.conflict

    def write(self, source: str) -> tuple[int, int]:
        """Record every statement that changes something: (changed, scores withdrawn)."""
        current = {
            d.proposal_id: d
            for d in self.session.scalars(
                select(ConflictDeclaration).where(
                    ConflictDeclaration.member_id == self.context.member.id
                )
            )
        }
        changed = withdrawn = 0
        for code in sorted(self.statements):
            statement = self.statements[code]
            proposal = self.proposals[code]
            before = current.get(proposal.id)
            if before is not None and _same(statement, before):
                continue  # already so: declared_at and the history stay as they are
            withdrawn += record_proposal_declaration(
                self.session,
                self.context,
                proposal,
                conflict=statement.conflict,
                category=statement.category,
                reason=statement.reason,
                source=source,
            )
            changed += 1
        return changed, withdrawn


def plan_rows(plan: DeclarationPlan, rows: list[TableRow], *, repeat_ok: bool) -> list[Problem]:
    """Read and check the declaration of every row in ``rows``."""
    problems: list[Problem] = []
    for row in rows:
        if row.extra_cells:
            problems.append(
                Problem(cell(row.number, "-"), _("more cells than columns in the header"))
            )
        statement = read_statement(row)
        if isinstance(statement, list):
            problems += statement
        else:
            problems += plan.add(statement, repeat_ok=repeat_ok)
    return problems


def import_declarations(ws: OpenWorkspace, call_id: str, path: Path) -> DeclarationsImported:
    """Record ``proposal,conflict,category,reason`` rows: all or nothing."""
    table = read_table(path, DECLARATION_TABLE)
    problems = check_columns(table, DECLARATION_COLUMNS, columns=DECLARATION_TABLE)
    if not problems and not table.rows:
        problems.append(Problem(table.source, _("no declarations in the file")))
    if problems:
        raise ImportRefusedError(table.source, problems)
    with ws.session() as session:
        plan = DeclarationPlan(session, member_context(session, call_id))
        problems = plan_rows(plan, table.rows, repeat_ok=False)
        if problems:
            raise ImportRefusedError(table.source, problems)
        changed, withdrawn = plan.write(table.source)
    conflicts = sum(1 for s in plan.statements.values() if s.conflict)
    return DeclarationsImported(
        call_id,
        len(plan.statements),
        changed,
        conflicts,
        withdrawn,
        Changes(declarations=True, scores=withdrawn > 0),
    )
