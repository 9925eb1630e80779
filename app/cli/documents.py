"""``vaglio sheet`` and ``vaglio publication``: the member's individual sheet
to sign, and the approved ranking for the albo pretorio and the platform."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.support import CommandTree, open_workspace
from app.i18n import _


def cmd_sheet(args: argparse.Namespace) -> int:
    from app.services.member_sheet import write_own_sheet

    with open_workspace(args) as ws:
        result = write_own_sheet(ws, args.call_id, Path(args.out))
    print(
        _("Individual sheet of {call_id} written to {path}: {pages} pages.").format(
            call_id=args.call_id, path=result.path, pages=result.pages
        )
    )
    if result.bundle_hash is None:
        print(_("No score bundle sent yet: the sheet says so."))
    elif result.unsent:
        print(_("The sheet shows values not yet sent; the differences are marked."))
    else:
        print(_("Last bundle sent: SHA-256 {digest}.").format(digest=result.bundle_hash))
    print(_("Signature field: {field}.").format(field=result.field))
    return 0


def cmd_publication(args: argparse.Namespace) -> int:
    from app.services.ranking_publication import write_publication

    out = Path(args.out)
    with open_workspace(args) as ws:
        result = write_publication(ws, args.call_id, out)
    print(
        _("Ranking of {call_id} for publication written to {path}.").format(
            call_id=args.call_id, path=result.path
        )
    )
    print(f"SHA-256: {result.sha256}")
    return 0


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    sheet = add(commands, "sheet", cmd_sheet, _("a member's own evaluation sheet, to sign"))
    sheet.add_argument("call_id", metavar="CALL_ID")
    sheet.add_argument("--out", required=True, metavar="F.pdf", help=_("the PDF to write"))
    publication = add(
        commands,
        "publication",
        cmd_publication,
        _("the approved ranking for publication (albo pretorio, platform)"),
    )
    publication.add_argument("call_id", metavar="CALL_ID")
    publication.add_argument(
        "--out", required=True, metavar="F.pdf|F.csv", help=_("the file to write: .pdf or .csv")
    )
