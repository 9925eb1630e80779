"""``vaglio collegial``: the commission's agreed scores (method "collegial")."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.support import CommandTree, open_workspace, print_json, print_table, truncate
from app.i18n import _, format_date, format_decimal


def cmd_collegial(args: argparse.Namespace) -> int:
    from app.services.collegial import collegial_sheet, decision_words, record_collegial

    parser: argparse.ArgumentParser = args.parser
    recording = args.proposal_id is not None
    if recording and args.criterion is None:
        parser.error(_("give the criterion after the proposal"))
    if recording:
        missing = [
            option
            for option, given in (
                ("--value", args.value),
                ("--why", args.why),
                ("--unanimous/--majority", args.vote),
            )
            if given is None
        ]
        if missing:
            parser.error(_("recording a collegial score needs {options}").format(
                options=", ".join(missing)))  # fmt: skip
    elif (
        any(x is not None for x in (args.value, args.why, args.vote, args.sitting)) or args.dissent
    ):
        parser.error(_("--value, --why, the vote and --sitting go with PROPOSAL_ID CRITERION"))
    with open_workspace(args) as ws:
        if recording:
            done = record_collegial(
                ws,
                args.call_id,
                args.proposal_id,
                args.criterion,
                value=args.value,
                motivation=args.why,
                vote=args.vote,
                dissent=args.dissent or (),
                sitting=args.sitting,
            )
            print(f"{done.decision.proposal} · {done.decision.criterion}")
            print(decision_words(done.decision))
            if done.replaced:
                print(_("It replaces the value recorded before."))
            return 0
        sheet = collegial_sheet(ws, args.call_id)
    if args.json:
        print_json(_document(sheet))
    else:
        _print(sheet)
    return 0


def _decision(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "value": f"{d.value:f}",
        "motivation": d.motivation,
        "vote": d.vote,
        "dissent": list(d.dissent),
        "sitting": None
        if d.sitting_on is None
        else {"held_on": d.sitting_on.isoformat(), "place": d.sitting_place},
    }


def _document(sheet: Any) -> dict[str, Any]:
    return {
        "call": sheet.call_id,
        "closed": sheet.closed,
        "pending": list(sheet.pending),
        "sittings": [
            {
                "id": s.id,
                "held_on": s.held_on.isoformat(),
                "place": s.place,
                "present": list(s.present),
            }
            for s in sheet.sittings
        ],
        "proposals": [
            {
                "proposal": p.proposal,
                "title": p.title,
                "college": list(p.college),
                "criteria": [
                    {
                        "criterion": c.key,
                        "individual": [
                            {"member": name, "value": None if v is None else f"{v:f}"}
                            for name, v in c.individual
                        ],
                        "agreed": _decision(c.decision),
                    }
                    for c in p.criteria
                ],
            }
            for p in sheet.proposals
        ],
    }


def _print(sheet: Any) -> None:
    rows = []
    for p in sheet.proposals:
        for c in p.criteria:
            own = ", ".join("—" if v is None else format_decimal(v, 2) for _name, v in c.individual)
            d = c.decision
            if d is None:
                agreed, vote = "", _("to record")
            else:
                agreed = format_decimal(d.value, 2)
                vote = (
                    _("unanimous")
                    if d.unanimous
                    else _("majority (against: {names})").format(names=", ".join(d.dissent))
                )
                if d.sitting_on is not None:
                    vote += " · " + format_date(d.sitting_on)
            rows.append([p.proposal, truncate(p.title, 30), c.key, own, agreed, vote])
    headers = [_("proposal"), _("title"), _("criterion"), _("members"), _("agreed"), _("vote")]
    print_table(headers, rows)
    if sheet.pending:
        print()
        print(_("Waiting for collegial scores: {proposals}").format(
            proposals=", ".join(sheet.pending)))  # fmt: skip


def register(tree: CommandTree) -> None:
    collegial = tree.command(
        tree.commands,
        "collegial",
        cmd_collegial,
        _("record or list the commission's agreed (collegial) scores"),
    )
    collegial.add_argument("call_id", metavar="CALL_ID")
    collegial.add_argument("proposal_id", metavar="PROPOSAL_ID", nargs="?")
    collegial.add_argument("criterion", metavar="CRITERION", nargs="?")
    collegial.add_argument("--value", metavar="V", help=_("the agreed coefficient"))
    collegial.add_argument("--why", metavar="TEXT", help=_("the commission's motivation"))
    vote = collegial.add_mutually_exclusive_group()
    vote.add_argument(
        "--unanimous", dest="vote", action="store_const", const="unanimous",
        help=_("agreed by every member of the college"),
    )  # fmt: skip
    vote.add_argument(
        "--majority", dest="vote", action="store_const", const="majority",
        help=_("agreed by majority: name the members against with --dissent"),
    )  # fmt: skip
    collegial.add_argument(
        "--dissent", metavar="NAME", nargs="+", action="extend",
        help=_("a member who voted against (name or key id)"),
    )  # fmt: skip
    collegial.add_argument(
        "--sitting", metavar="N", type=int, help=_("the recorded sitting where it was agreed")
    )
    collegial.add_argument("--json", action="store_true", help=_("machine-readable output"))
