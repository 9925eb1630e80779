"""``vaglio declare`` and ``vaglio score``: a member's declarations and scores."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.support import CommandTree, open_workspace
from app.i18n import _
from app.labels import CONFLICT_CATEGORIES


def cmd_declare(args: argparse.Namespace) -> int:
    from app.services.declarations import declare_general, declare_proposal

    if args.from_file is not None:
        return _declare_from_file(args)
    with open_workspace(args) as ws:
        if args.general:
            declare_general(ws, args.call_id)
            print(
                _("General declaration of no incompatibility recorded for {call_id}.").format(
                    call_id=args.call_id
                )
            )
            return 0
        result = declare_proposal(
            ws,
            args.call_id,
            args.proposal_id,
            conflict=args.conflict is not None,
            category=args.conflict,
            reason=args.reason or "",
        )
    if result.conflict:
        print(
            _("Conflict of interest recorded for {proposal}: it will not be scored.").format(
                proposal=args.proposal_id
            )
        )
        if result.withdrawn_scores:
            print(
                _("{count} scores already given to {proposal} were withdrawn.").format(
                    count=result.withdrawn_scores, proposal=args.proposal_id
                )
            )
    else:
        print(
            _("No conflict of interest recorded for {proposal}.").format(proposal=args.proposal_id)
        )
    return 0


def _declare_from_file(args: argparse.Namespace) -> int:
    from app.services.declaration_import import import_declarations

    with open_workspace(args) as ws:
        result = import_declarations(ws, args.call_id, Path(args.from_file))
    print(
        _(
            "{count} declarations read for {call_id} ({conflicts} with a conflict); "
            "{changed} new or changed."
        ).format(
            count=result.declared,
            call_id=args.call_id,
            conflicts=result.conflicts,
            changed=result.changed,
        )
    )
    if result.withdrawn_scores:
        print(
            _("{count} scores given to proposals now in conflict were withdrawn.").format(
                count=result.withdrawn_scores
            )
        )
    return 0


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    from app.services.evaluation_errors import KeyValueError

    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise KeyValueError(option, item)
        pairs[key.strip()] = value
    return pairs


def _category(text: str) -> str:
    """A conflict category, or a usage error that repeats little of ``text``
    (argparse's own ``choices`` would repeat all of it)."""
    if text in CONFLICT_CATEGORIES:
        return text
    from app.services.evaluation_errors import ConflictCategoryError

    raise argparse.ArgumentTypeError(str(ConflictCategoryError(text)))


def cmd_score(args: argparse.Namespace) -> int:
    from app.services.member_desk import score_sheet
    from app.services.scores import import_scores, parse_value, save_scores

    target = args.target
    if target[0] == "import" and len(target) == 3 and not args.set and not args.why:
        with open_workspace(args) as ws:
            imported = import_scores(ws, target[1], Path(target[2]))
        print(
            _("Imported {count} scores for {proposals} proposals.").format(
                count=imported.scores, proposals=imported.proposals
            )
        )
        if imported.declarations:
            print(
                _("{count} declarations recorded from the same file.").format(
                    count=imported.declarations
                )
            )
        if imported.withdrawn:
            print(
                _("{count} scores given to proposals now in conflict were withdrawn.").format(
                    count=imported.withdrawn
                )
            )
        return 0
    if len(target) != 2:
        args.parser.error(_("use: vaglio score CALL_ID PROPOSAL_ID --set KEY=VALUE --why KEY=TEXT"))
    call_id, proposal_id = target
    raw_values = _pairs(args.set, "--set")
    justifications = _pairs(args.why, "--why")
    if not raw_values and not justifications:
        args.parser.error(_("give at least one --set or --why"))
    with open_workspace(args) as ws:
        values = {key: parse_value(text, key) for key, text in raw_values.items()}
        save_scores(
            ws,
            call_id,
            proposal_id,
            values=values,
            justifications=justifications,
            require_motivation=True,
        )
        sheet = score_sheet(ws, call_id, proposal_id)
    done = sum(1 for c in sheet.criteria if c.complete)
    print(
        _("Scores recorded for {proposal}: {done} of {total} criteria complete.").format(
            proposal=proposal_id, done=done, total=len(sheet.criteria)
        )
    )
    return 0


def check_declare(args: argparse.Namespace) -> None:
    """The combinations argparse cannot express."""
    if getattr(args, "handler", None) is not cmd_declare:
        return
    if args.general and args.proposal_id:
        args.parser.error(_("--general takes no PROPOSAL_ID"))
    if args.from_file is not None and (args.proposal_id or args.reason):
        args.parser.error(_("--from takes no PROPOSAL_ID and no --reason: the file holds them"))
    if args.from_file is None and not args.general and not args.proposal_id:
        args.parser.error(_("PROPOSAL_ID is required with --no-conflict and --conflict"))
    if args.reason and args.conflict is None:
        args.parser.error(_("--reason goes with --conflict"))


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    declare = add(commands, "declare", cmd_declare, _("declarations of interest"))
    declare.add_argument("call_id", metavar="CALL_ID")
    declare.add_argument("proposal_id", metavar="PROPOSAL_ID", nargs="?")
    kind = declare.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--general", action="store_true", help=_("the declaration of no incompatibility")
    )
    kind.add_argument(
        "--no-conflict", action="store_true", help=_("no conflict with this proposal")
    )
    kind.add_argument(
        "--conflict",
        metavar="CATEGORY",
        type=_category,
        help="{" + ",".join(CONFLICT_CATEGORIES) + "}",
    )
    kind.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE.csv",
        help=_("per-proposal declarations from a file: proposal,conflict,category,reason"),
    )
    declare.add_argument("--reason", metavar="TEXT")

    score = add(commands, "score", cmd_score, _("record scores and motivations"))
    score.usage = (
        "vaglio score CALL_ID PROPOSAL_ID --set KEY=VALUE --why KEY=TEXT …\n"
        "       vaglio score import CALL_ID FILE.csv"
    )
    score.add_argument("target", nargs="+", metavar="ARGS")
    score.add_argument("--set", action="append", metavar="KEY=VALUE")
    score.add_argument("--why", action="append", metavar="KEY=TEXT")
