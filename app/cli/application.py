"""``vaglio``, ``vaglio gui`` and ``vaglio demo``: the commands that open the
application. They return :class:`~app.cli.support.OpenTheApplication`, and the
program (:mod:`app.main`) opens the GUI: the command line never imports it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.support import CommandTree, OpenTheApplication, given_secret
from app.i18n import _


def cmd_demo(args: argparse.Namespace) -> int | OpenTheApplication:
    from app.services.demo import DEMO_PASSPHRASE, build_demo, default_demo_dir

    folder = Path(args.dir).expanduser() if args.dir else default_demo_dir()
    demo = build_demo(folder, progress=lambda text: print(text, file=sys.stderr))
    print(_("Demo in {folder}").format(folder=demo.folder))
    print(_("Passphrase of every demo workspace: {passphrase}").format(passphrase=DEMO_PASSPHRASE))
    for label, home in demo.workspaces:
        print(f"    {label}: {home}")
    if args.no_gui:
        return 0
    return OpenTheApplication(demo.main_workspace, DEMO_PASSPHRASE)


def cmd_gui(args: argparse.Namespace) -> OpenTheApplication:
    home = Path(args.home).expanduser() if getattr(args, "home", None) else None
    return OpenTheApplication(home, given_secret(args))


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    add(commands, "gui", cmd_gui, _("open the application"))
    demo = add(commands, "demo", cmd_demo, _("build a complete demo and open it"))
    demo.add_argument("--dir", metavar="D", help=_("demo folder"))
    demo.add_argument("--no-gui", action="store_true", help=_("build only, do not open"))
