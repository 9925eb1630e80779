"""``vaglio substitute``: a substitute takes the seat of a member in conflict."""

from __future__ import annotations

import argparse

from app.cli.exchange import sync_call
from app.cli.support import CommandTree, open_workspace
from app.i18n import _


def cmd_substitute(args: argparse.Namespace) -> int:
    from app.services.substitutes import assign_substitute

    with open_workspace(args) as ws:
        done = assign_substitute(
            ws, args.call_id, args.proposal_id, args.member, replaces_key=args.replaces
        )
        print(
            _("{substitute} evaluates {proposal} in place of {replaces}.").format(
                substitute=done.substitute, proposal=done.proposal, replaces=done.replaces
            )
        )
        print(
            _("Call package {sequence} of {call_id} signed and sealed for {count} members.").format(
                sequence=done.published.sequence,
                call_id=done.published.call_id,
                count=done.published.recipients,
            )
        )
        lines = sync_call(ws, args.call_id)
    if lines:
        print(_("Uploaded to the remote."))
    else:
        print(_("No remote set: the package is in {path}").format(path=done.published.copy))
    return 0


def register(tree: CommandTree) -> None:
    substitute = tree.command(
        tree.commands,
        "substitute",
        cmd_substitute,
        _("assign a substitute to a proposal whose college a conflict left short"),
    )
    substitute.add_argument("call_id", metavar="CALL_ID")
    substitute.add_argument("proposal_id", metavar="PROPOSAL_ID")
    substitute.add_argument(
        "--member", metavar="KEYID", required=True, help=_("the substitute's key id or fingerprint")
    )
    substitute.add_argument(
        "--replaces",
        metavar="KEYID",
        help=_("the member in conflict whose seat they take (default: the first such seat)"),
    )
