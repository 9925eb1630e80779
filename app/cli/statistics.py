"""``vaglio stats``: how each member scored, for the secretariat's sitting."""

from __future__ import annotations

import argparse

from app.cli.support import CommandTree, open_workspace, print_json, print_table
from app.i18n import _


def cmd_stats(args: argparse.Namespace) -> int:
    from app.services.member_statistics import (
        figure_text,
        share_text,
        statistics_document,
        statistics_note,
        statistics_view,
    )

    with open_workspace(args) as ws:
        view = statistics_view(ws, args.call_id)
    if args.json:
        print_json(statistics_document(view))
        return 0
    print(f"{view.call_id} — {view.call_title}")
    print(statistics_note())
    print()
    headers = [_("Member"), _("Proposals"), _("Values"), _("Mean"), _("Standard deviation"),
               _("At the lowest"), _("At the highest"), _("Agreement with the others")]  # fmt: skip
    rows = []
    for row in view.rows:
        f = row.figures
        name = row.name + (" " + _("(substitute)") if row.substitute else "")
        rows.append([name, str(f.proposals), str(f.values), figure_text(f.mean),
                     figure_text(f.spread), share_text(f.at_lowest), share_text(f.at_highest),
                     figure_text(f.correlation)])  # fmt: skip
    print_table(headers, rows)
    return 0


def register(tree: CommandTree) -> None:
    stats = tree.command(
        tree.commands, "stats", cmd_stats, _("how each member scored (secretariat)")
    )
    stats.add_argument("call_id", metavar="CALL_ID")
    stats.add_argument("--json", action="store_true", help=_("machine-readable output"))
