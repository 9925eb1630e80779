"""``vaglio ranking`` and ``vaglio funding``: the secretariat's work after the evaluation."""

from __future__ import annotations

import argparse
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from app.cli.progress import ProgressLine
from app.cli.support import CommandTree, open_workspace, print_json, print_table, truncate
from app.errors import VaglioError
from app.i18n import _, format_date, format_datetime, format_decimal, format_money


def cmd_ranking(args: argparse.Namespace) -> int:
    from app.services.exclusions import excluded_grounds
    from app.services.ranking import approve_ranking, ranking_view, record_lottery_number

    if args.reason is not None and not args.approve:
        raise VaglioError(_("--reason goes with --approve: it is recorded with the approval."))
    with open_workspace(args) as ws, ProgressLine() as progress:
        notes = []
        if args.lottery_number is not None:
            view = record_lottery_number(ws, args.call_id, args.lottery_number).view
            for lottery in view.lotteries:
                notes.append(
                    _("Lottery with number {number}: seed {seed}, order {order}").format(
                        number=lottery.number, seed=lottery.seed, order=", ".join(lottery.order)
                    )
                )
        if args.approve:
            view = approve_ranking(ws, args.call_id, args.reason, progress=progress).view
            notes.append(
                _("Ranking approved and frozen; SHA-256 {digest}. No more bundles are accepted.")
                .format(digest=view.document_sha256)
            )  # fmt: skip
            notes.append(
                _("The members learn that the call is closed from the notice the next sync sends.")
            )
            from app.cli.sittings import warn_undiscussed

            progress.clear()
            warn_undiscussed(ws, args.call_id)
        view = ranking_view(ws, args.call_id, progress=progress)
        progress.clear()
        grounds = {} if args.json or args.csv else excluded_grounds(ws, view)
    if args.json:
        from app.services.ranking_files import contract_json

        print_json(contract_json(view))
    elif args.csv:
        from app.services.ranking_files import ranking_csv

        sys.stdout.write(ranking_csv(view).replace("\r\n", "\n"))
    else:
        _print_ranking(view, grounds)
    for note in notes:
        print(note, file=sys.stderr if args.json or args.csv else sys.stdout)
    return 0


def _print_ranking(view: Any, grounds: dict[str, str]) -> None:
    from app.labels import college_label, exclusion_label, tie_decision_label

    places = view.grid.decimals
    titles = {c.key: c.title for c in view.grid.every_criterion}
    headers = [_("rank"), _("proposal"), _("title"), _("total"),
               *[c.key for c in view.criteria], _("evaluators"), _("notes")]  # fmt: skip
    rows = []
    for r in view.rows:
        notes = [tie_decision_label(r.decided_by, titles)] if r.decided_by else []
        if r.flags:
            notes.append(_("dispersion on {keys}").format(keys=", ".join(r.flags)))
        rows.append(
            [str(r.rank), r.proposal, truncate(r.title, 40), format_decimal(r.total, places),
             *[format_decimal(r.criteria[c.key], places) for c in view.criteria],
             str(r.evaluators), "; ".join(notes)]
        )  # fmt: skip
    print(view.call_title)
    print_table(headers, rows)
    if view.excluded:
        print()
        print(_("Not in the ranking:"))
        for e in view.excluded:
            total = "" if e.total is None else f" ({format_decimal(e.total, places)})"
            which = f" ({grounds[e.proposal]})" if grounds.get(e.proposal) else ""
            print(f"  {e.proposal}{total}: {exclusion_label(e.reason)}{which}")
    for lottery in view.lotteries:
        print()
        print(
            _("Lottery among {tied}: drawn number {number}, seed {seed}, order {order}.").format(
                tied=", ".join(lottery.tied),
                number=lottery.number,
                seed=lottery.seed,
                order=", ".join(lottery.order),
            )
        )
    for group in view.pending_lottery:
        print()
        print(
            _(
                "{tied} are tied after every criterion: record the publicly drawn number "
                "with --lottery-number N."
            ).format(tied=", ".join(group))
        )
    if view.members_without_bundle:
        print()
        print(
            _("No bundle yet from: {names}.").format(names=", ".join(view.members_without_bundle))
        )
    college = view.college
    if college is not None and college.shortfalls:
        print()
        print(_("Below the college ({college}):").format(college=college_label(college.college)))
        for proposal in college.shortfalls:
            print(f"  {proposal.proposal}: {proposal.why()}")
    if college is not None and college.reason:
        print(_("Reason recorded at approval: {reason}").format(reason=college.reason))
    print()
    if view.approved_at is not None:
        print(
            _("Approved on {moment}; SHA-256 {digest}.").format(
                moment=format_datetime(view.approved_at), digest=view.document_sha256
            )
        )
    else:
        print(_("Not approved yet: approve it with --approve."))


def cmd_funding(args: argparse.Namespace) -> int:
    from app.services.funding import funding_view, import_campaigns

    with open_workspace(args) as ws:
        note = None
        if args.campaigns:
            result = import_campaigns(ws, args.call_id, Path(args.campaigns))
            note = result.sentence()
        view = funding_view(ws, args.call_id)
    if args.json:
        print_json(_funding_document(view))
        if note:
            print(note, file=sys.stderr)
        return 0
    if note:
        print(note)
    _print_funding(view)
    return 0


CENT = Decimal("0.01")


def _d(value: Decimal | None) -> str | None:
    """An amount as a decimal string with the call's two places (``"0.00"``)."""
    return None if value is None else f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _funding_document(view: Any) -> dict[str, Any]:
    totals = view.totals
    return {
        "call": view.call_id,
        "fund": _d(view.rule.fund),
        "projects": [
            {"proposal": p.proposal, "rank": p.rank, "budget": _d(p.budget),
             "reserved": _d(p.reserved), "raised": _d(p.raised), "status": p.status,
             "matched": _d(p.matched), "note": p.note}
            for p in view.projects
        ],
        "totals": {
            "reserved": _d(totals.reserved),
            "matched": _d(totals.matched),
            "programmato": _d(totals.programmato),
            "ammesso": _d(totals.ammesso),
            "giuridicamente_vincolante": _d(totals.giuridicamente_vincolante),
            "erogato": _d(totals.erogato),
        },
    }  # fmt: skip


def _print_funding(view: Any) -> None:
    from app.labels import funding_status_text, overshoot_label, stage_label

    print(
        _("Fund {fund}; crowd share {share}%; at most {cap} per project; {days} days.").format(
            fund=format_money(view.rule.fund),
            share=format_decimal(view.rule.crowd_share * 100, 0),
            cap=format_money(view.rule.cap),
            days=view.rule.campaign_days,
        )
    )
    print(_("Contribution: {rule}.").format(rule=overshoot_label(view.rule.overshoot)))
    if view.window_start is not None:
        print(
            _("Campaign window: {start} to {end}.").format(
                start=format_date(view.window_start), end=format_date(view.window_end)
            )
        )
    headers = [_("rank"), _("proposal"), _("budget"), _("reserved"), _("raised"), _("status"),
               _("matched")]  # fmt: skip
    rows = [
        [str(p.rank), p.proposal, format_money(p.budget), format_money(p.reserved),
         "—" if p.raised is None else format_money(p.raised),
         funding_status_text(p.status, p.note),
         format_money(p.matched)]
        for p in view.projects
    ]  # fmt: skip
    print_table(headers, rows)
    print()
    totals = view.totals
    for stage, amount in (
        ("programmato", totals.programmato),
        ("ammesso", totals.ammesso),
        ("giuridicamente_vincolante", totals.giuridicamente_vincolante),
        ("erogato", totals.erogato),
    ):
        print(f"{stage_label(stage)}: {format_money(amount)}")
    print(_("Still free in the fund: {amount}").format(amount=format_money(view.remaining)))


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    ranking = add(commands, "ranking", cmd_ranking, _("the consolidated ranking (secretariat)"))
    ranking.add_argument("call_id", metavar="CALL_ID")
    output = ranking.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=_("machine-readable output"))
    output.add_argument("--csv", action="store_true", help=_("the ranking as CSV"))
    ranking.add_argument(
        "--lottery-number", metavar="N", help=_("record the publicly drawn lottery number")
    )
    ranking.add_argument("--approve", action="store_true", help=_("approve and freeze the ranking"))
    ranking.add_argument(
        "--reason",
        metavar="TEXT",
        help=_("with --approve: why the college is not complete (absence, resignation)"),
    )
    funding = add(commands, "funding", cmd_funding, _("matchfunding and financial progress"))
    funding.add_argument("call_id", metavar="CALL_ID")
    funding.add_argument(
        "--campaigns", metavar="FILE.csv", help=_("import the campaign results first")
    )
    funding.add_argument("--json", action="store_true", help=_("machine-readable output"))
