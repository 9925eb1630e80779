"""``vaglio call create|enroll|publish``, ``vaglio proposals import|list`` and
``vaglio remote set``: the secretariat's set-up of a call."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.exchange import sync_call
from app.cli.support import CommandTree, open_workspace, print_json, print_table, truncate
from app.i18n import _, format_money
from app.labels import commission_role_label


def cmd_call_create(args: argparse.Namespace) -> int:
    from app.services.calls import create_call, read_definition_file

    path = Path(args.definition)
    text = read_definition_file(path)
    with open_workspace(args) as ws:
        result = create_call(ws, text, path.name)
    print(
        _("Call {call_id} created with {count} criteria.").format(
            call_id=result.call_id, count=result.criteria
        )
    )
    return 0


def cmd_call_acts(args: argparse.Namespace) -> int:
    from app.services.call_acts import record_call_acts
    from app.services.calls import read_definition_file

    path = Path(args.definition)
    text = read_definition_file(path)
    with open_workspace(args) as ws:
        result = record_call_acts(ws, args.call_id, text, path.name)
    print(_("Acts of call {call_id} recorded.").format(call_id=result.call_id))
    if result.missing:
        print(_("The minutes still need: {keys}.").format(keys=", ".join(result.missing)))
    return 0


def cmd_call_enroll(args: argparse.Namespace) -> int:
    from app.services.cards import enroll_cards
    from app.services.files import read_input

    role = "substitute" if args.substitute else args.role
    cards = [(read_input(path), role) for path in args.cards]
    with open_workspace(args) as ws:
        views, _changes = enroll_cards(
            ws, args.call_id, cards, allow_same_name=args.allow_same_name
        )
    for view in views:
        print(
            _("Enrolled {name} ({fingerprint}) as {role}").format(
                name=view.name,
                fingerprint=view.fingerprint,
                role=commission_role_label(role).lower(),
            )
        )
    return 0


def cmd_call_publish(args: argparse.Namespace) -> int:
    from app.cli.progress import ProgressLine
    from app.services.publication import publish_call

    with open_workspace(args) as ws:
        with ProgressLine() as progress:
            published = publish_call(ws, args.call_id, progress=progress)
        print(
            _("Call package {sequence} of {call_id} signed and sealed for {count} members.").format(
                sequence=published.sequence, call_id=published.call_id, count=published.recipients
            )
        )
        lines = sync_call(ws, args.call_id)
    if lines:
        print(_("Uploaded to the remote."))
    elif published.parts:
        print(
            _("No remote set: the package and its attachments are in {folder}").format(
                folder=published.copy.parent
            )
        )
    else:
        print(_("No remote set: the package is in {path}").format(path=published.copy))
    return 0


def cmd_remote_set(args: argparse.Namespace) -> int:
    from app.services.remotes import set_remote

    with open_workspace(args) as ws:
        view, _changes = set_remote(ws, args.call_id, args.destination)
    print(
        _("Remote of {call_id}: {destination}").format(
            call_id=view.call_id, destination=view.destination
        )
    )
    return 0


def cmd_proposals_import(args: argparse.Namespace) -> int:
    from app.cli.progress import ProgressLine
    from app.services.proposal_import import import_proposals

    attachments = Path(args.attachments) if args.attachments else None
    with open_workspace(args) as ws, ProgressLine() as progress:
        result = import_proposals(ws, args.call_id, Path(args.file), attachments, progress=progress)
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
    from app.services.proposals import list_proposals

    with open_workspace(args) as ws:
        rows = list_proposals(ws, args.call_id)
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


def register(tree: CommandTree) -> None:
    add, group = tree.command, tree.group
    call = group("call", _("calls for proposals"))
    create = add(call, "create", cmd_call_create, _("create a call from its definition"))
    create.add_argument("definition", metavar="CALL.toml")
    enroll = add(call, "enroll", cmd_call_enroll, _("add members from their cards"))
    enroll.add_argument("call_id", metavar="CALL_ID")
    enroll.add_argument("cards", metavar="CARD", nargs="+")
    enroll.add_argument("--role", choices=["member", "president"], default="member")
    enroll.add_argument(
        "--substitute", action="store_true", help=_("enrol them as substitutes (supplenti)")
    )
    enroll.add_argument(
        "--allow-same-name",
        action="store_true",
        help=_("enrol a card whose name is already on the roster (two different people)"),
    )
    acts = add(
        call, "acts", cmd_call_acts, _("record the call's acts from a call file, until approval")
    )
    acts.add_argument("call_id", metavar="CALL_ID")
    acts.add_argument("definition", metavar="CALL.toml")
    publish = add(call, "publish", cmd_call_publish, _("sign, seal and upload the call"))
    publish.add_argument("call_id", metavar="CALL_ID")

    proposals = group("proposals", _("the proposals of a call"))
    imp = add(proposals, "import", cmd_proposals_import, _("import proposals, all or nothing"))
    imp.add_argument("call_id", metavar="CALL_ID")
    imp.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    imp.add_argument("--attachments", metavar="DIR", help=_("folder of the PDF attachments"))
    lst = add(proposals, "list", cmd_proposals_list, _("list proposals"))
    lst.add_argument("call_id", metavar="CALL_ID")
    lst.add_argument("--json", action="store_true")

    remote = add(group("remote", _("where calls are exchanged")), "set", cmd_remote_set,
                 _("a folder path or an http(s) WebDAV URL"))  # fmt: skip
    remote.add_argument("call_id", metavar="CALL_ID")
    remote.add_argument("destination", metavar="DEST")
