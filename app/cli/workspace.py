"""``vaglio init``, ``vaglio identity show|export``, ``vaglio trust`` and
``vaglio check``: the workspace, whose it is, the city office it trusts, and
whether it is intact."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from app.cli.support import (
    CommandLineSecrets,
    CommandTree,
    home_of,
    new_passphrase,
    open_workspace,
    print_json,
)
from app.errors import VaglioError
from app.i18n import _, n_


def cmd_init(args: argparse.Namespace) -> int:
    from app.labels import role_label
    from app.services.preferences import remember_workspace
    from app.services.workspace import create_workspace

    passphrase = new_passphrase(args)
    created = create_workspace(
        home_of(args), role=args.role, name=args.name, email=args.email or "", passphrase=passphrase
    )
    created.workspace.close()
    view = created.identity
    remember_workspace(Path(view.workspace), view.name, view.role)
    print(_("Workspace created in {folder}").format(folder=view.workspace))
    print(_("Identity: {name} ({role})").format(name=view.name, role=role_label(view.role)))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Recovery code (shown only now: write it down and keep it safe):"))
    print(f"    {created.recovery_code}")
    if created.keyring_error:
        print(
            _("note: {detail}").format(detail=created.keyring_error),
            file=sys.stderr,
        )
    return 0


def cmd_identity_show(args: argparse.Namespace) -> int:
    from app.labels import role_label
    from app.services.workspace import identity

    with open_workspace(args) as ws:
        view = identity(ws)
    if args.json:
        print_json(asdict(view))
        return 0
    print(_("Name: {name}").format(name=view.name))
    if view.email:
        print(_("Email: {email}").format(email=view.email))
    print(_("Role: {role}").format(role=role_label(view.role)))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Key id: {key_id}").format(key_id=view.key_id))
    print(_("Workspace: {folder}").format(folder=view.workspace))
    return 0


def cmd_identity_export(args: argparse.Namespace) -> int:
    from app.services.cards import save_card

    out = Path(args.out)
    with open_workspace(args) as ws:
        view = save_card(ws, out)
    print(_("Card of {name} written to {path}").format(name=view.name, path=out))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from app.services.cards import trust_office
    from app.services.files import read_input

    data = read_input(args.card)
    with open_workspace(args) as ws:
        view, _changes = trust_office(ws, data)
    print(_("Trusted city office: {name}").format(name=view.name))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Compare this fingerprint aloud with the secretariat."))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The one command that does not open the workspace: it must also report
    on one too damaged to open. It unlocks the key the usual way and reads."""
    from app.services.integrity import check_workspace_at

    report = check_workspace_at(home_of(args), CommandLineSecrets(args))
    if args.json:
        print_json(
            {
                "workspace": str(report.workspace),
                "ok": report.ok,
                "checks": [
                    {"name": c.name, "ok": c.ok, "problems": list(c.problems)}
                    for c in report.checks
                ],
            }
        )
    else:
        print(_("Workspace: {folder}").format(folder=report.workspace))
        for check in report.checks:
            print(f"{'✔' if check.ok else '✘'} {check.title}")
            for problem in check.problems:
                print(f"    {problem}")
    if report.ok:
        return 0
    count = len(report.problems)
    raise VaglioError(
        n_(
            "{count} problem found in the workspace {folder}.",
            "{count} problems found in the workspace {folder}.",
            count,
        ).format(count=count, folder=report.workspace)
    )


def register(tree: CommandTree) -> None:
    add, group, commands = tree.command, tree.group, tree.commands
    init = add(commands, "init", cmd_init, _("create the workspace and identity"))
    init.add_argument("--role", required=True, choices=["secretariat", "member"])
    init.add_argument("--name", required=True)
    init.add_argument("--email")
    identity = group("identity", _("your identity"))
    show = add(identity, "show", cmd_identity_show, _("show name, role and fingerprint"))
    show.add_argument("--json", action="store_true")
    export = add(identity, "export", cmd_identity_export, _("export your signed card"))
    export.add_argument("--out", metavar="CARD", required=True)
    trust = add(commands, "trust", cmd_trust, _("pin the city office's identity (member)"))
    trust.add_argument("card", metavar="CARD")
    check = add(
        commands,
        "check",
        cmd_check,
        _("verify the workspace: page codes, integrity, audit chain, key slots, backups"),
    )
    check.add_argument("--json", action="store_true")
