"""The ``vaglio`` command line: a stable interface over the same services as the GUI.

Exit codes: 0 success; 1 a refused operation or bad input (one ``error:`` line
on stderr, no traceback); 2 bad usage. Without a terminal no command waits for
input. See docs/cli.md for every command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.build_info import VersionAction
from app.cli_exchange import register as register_exchange
from app.cli_minutes import register as register_minutes
from app.cli_ranking import register as register_ranking
from app.cli_support import (
    CommandTree,
    given_secret,
    home_of,
    new_passphrase,
    open_workspace,
    print_json,
    print_table,
    truncate,
)
from app.errors import VaglioError
from app.i18n import _, language_from_environment, set_language
from app.models.vocabulary import CONFLICT_CATEGORIES

Handler = Callable[[argparse.Namespace], int]


# -- commands ----------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from app.services.errors import role_label as role_name
    from app.services.workspace import create_workspace

    passphrase = new_passphrase(args)
    created = create_workspace(
        home_of(args), role=args.role, name=args.name, email=args.email or "", passphrase=passphrase
    )
    created.workspace.close()
    view = created.identity
    from app.store.preferences import remember_workspace

    remember_workspace(Path(view.workspace), view.name, view.role)
    print(_("Workspace created in {folder}").format(folder=view.workspace))
    print(_("Identity: {name} ({role})").format(name=view.name, role=role_name(view.role)))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Recovery code (shown only now: write it down and keep it safe):"))
    print(f"    {created.recovery_code}")
    if created.keyring_error:
        print(
            _("note: no key slot in the system keyring ({detail})").format(
                detail=created.keyring_error
            ),
            file=sys.stderr,
        )
    return 0


def cmd_identity_show(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from app.services.errors import role_label as role_name
    from app.services.workspace import identity

    ws = open_workspace(args)
    try:
        view = identity(ws)
    finally:
        ws.close()
    if args.json:
        print_json(asdict(view))
        return 0
    print(_("Name: {name}").format(name=view.name))
    if view.email:
        print(_("Email: {email}").format(email=view.email))
    print(_("Role: {role}").format(role=role_name(view.role)))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Key id: {key_id}").format(key_id=view.key_id))
    print(_("Workspace: {folder}").format(folder=view.workspace))
    return 0


def cmd_call_create(args: argparse.Namespace) -> int:
    from app.services.calls import create_call, read_definition_file

    path = Path(args.definition)
    text = read_definition_file(path)
    ws = open_workspace(args)
    try:
        result = create_call(ws, text, path.name)
    finally:
        ws.close()
    print(
        _("Call {call_id} created with {count} criteria.").format(
            call_id=result.call_id, count=result.criteria
        )
    )
    return 0


def cmd_proposals_import(args: argparse.Namespace) -> int:
    from app.services.proposal_import import import_proposals

    attachments = Path(args.attachments) if args.attachments else None
    ws = open_workspace(args)
    try:
        result = import_proposals(ws, args.call_id, Path(args.file), attachments)
    finally:
        ws.close()
    print(
        _(
            "Imported {count} proposals into {call_id} ({inadmissible} not admissible), "
            "{attachments} attachments."
        ).format(
            count=result.imported,
            call_id=result.call_id,
            inadmissible=result.inadmissible,
            attachments=result.attachments,
        )
    )
    return 0


def cmd_proposals_list(args: argparse.Namespace) -> int:
    from app.i18n import format_money
    from app.services.proposals import list_proposals

    ws = open_workspace(args)
    try:
        rows = list_proposals(ws, args.call_id)
    finally:
        ws.close()
    if args.json:
        print_json(
            {
                "call": args.call_id,
                "proposals": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "applicant": r.applicant,
                        "neighbourhood": r.neighbourhood,
                        "total_cost": f"{r.total_cost:f}",
                        "requested_contribution": f"{r.requested_contribution:f}",
                        "admissible": r.admissible,
                        "inadmissible_reasons": list(r.inadmissible_reasons),
                    }
                    for r in rows
                ],
            }
        )
        return 0
    print_table(
        [_("id"), _("title"), _("neighbourhood"), _("total cost"), _("request"), _("admissible")],
        [
            [
                r.id,
                truncate(r.title, 40),
                r.neighbourhood,
                format_money(r.total_cost),
                format_money(r.requested_contribution),
                _("yes")
                if r.admissible
                else _("no: {why}").format(why="; ".join(r.inadmissible_reasons)),
            ]
            for r in rows
        ],
    )
    return 0


def cmd_declare(args: argparse.Namespace) -> int:
    from app.services.declarations import declare_general, declare_proposal

    ws = open_workspace(args)
    try:
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
    finally:
        ws.close()
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


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    from app.services.errors import ServiceError

    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ServiceError(
                _("{option} wants KEY=VALUE, not {item}").format(option=option, item=item)
            )
        pairs[key.strip()] = value
    return pairs


def cmd_score(args: argparse.Namespace) -> int:
    from app.services.member_desk import score_sheet
    from app.services.scores import import_scores, parse_value, save_scores

    target = args.target
    if target[0] == "import" and len(target) == 3 and not args.set and not args.why:
        ws = open_workspace(args)
        try:
            imported = import_scores(ws, target[1], Path(target[2]))
        finally:
            ws.close()
        print(
            _("Imported {count} scores for {proposals} proposals.").format(
                count=imported.scores, proposals=imported.proposals
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
    ws = open_workspace(args)
    try:
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
    finally:
        ws.close()
    done = sum(1 for c in sheet.criteria if c.complete)
    print(
        _("Scores recorded for {proposal}: {done} of {total} criteria complete.").format(
            proposal=proposal_id, done=done, total=len(sheet.criteria)
        )
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import DEMO_PASSPHRASE, build_demo, default_demo_dir

    folder = Path(args.dir).expanduser() if args.dir else default_demo_dir()
    demo = build_demo(folder, progress=lambda text: print(text, file=sys.stderr))
    print(_("Demo in {folder}").format(folder=demo.folder))
    print(_("Passphrase of every demo workspace: {passphrase}").format(passphrase=DEMO_PASSPHRASE))
    for label, home in demo.workspaces:
        print(f"    {label}: {home}")
    if args.no_gui:
        return 0
    from app.gui import run_gui

    return run_gui(home=demo.main_workspace, secret=DEMO_PASSPHRASE)


def cmd_gui(args: argparse.Namespace) -> int:
    from app.gui import run_gui, startup_language

    set_language(startup_language())

    home = Path(args.home).expanduser() if getattr(args, "home", None) else None
    return run_gui(home=home, secret=given_secret(args))


# -- parser --------------------------------------------------------------------


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--home", metavar="DIR", default=default, help=_("workspace folder (or VAGLIO_HOME)")
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="F",
        default=default,
        help=_("file holding the passphrase (or VAGLIO_PASSPHRASE)"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree (the CLI contract of docs/cli.md)."""
    parser = argparse.ArgumentParser(
        prog="vaglio",
        description=_("Evaluation of a civic crowdfunding call by its commission."),
    )
    parser.add_argument(
        "--version", action=VersionAction, help=_("show the version and build, then exit")
    )
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    tree = CommandTree(parser, common)
    commands, command, group = tree.commands, tree.command, tree.group

    command(commands, "gui", cmd_gui, _("open the application"))

    demo = command(commands, "demo", cmd_demo, _("build a complete demo and open it"))
    demo.add_argument("--dir", metavar="D", help=_("demo folder"))
    demo.add_argument("--no-gui", action="store_true", help=_("build only, do not open"))

    init = command(commands, "init", cmd_init, _("create the workspace and identity"))
    init.add_argument("--role", required=True, choices=["secretariat", "member"])
    init.add_argument("--name", required=True)
    init.add_argument("--email")

    identity = group("identity", _("your identity"))
    show = command(identity, "show", cmd_identity_show, _("show name, role and fingerprint"))
    show.add_argument("--json", action="store_true")

    call = group("call", _("calls for proposals"))
    create = command(call, "create", cmd_call_create, _("create a call from its definition"))
    create.add_argument("definition", metavar="CALL.toml")

    proposals = group("proposals", _("the proposals of a call"))
    imp = command(proposals, "import", cmd_proposals_import, _("import proposals, all or nothing"))
    imp.add_argument("call_id", metavar="CALL_ID")
    imp.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    imp.add_argument("--attachments", metavar="DIR", help=_("folder of the PDF attachments"))
    lst = command(proposals, "list", cmd_proposals_list, _("list proposals"))
    lst.add_argument("call_id", metavar="CALL_ID")
    lst.add_argument("--json", action="store_true")

    declare = command(commands, "declare", cmd_declare, _("declarations of interest"))
    declare.add_argument("call_id", metavar="CALL_ID")
    declare.add_argument("proposal_id", metavar="PROPOSAL_ID", nargs="?")
    kind = declare.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--general", action="store_true", help=_("the declaration of no incompatibility")
    )
    kind.add_argument(
        "--no-conflict", action="store_true", help=_("no conflict with this proposal")
    )
    kind.add_argument("--conflict", metavar="CATEGORY", choices=list(CONFLICT_CATEGORIES))
    declare.add_argument("--reason", metavar="TEXT")
    declare.set_defaults(parser=declare)

    score = command(commands, "score", cmd_score, _("record scores and motivations"))
    score.usage = (
        "vaglio score CALL_ID PROPOSAL_ID --set KEY=VALUE --why KEY=TEXT …\n"
        "       vaglio score import CALL_ID FILE.csv"
    )
    score.add_argument("target", nargs="+", metavar="ARGS")
    score.add_argument("--set", action="append", metavar="KEY=VALUE")
    score.add_argument("--why", action="append", metavar="KEY=TEXT")
    score.set_defaults(parser=score)

    register_exchange(tree)
    register_ranking(tree)
    register_minutes(tree)
    return parser


def _check_declare(args: argparse.Namespace) -> None:
    if getattr(args, "handler", None) is not cmd_declare:
        return
    if args.general and args.proposal_id:
        args.parser.error(_("--general takes no PROPOSAL_ID"))
    if not args.general and not args.proposal_id:
        args.parser.error(_("PROPOSAL_ID is required with --no-conflict and --conflict"))
    if args.reason and args.conflict is None:
        args.parser.error(_("--reason goes with --conflict"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    set_language(language_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_declare(args)
    handler: Handler = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except VaglioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`vaglio proposals list | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {detail}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: " + _("interrupted"), file=sys.stderr)
        return 1
