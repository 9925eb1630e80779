"""``vaglio call purge``: a closed call's material leaves a member's laptop."""

from __future__ import annotations

import argparse

from app.cli.support import CommandTree, interactive, open_workspace
from app.errors import VaglioError
from app.i18n import _, format_datetime


def cmd_call_purge(args: argparse.Namespace) -> int:
    from app.services.purge import purge_call, purge_plan

    with open_workspace(args) as ws:
        plan = purge_plan(ws, args.call_id)  # refusals first: role, call, close notice
        if not args.yes:
            if not interactive():
                raise VaglioError(
                    _(
                        "Removing the material of {call_id} cannot be undone: confirm with "
                        "--yes (there is no terminal to ask on). Nothing was removed."
                    ).format(call_id=args.call_id)
                )
            print(
                _("These will be removed from this computer: {removal}.").format(
                    removal=plan.removal()
                )
            )
            print(plan.kept())
            answer = input(_("Type the call id ({call_id}) to confirm: ").format(
                call_id=args.call_id
            ))  # fmt: skip
            if answer.strip() != args.call_id:
                raise VaglioError(_("Not confirmed: nothing was removed."))
        purged = purge_call(ws, args.call_id)
    done = purged.plan
    print(
        _(
            "Removed from this computer the material of call {call_id}, closed by the city "
            "office on {moment}: {removal}."
        ).format(
            call_id=done.call_id, moment=format_datetime(done.closed_at), removal=done.removal()
        )
    )
    print(done.kept())
    return 0


def register(tree: CommandTree) -> None:
    call = tree.group("call", _("calls for proposals"))
    purge = tree.command(
        call, "purge", cmd_call_purge, _("remove a closed call's material from this computer")
    )
    purge.add_argument("call_id", metavar="CALL_ID")
    purge.add_argument(
        "--yes",
        action="store_true",
        help=_("confirm without being asked (required without a terminal)"),
    )
