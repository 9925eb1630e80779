"""``vaglio sittings`` and ``vaglio discussion``: the secretariat records the
commission's sittings and what the commission did about each dispersion flag;
the minutes print these records and nothing else."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from app.cli.support import CommandTree, open_workspace, print_json, print_table
from app.i18n import _, format_date, format_decimal


def _sitting_document(s: Any) -> dict[str, Any]:
    return {
        "id": s.id, "held_on": s.held_on.isoformat(), "starts_at": s.starts_at,
        "ends_at": s.ends_at, "mode": s.mode, "place": s.place, "present": list(s.present),
        "absent": list(s.absent), "secretary": s.secretary, "notes": s.notes,
    }  # fmt: skip


def _where(s: Any) -> str:
    if s.mode == "telematic":
        return _("telematic: {tool}").format(tool=s.place)
    return str(s.place)


def cmd_sittings(args: argparse.Namespace) -> int:
    from app.services.sittings import add_sitting, list_sittings, remove_sitting

    with open_workspace(args) as ws:
        if args.add:
            try:
                day = dt.date.fromisoformat(args.add)
            except ValueError:
                args.parser.error(_("--add takes a date as YYYY-MM-DD"))
            for option in ("start", "end", "secretary"):
                if getattr(args, option) is None:
                    args.parser.error(_("--add needs --{option}").format(option=option))
            add_sitting(
                ws,
                args.call_id,
                held_on=day,
                starts_at=args.start,
                ends_at=args.end,
                place=args.place or "",
                telematic=args.telematic or "",
                present=args.present or [],
                absent=args.absent or [],
                secretary=args.secretary,
                notes=args.notes or "",
            )
        elif args.remove is not None:
            remove_sitting(ws, args.call_id, args.remove)
        sittings = list_sittings(ws, args.call_id)
    if args.json:
        print_json({"call": args.call_id, "sittings": [_sitting_document(s) for s in sittings]})
        return 0
    if not sittings:
        print(_("No sitting recorded for {call_id}.").format(call_id=args.call_id))
        return 0
    print_table(
        [_("no."), _("date"), _("times"), _("place or mode"), _("present"), _("absent"),
         _("secretary")],
        [[str(s.id), format_date(s.held_on),
          f"{s.starts_at}–{s.ends_at}" if s.starts_at else _("not recorded"), _where(s),
          ", ".join(s.present), ", ".join(s.absent) or "—", s.secretary or _("not recorded")]
         for s in sittings],
    )  # fmt: skip
    return 0


def outcome_text(flag: Any) -> str:
    """What was recorded of a flag, or that it was flagged and not discussed."""
    if not flag.discussions:
        return _("flagged, not discussed")
    parts = []
    for d in flag.discussions:
        what = _("confirmed") if d.outcome == "confirmed" else _("revised by a member")
        parts.append(
            _("{what} in the sitting of {day}: {note}").format(
                what=what, day=format_date(d.held_on), note=d.note
            )
        )
    return "; ".join(parts)


def cmd_discussion(args: argparse.Namespace) -> int:
    from app.services.discussions import list_flags, record_discussion

    if args.proposal_id is not None:
        if args.criterion is None or args.outcome is None or args.note is None:
            args.parser.error(_("recording a discussion needs CRITERION, --outcome and --note"))
    elif args.outcome or args.note or args.sitting is not None:
        args.parser.error(_("--outcome, --note and --sitting go with PROPOSAL_ID CRITERION"))
    with open_workspace(args) as ws:
        if args.proposal_id is not None:
            done = record_discussion(
                ws, args.call_id, args.proposal_id, args.criterion,
                outcome=args.outcome, note=args.note, sitting=args.sitting,
            ).discussion  # fmt: skip
            print(
                _("Recorded: {proposal}, {criterion}, in the sitting of {day}.").format(
                    proposal=done.proposal, criterion=done.criterion,
                    day=format_date(done.held_on),
                )
            )  # fmt: skip
        flags = list_flags(ws, args.call_id)
    if args.json:
        print_json(
            {"call": args.call_id,
             "flags": [{"proposal": f.proposal, "criterion": f.criterion,
                        "values": [{"member": m, "value": f"{v:f}"} for m, v in f.values],
                        "discussions": [{"sitting": d.sitting, "sitting_id": d.sitting_id,
                                         "held_on": d.held_on.isoformat(),
                                         "outcome": d.outcome, "note": d.note}
                                        for d in f.discussions]}
                       for f in flags]}
        )  # fmt: skip
        return 0
    if not flags:
        print(_("The ranking of {call_id} has no dispersion flag.").format(call_id=args.call_id))
        return 0
    print_table(
        [_("proposal"), _("criterion"), _("members' values"), _("spread"), _("outcome")],
        [[f.proposal, f.criterion,
          ", ".join(f"{m} {format_decimal(v)}" for m, v in f.values),
          format_decimal(f.spread) if f.spread is not None else "—", outcome_text(f)]
         for f in flags],
    )  # fmt: skip
    return 0


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    sittings = add(commands, "sittings", cmd_sittings, _("the commission's sittings"))
    sittings.add_argument("call_id", metavar="CALL_ID")
    sittings.add_argument("--add", metavar="YYYY-MM-DD", help=_("record a sitting on this day"))
    sittings.add_argument("--start", metavar="HH:MM", help=_("when the sitting started"))
    sittings.add_argument("--end", metavar="HH:MM", help=_("when the sitting ended"))
    where = sittings.add_mutually_exclusive_group()
    where.add_argument("--place", metavar="TEXT", help=_("where it was held, in person"))
    where.add_argument(
        "--telematic",
        metavar="TOOL",
        help=_(
            "held telematically with this tool; records that the identity of the participants "
            "and the secrecy of the proceedings were ensured"
        ),
    )
    sittings.add_argument(
        "--present", action="extend", nargs="+", metavar="NAME", help=_("members present")
    )
    sittings.add_argument(
        "--absent", action="extend", nargs="+", metavar="NAME", help=_("members absent")
    )
    sittings.add_argument(
        "--secretary", metavar="NAME", help=_("the secretary who took the minutes")
    )
    sittings.add_argument("--notes", metavar="TEXT")
    sittings.add_argument(
        "--remove", type=int, metavar="N", help=_("remove sitting N, recorded by mistake")
    )
    sittings.add_argument("--json", action="store_true", help=_("machine-readable output"))

    discussion = add(
        commands,
        "discussion",
        cmd_discussion,
        _("what the commission did about the dispersion flags"),
    )
    discussion.add_argument("call_id", metavar="CALL_ID")
    discussion.add_argument("proposal_id", metavar="PROPOSAL_ID", nargs="?")
    discussion.add_argument("criterion", metavar="CRITERION", nargs="?")
    discussion.add_argument("--outcome", choices=("confirmed", "revised"))
    discussion.add_argument("--note", metavar="TEXT", help=_("what the commission said"))
    discussion.add_argument(
        "--sitting", type=int, metavar="N", help=_("the sitting (default: the latest recorded)")
    )
    discussion.add_argument("--json", action="store_true", help=_("machine-readable output"))


def warn_undiscussed(ws: Any, call_id: str) -> None:
    """On stderr: the dispersion flags no discussion was recorded for (the
    approval goes ahead; the minutes will read "flagged, not discussed")."""
    import sys

    from app.services.discussions import undiscussed_flags

    left = undiscussed_flags(ws, call_id)
    if not left:
        return
    print(
        _(
            "Dispersion flags left undiscussed (the minutes will say so; record a discussion "
            "with vaglio discussion {call_id} PROPOSAL_ID CRITERION):"
        ).format(call_id=call_id),
        file=sys.stderr,
    )
    for flag in left:
        print(f"  {flag.proposal} {flag.criterion}", file=sys.stderr)
