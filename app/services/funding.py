"""Matchfunding and the city's money, after the ranking is approved.

- :func:`import_campaigns` takes the platform's campaign results (CSV or
  XLSX ``proposal,raised,backers,closed_on``), all or nothing, every problem
  with its row and column; a new result for a proposal replaces the old one;
  a file with the header alone means "no results yet" and changes nothing.
- :func:`funding_view` walks the approved ranking with
  :func:`app.scoring.matchfunding.allocate`. The campaign window opens on the
  day the ranking was approved (Europe/Rome) and lasts the call's
  ``campaign_days``.
- :func:`record_progress` and :func:`remove_record` keep the commitments
  (*giuridicamente vincolante*) and payments (*erogato*) per project, each
  with its date and document; both are audited.

Totals as the city reports them: *programmato* is the call's programmed
amount, *ammesso a finanziamento* the contributions of the funded projects,
the other two the sums of the records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.clock import day_in_rome, today_in_rome
from app.errors import echo
from app.i18n import _, format_money
from app.models import CampaignResult, FundingRecord, Proposal
from app.models.funding import RECORDED_STAGES
from app.models.numbers import NumberError, read_amount
from app.scoring import matchfunding as mf
from app.scoring.views import (
    FundingRecordView,
    FundingTotals,
    FundingView,
    ProjectFundingView,
    RankingView,
)
from app.services.calls import get_call
from app.services.changes import Changes
from app.services.errors import ImportRefusedError, Problem, UnknownProposalError
from app.services.ranking import approved_view
from app.services.ranking_errors import (
    AboveCommitmentError,
    AboveContributionError,
    FundingRecordInputError,
    NotFundedError,
    UnknownFundingRecordError,
)
from app.services.tabular import Columns, TableRow, cell, check_columns, read_table
from app.services.unlocking import OpenWorkspace
from app.services.workspace import require_role
from app.store import audit

CAMPAIGN_TABLE = Columns(
    required={
        "proposal": "proposta",
        "raised": "raccolto",
        "backers": "sostenitori",
        "closed_on": "chiuso_il",
    }
)
CAMPAIGN_COLUMNS = tuple(CAMPAIGN_TABLE.required)
_DATE_IT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")
MAX_DOCUMENT_CHARS = 500


@dataclass(frozen=True)
class CampaignsImported:
    imported: int
    replaced: int
    changes: Changes

    def sentence(self) -> str:
        """What the import did, in the user's words."""
        if not self.imported:
            return _("The file holds no campaign results yet: nothing changed.")
        return _("{count} campaign results imported ({replaced} replaced).").format(
            count=self.imported, replaced=self.replaced
        )


@dataclass(frozen=True)
class FundingRecorded:
    """The funding after a commitment or a payment was recorded or removed."""

    view: FundingView
    changes: Changes


def parse_date(text: str) -> dt.date | None:
    """``2021-03-31`` or ``31/03/2021``; None if neither."""
    text = text.strip()
    if "T" in text or " " in text:  # a spreadsheet date comes as 2021-03-31T00:00:00
        text = text.split("T")[0].split(" ")[0]
    match = _DATE_IT.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def _window(view: RankingView, campaign_days: int) -> tuple[dt.date | None, dt.date | None]:
    if view.approved_at is None:
        return None, None
    start = day_in_rome(view.approved_at)
    return start, start + dt.timedelta(days=campaign_days)


def _records(session: Session, call_id: str) -> list[tuple[FundingRecord, str]]:
    return list(
        session.execute(
            select(FundingRecord, Proposal.code)
            .join(Proposal, Proposal.id == FundingRecord.proposal_id)
            .where(FundingRecord.call_id == call_id)
            .order_by(FundingRecord.on_date, FundingRecord.id)
        ).all()
    )


def _session_view(session: Session, call_id: str) -> FundingView:
    call = get_call(session, call_id)
    ranking = approved_view(session, call_id)
    rule = call.matchfunding
    start, end = _window(ranking, rule.campaign_days)
    campaigns = {
        code: result
        for result, code in session.execute(
            select(CampaignResult, Proposal.code)
            .join(Proposal, Proposal.id == CampaignResult.proposal_id)
            .where(CampaignResult.call_id == call_id)
        ).all()
    }
    records = _records(session, call_id)
    committed: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for record, code in records:
        target = committed if record.stage == "giuridicamente_vincolante" else paid
        target[code] = target.get(code, Decimal(0)) + record.amount
    result = mf.allocate(
        rule,
        [
            mf.Candidate(r.proposal, r.rank, r.total_cost, r.requested_contribution)
            for r in ranking.rows
        ],
        {
            code: mf.Campaign(code, c.raised, c.backers, c.closed_on)
            for code, c in campaigns.items()
        },
        window_start=start,
        paid=paid,
    )
    titles = {r.proposal: r.title for r in ranking.rows}
    projects = tuple(
        ProjectFundingView(
            proposal=p.proposal,
            title=titles[p.proposal],
            rank=p.rank,
            budget=p.budget,
            reserved=p.reserved,
            raised=p.raised,
            backers=campaigns[p.proposal].backers if p.proposal in campaigns else None,
            closed_on=campaigns[p.proposal].closed_on if p.proposal in campaigns else None,
            status=p.status,
            matched=p.matched,
            committed=committed.get(p.proposal, Decimal(0)),
            paid=paid.get(p.proposal, Decimal(0)),
            note=p.note,
        )
        for p in result.projects
    )
    ammesso = sum((p.matched for p in projects if p.status in (mf.FUNDED, mf.REALISED)), Decimal(0))
    return FundingView(
        call_id=call_id,
        rule=rule,
        window_start=start,
        window_end=end,
        projects=projects,
        records=tuple(
            FundingRecordView(r.id, code, r.stage, r.amount, r.on_date, r.document, r.recorded_at)
            for r, code in records
        ),
        totals=FundingTotals(
            reserved=result.reserved,
            matched=result.matched,
            programmato=call.programmed_amount,
            ammesso=ammesso,
            giuridicamente_vincolante=sum(committed.values(), Decimal(0)),
            erogato=sum(paid.values(), Decimal(0)),
        ),
        remaining=result.remaining,
    )


def funding_view(ws: OpenWorkspace, call_id: str) -> FundingView:
    """The allocation and the financial progress of ``call_id``."""
    with ws.session() as session:
        require_role(session, "secretariat")
        return _session_view(session, call_id)


def _check_campaign_row(
    row: TableRow, ranked: set[str], earliest: dt.date
) -> tuple[list[Problem], tuple[str, Decimal, int, dt.date] | None]:
    problems: list[Problem] = []
    values = row.values

    def problem(column: str, message: str) -> None:
        problems.append(Problem(row.where(column), message))

    code = values.get("proposal", "")
    if not code:
        problem("proposal", _("required"))
    elif code not in ranked:
        problem("proposal", _("{value} is not in the approved ranking").format(value=echo(code)))
    raised: Decimal | None = None
    text = values.get("raised", "")
    try:
        raised = read_amount(text)
    except NumberError as exc:
        problem("raised", _("required") if exc.reason == "empty" else exc.sentence)
    backers_text = values.get("backers", "")
    backers = int(backers_text) if re.fullmatch(r"\d{1,9}", backers_text) else None
    if backers is None:
        problem(
            "backers",
            _("{value} is not a whole number of backers").format(value=echo(backers_text)),
        )
    date_text = values.get("closed_on", "")
    closed_on = parse_date(date_text)
    if closed_on is None:
        problem(
            "closed_on",
            _("{value} is not a date: write 2021-03-31 or 31/03/2021").format(
                value=echo(date_text)
            ),
        )
    elif closed_on > today_in_rome():
        problem("closed_on", _("{value} is in the future").format(value=echo(date_text)))
    elif closed_on < earliest:
        # Campaigns start once the ranking is approved: an earlier date is a typo.
        problem(
            "closed_on",
            _("{value} is before the ranking was approved").format(value=echo(date_text)),
        )
    if problems:
        return problems, None
    assert raised is not None and backers is not None and closed_on is not None
    return problems, (code, raised, backers, closed_on)


def import_campaigns(ws: OpenWorkspace, call_id: str, path: Path) -> CampaignsImported:
    """Take in the campaign results in ``path``: all of them, or none."""
    table = read_table(path, CAMPAIGN_TABLE)
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        ranking = approved_view(session, call_id)
        earliest, _end = _window(ranking, 0)
        assert earliest is not None  # the ranking is approved
        ranked = {r.proposal for r in ranking.rows}
        with_money = set(
            session.scalars(
                select(Proposal.code)
                .join(FundingRecord, FundingRecord.proposal_id == Proposal.id)
                .where(FundingRecord.call_id == call_id)
            )
        )
        problems = check_columns(table, CAMPAIGN_COLUMNS, columns=CAMPAIGN_TABLE)
        rows: list[tuple[str, Decimal, int, dt.date]] = []
        seen: dict[str, int] = {}
        if not problems:
            for row in table.rows:
                if row.extra_cells:
                    problems.append(
                        Problem(cell(row.number, "-"), _("more cells than columns in the header"))
                    )
                found, parsed = _check_campaign_row(row, ranked, earliest)
                problems += found
                if parsed is None:
                    continue
                if parsed[0] in seen:
                    problems.append(
                        Problem(
                            row.where("proposal"),
                            _("duplicate id {value} (also in row {other})").format(
                                value=echo(parsed[0]), other=seen[parsed[0]]
                            ),
                        )
                    )
                    continue
                if parsed[0] in with_money:
                    problems.append(
                        Problem(
                            row.where("proposal"),
                            _(
                                "{value} already has commitments or payments: its campaign "
                                "result can no longer change"
                            ).format(value=echo(parsed[0])),
                        )
                    )
                    continue
                seen[parsed[0]] = row.number
                rows.append(parsed)
        if problems:
            raise ImportRefusedError(table.source, problems)
        if not rows:  # a header and no rows: no results yet, nothing changes
            return CampaignsImported(0, 0, Changes())
        ids = dict(
            session.execute(
                select(Proposal.code, Proposal.id).where(Proposal.call_id == call_id)
            ).all()
        )
        existing = {
            c.proposal_id: c
            for c in session.scalars(
                select(CampaignResult).where(CampaignResult.call_id == call_id)
            )
        }
        replaced = 0
        for code, raised, backers, closed_on in rows:
            current = existing.get(ids[code])
            if current is not None:
                replaced += 1
                current.raised, current.backers, current.closed_on = raised, backers, closed_on
            else:
                session.add(
                    CampaignResult(
                        call_id=call_id,
                        proposal_id=ids[code],
                        raised=raised,
                        backers=backers,
                        closed_on=closed_on,
                    )
                )
        audit.append(
            session,
            actor=identity.key_id,
            action="funding.campaigns",
            call_id=call_id,
            subject=table.source,
            details={
                "campaigns": [
                    {"proposal": code, "raised": f"{raised:f}", "backers": backers,
                     "closed_on": closed_on.isoformat()}
                    for code, raised, backers, closed_on in rows
                ]
            },
        )  # fmt: skip
    return CampaignsImported(len(rows), replaced, Changes(funding=True))


def record_progress(
    ws: OpenWorkspace,
    call_id: str,
    proposal: str,
    *,
    stage: str,
    amount: Decimal,
    on_date: dt.date,
    document: str,
) -> FundingRecorded:
    """Record a commitment or a payment to a funded project."""
    document = document.strip()
    if stage not in RECORDED_STAGES:
        raise FundingRecordInputError(
            _("Unknown stage {stage}: use giuridicamente_vincolante or erogato.").format(
                stage=echo(stage)
            )
        )
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise FundingRecordInputError(_("The amount must be greater than zero, in euro and cents."))
    if not document:
        raise FundingRecordInputError(
            _("Give the reference of the act (for example «Determina n. 123 del 12/03/2021»).")
        )
    if len(document) > MAX_DOCUMENT_CHARS:
        raise FundingRecordInputError(
            _("The reference is longer than {limit} characters.").format(limit=MAX_DOCUMENT_CHARS)
        )
    if on_date > today_in_rome():
        raise FundingRecordInputError(_("The date {date} is in the future.").format(date=on_date))
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        view = _session_view(session, call_id)
        project = next((p for p in view.projects if p.proposal == proposal), None)
        if project is None:
            if (
                session.scalars(
                    select(Proposal).where(Proposal.call_id == call_id, Proposal.code == proposal)
                ).first()
                is None
            ):
                raise UnknownProposalError(call_id, proposal)
            raise NotFundedError(proposal)
        if project.status not in (mf.FUNDED, mf.REALISED):
            raise NotFundedError(proposal)
        if view.window_start is not None and on_date < view.window_start:
            raise FundingRecordInputError(
                _("The date {date} is before the ranking was approved.").format(date=on_date)
            )
        if stage == "giuridicamente_vincolante" and project.committed + amount > project.matched:
            raise AboveContributionError(
                proposal, format_money(project.committed + amount), format_money(project.matched)
            )
        if stage == "erogato" and project.paid + amount > project.committed:
            raise AboveCommitmentError(
                proposal, format_money(project.paid + amount), format_money(project.committed)
            )
        proposal_id = session.scalars(
            select(Proposal.id).where(Proposal.call_id == call_id, Proposal.code == proposal)
        ).one()
        session.add(
            FundingRecord(
                call_id=call_id,
                proposal_id=proposal_id,
                stage=stage,
                amount=amount,
                on_date=on_date,
                document=document,
            )
        )
        session.flush()
        audit.append(
            session,
            actor=identity.key_id,
            action="funding.record",
            call_id=call_id,
            subject=proposal,
            details={"stage": stage, "amount": f"{amount:f}", "on_date": on_date.isoformat(),
                     "document": document},
        )  # fmt: skip
        return FundingRecorded(_session_view(session, call_id), Changes(funding=True))


def remove_record(ws: OpenWorkspace, call_id: str, record_id: int) -> FundingRecorded:
    """Remove a commitment or payment recorded by mistake (audited)."""
    with ws.session() as session:
        identity = require_role(session, "secretariat")
        get_call(session, call_id)
        record = session.get(FundingRecord, record_id)
        if record is None or record.call_id != call_id:
            raise UnknownFundingRecordError(record_id)
        code = session.scalars(select(Proposal.code).where(Proposal.id == record.proposal_id)).one()
        if record.stage == "giuridicamente_vincolante":
            view = _session_view(session, call_id)
            project = next(p for p in view.projects if p.proposal == code)
            if project.paid > project.committed - record.amount:
                left = project.committed - record.amount
                raise AboveCommitmentError(code, format_money(project.paid), format_money(left))
        details = {"stage": record.stage, "amount": f"{record.amount:f}",
                   "on_date": record.on_date.isoformat(), "document": record.document}  # fmt: skip
        session.execute(delete(FundingRecord).where(FundingRecord.id == record_id))
        audit.append(
            session,
            actor=identity.key_id,
            action="funding.record.remove",
            call_id=call_id,
            subject=code,
            details=details,
        )
        return FundingRecorded(_session_view(session, call_id), Changes(funding=True))
