"""``vaglio invite``: the secretariat's signed invitation to one call, for a
commission member to join it from the application in one step."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.support import CommandTree, open_workspace
from app.i18n import _


def cmd_invite(args: argparse.Namespace) -> int:
    from app.services.invitations import save_invitation

    out = Path(args.out)
    with open_workspace(args) as ws:
        view = save_invitation(ws, args.call_id, out, args.member)
    print(_("Invitation to {call_id} written to {path}").format(call_id=view.call_id, path=out))
    print(_("Exchange: {destination}").format(destination=view.exchange))
    print(_("Fingerprint of the office: {fingerprint}").format(fingerprint=view.office_fingerprint))
    print(_("The member compares this fingerprint aloud with the secretariat before joining."))
    return 0


def register(tree: CommandTree) -> None:
    invite = tree.command(
        tree.commands, "invite", cmd_invite, _("write a signed invitation to a call (secretariat)")
    )
    invite.add_argument("call_id", metavar="CALL_ID")
    invite.add_argument("--out", metavar="FILE", required=True)
    invite.add_argument(
        "--member", metavar="KEYID", help=_("only for this member (key id or fingerprint)")
    )
