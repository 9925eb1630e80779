"""The commands that move artefacts between laptops and the city office."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from app.cli_support import CommandTree, open_workspace, print_json, print_table
from app.i18n import _, format_datetime


def _read(path: str) -> bytes:
    from app.services.errors import InputFileError

    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(path, exc.strerror or type(exc).__name__) from None


def cmd_identity_export(args: argparse.Namespace) -> int:
    from app.services.cards import export_card, read_card
    from app.store.files import write_atomic

    ws = open_workspace(args)
    try:
        data = export_card(ws)
    finally:
        ws.close()
    out = Path(args.out)
    write_atomic(out, data, mode=0o644)  # a card is public: it holds public keys only
    view = read_card(data)
    print(_("Card of {name} written to {path}").format(name=view.name, path=out))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from app.services.cards import trust_office

    data = _read(args.card)
    ws = open_workspace(args)
    try:
        view, _changes = trust_office(ws, data)
    finally:
        ws.close()
    print(_("Trusted city office: {name}").format(name=view.name))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=view.fingerprint))
    print(_("Compare this fingerprint aloud with the secretariat."))
    return 0


def cmd_call_enroll(args: argparse.Namespace) -> int:
    from app.services.cards import enroll_cards

    cards = [(_read(path), args.role) for path in args.cards]
    ws = open_workspace(args)
    try:
        views, _changes = enroll_cards(ws, args.call_id, cards)
    finally:
        ws.close()
    for view in views:
        print(
            _("Enrolled {name} ({fingerprint})").format(
                name=view.name, fingerprint=view.fingerprint
            )
        )
    return 0


def cmd_remote_set(args: argparse.Namespace) -> int:
    from app.services.remotes import set_remote

    ws = open_workspace(args)
    try:
        view, _changes = set_remote(ws, args.call_id, args.destination)
    finally:
        ws.close()
    print(
        _("Remote of {call_id}: {destination}").format(
            call_id=view.call_id, destination=view.destination
        )
    )
    return 0


def _sync_call(ws: object, call_id: str) -> list[str]:
    """Push (and pull) for one call if it has a remote; the report lines."""
    from app.services.exchange import sync
    from app.services.exchange_errors import NoRemoteError
    from app.services.remotes import get_remote

    try:
        get_remote(ws, call_id)  # type: ignore[arg-type]
    except NoRemoteError:
        return []
    report = sync(ws, call_id=call_id)  # type: ignore[arg-type]
    if report.failures:
        from app.errors import VaglioError

        raise VaglioError("; ".join(reason for _call, reason in report.failures))
    return report.lines()


def cmd_call_publish(args: argparse.Namespace) -> int:
    from app.services.publication import publish_call

    ws = open_workspace(args)
    try:
        published = publish_call(ws, args.call_id)
        print(
            _("Call package {sequence} of {call_id} signed and sealed for {count} members.").format(
                sequence=published.sequence, call_id=published.call_id, count=published.recipients
            )
        )
        lines = _sync_call(ws, args.call_id)
    finally:
        ws.close()
    if lines:
        print(_("Uploaded to the remote."))
    else:
        print(_("No remote set: the package is in {path}").format(path=published.copy))
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from app.services.submission import submit

    ws = open_workspace(args)
    try:
        submitted = submit(ws, args.call_id)
        print(
            _("Score bundle {sequence} of {call_id} signed and sealed to the city office.").format(
                sequence=submitted.sequence, call_id=submitted.call_id
            )
        )
        lines = _sync_call(ws, args.call_id)
    finally:
        ws.close()
    if lines:
        print(_("Sent to the city office."))
    else:
        print(_("No remote set: take {path} to the city office.").format(path=submitted.copy))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from app.services.exchange import sync

    ws = open_workspace(args)
    try:
        report = sync(ws, progress=lambda text: print(text, file=sys.stderr))
    finally:
        ws.close()
    if not report.calls:
        print(_("No remote is set for any call: nothing to synchronise."))
        return 0
    for line in report.lines():
        print(line)
    if report.failures:
        from app.errors import VaglioError

        raise VaglioError("; ".join(f"{c}: {r}" for c, r in report.failures))
    return 0


def cmd_bundles_import(args: argparse.Namespace) -> int:
    from app.errors import VaglioError
    from app.services.intake import import_file

    ws = open_workspace(args)
    try:
        for path in args.files:
            data = _read(path)
            try:
                result = import_file(ws, data)
            except VaglioError as exc:
                raise VaglioError(f"{path}: {exc}") from None
            print(f"{path}: {result.describe()}")
    finally:
        ws.close()
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from app.services.status import call_status

    ws = open_workspace(args)
    try:
        status = call_status(ws, args.call_id)
    finally:
        ws.close()
    if args.json:
        document = dataclasses.asdict(status)
        for member in document["members"]:
            member["received_at"] = member["received_at"] and member["received_at"].isoformat()
        for bundle in document["bundles"]:
            bundle["created_at"] = bundle["created_at"].isoformat()
            bundle["receipt_at"] = bundle["receipt_at"] and bundle["receipt_at"].isoformat()
        print_json(document)
        return 0
    if status.role == "member":
        print(
            _("Scored {complete} of {scorable}; ready to submit: {ready}").format(
                complete=status.complete,
                scorable=status.scorable,
                ready=_("yes") if status.ready_to_submit else _("no"),
            )
        )
        for bundle in status.bundles:
            if bundle.receipt_at is not None:
                state = _("received by the city office on {moment}").format(
                    moment=format_datetime(bundle.receipt_at)
                )
            elif bundle.uploaded:
                state = _("sent, waiting for the receipt")
            else:
                state = _("in the outbox")
            print(_("Bundle {sequence}: {state}").format(sequence=bundle.sequence, state=state))
        return 0
    symbols = {"complete": "✔", "partial": "½", "conflicted": "C", "inadmissible": "—",
               "to_score": "·", "to_declare": "?"}  # fmt: skip
    headers = [_("member"), _("bundle"), _("receipt"), *status.proposals]
    rows = [
        [
            m.name,
            "—" if m.bundle_sequence is None else str(m.bundle_sequence),
            _("sent") if m.receipt_sent else "—",
            *[symbols.get(m.cells[p], "?") for p in status.proposals],
        ]
        for m in status.members
    ]
    print_table(headers, rows)
    print(_("✔ complete · ½ partial · · to score · ? to declare · C conflict · — not admissible"))
    for m in status.members:
        if m.missing:
            print(
                _("{name}: bundles {numbers} never arrived.").format(
                    name=m.name, numbers=", ".join(str(n) for n in m.missing)
                )
            )
    return 0


def register(tree: CommandTree) -> None:
    """Add the exchange commands to the parser (called by ``app.cli``)."""
    add, group, commands = tree.command, tree.group, tree.commands
    export = add(group("identity"), "export", cmd_identity_export, _("export your signed card"))
    export.add_argument("--out", metavar="CARD", required=True)
    trust = add(commands, "trust", cmd_trust, _("pin the city office's identity (member)"))
    trust.add_argument("card", metavar="CARD")
    enroll = add(group("call"), "enroll", cmd_call_enroll, _("add members from their cards"))
    enroll.add_argument("call_id", metavar="CALL_ID")
    enroll.add_argument("cards", metavar="CARD", nargs="+")
    enroll.add_argument("--role", choices=["member", "president"], default="member")
    publish = add(group("call"), "publish", cmd_call_publish, _("sign, seal and upload the call"))
    publish.add_argument("call_id", metavar="CALL_ID")
    remote = add(group("remote", _("where calls are exchanged")), "set", cmd_remote_set,
                 _("a folder path or an http(s) WebDAV URL"))  # fmt: skip
    remote.add_argument("call_id", metavar="CALL_ID")
    remote.add_argument("destination", metavar="DEST")
    add(commands, "sync", cmd_sync, _("push the outbox and pull the inbox of every call"))
    submit = add(commands, "submit", cmd_submit, _("sign and seal your score bundle"))
    submit.add_argument("call_id", metavar="CALL_ID")
    imp = add(group("bundles", _("score bundles and other artefacts")), "import",
              cmd_bundles_import, _("manual intake, same checks as sync"))  # fmt: skip
    imp.add_argument("files", metavar="FILE", nargs="+")
    status = add(commands, "status", cmd_status, _("completeness and exchange status"))
    status.add_argument("call_id", metavar="CALL_ID")
    status.add_argument("--json", action="store_true")
