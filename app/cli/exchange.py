"""``vaglio sync``, ``vaglio bundles import``, ``vaglio submit`` and ``vaglio
status``: the artefacts between the laptops and the city office."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from app.cli.progress import ProgressLine
from app.cli.support import CommandTree, open_workspace, print_json, print_table
from app.errors import VaglioError
from app.i18n import _, format_datetime
from app.labels import receipt_state_label
from app.services.unlocking import OpenWorkspace

if TYPE_CHECKING:
    from app.services.sending import SendingState
    from app.services.status import CallStatus


def sync_call(ws: OpenWorkspace, call_id: str) -> list[str]:
    """Push (and pull) for one call if it has a remote; the report lines."""
    from app.services.exchange import sync
    from app.services.exchange_errors import NoRemoteError
    from app.services.remotes import get_remote

    try:
        get_remote(ws, call_id)
    except NoRemoteError:
        return []
    with ProgressLine() as progress:
        report = sync(ws, call_id=call_id, progress=progress)
    if report.failures:
        raise VaglioError("; ".join(reason for _call, reason in report.failures))
    return report.lines()


def cmd_submit(args: argparse.Namespace) -> int:
    from app.services.submission import submit

    with open_workspace(args) as ws:
        submitted = submit(ws, args.call_id)
        print(
            _("Score bundle {sequence} of {call_id} signed and sealed to the city office.").format(
                sequence=submitted.sequence, call_id=submitted.call_id
            )
        )
        lines = sync_call(ws, args.call_id)
    if lines:
        print(_("Sent to the city office."))
    else:
        print(_("No remote set: take {path} to the city office.").format(path=submitted.copy))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from app.services.exchange import sync

    with open_workspace(args) as ws, ProgressLine() as progress:
        report = sync(ws, progress=progress)
    if not report.calls:
        print(_("No remote is set for any call: nothing to synchronise."))
        return 0
    for line in report.lines():
        print(line)
    if report.failures:
        raise VaglioError("; ".join(f"{c}: {r}" for c, r in report.failures))
    return 0


def cmd_bundles_import(args: argparse.Namespace) -> int:
    from app.services.hand_import import HandFile, take_in
    from app.services.intake import IntakeResult

    kept = 0

    def taken(found: HandFile, result: IntakeResult) -> None:
        nonlocal kept
        if result.kind == "call-attachment":
            kept += 1  # thousands of them: counted, not listed
            return
        if result.outcome == "waiting":
            return  # said once the parts that came with it are kept
        progress.clear()
        print(f"{found.path}: {result.describe()}")
        for note in result.notes():
            print(f"  {note}")

    with open_workspace(args) as ws, ProgressLine() as progress:
        done = take_in(ws, args.files, stop_at_refusal=True, on_taken=taken, progress=progress)
    if kept:
        print(_("{count} attachments kept.").format(count=kept))
    for result in done.completed:
        print(result.describe())
    return 0


def _status_document(status: Any) -> dict[str, Any]:
    """``vaglio status --json``: the status with its moments and days in ISO 8601."""
    document = dataclasses.asdict(status)
    for member in document["members"]:
        member["received_at"] = member["received_at"] and member["received_at"].isoformat()
    for event in document["conflicts"]:
        event["declared_at"] = event["declared_at"].isoformat()
    for bundle in document["bundles"]:
        bundle["created_at"] = bundle["created_at"].isoformat()
        bundle["receipt_at"] = bundle["receipt_at"] and bundle["receipt_at"].isoformat()
    for day in ("deadline", "today"):
        document[day] = document[day] and document[day].isoformat()
    return document


def _sending_document(sending: SendingState) -> dict[str, object]:
    """The member's sending state for ``vaglio status --json`` (the ``sending`` key)."""
    return {
        "state": sending.state,
        "sequence": sending.sequence,
        "created_at": sending.created_at and sending.created_at.isoformat(),
        "receipt_at": sending.receipt_at and sending.receipt_at.isoformat(),
        "unsent_changes": sending.unsent_changes,
        "ready": sending.readiness.ready,
        "missing": sending.readiness.problems(),
    }


def _print_member_status(status: CallStatus, sending: SendingState) -> None:
    print(
        _("Scored {complete} of {scorable}; ready to submit: {ready}").format(
            complete=status.complete,
            scorable=status.scorable,
            ready=_("yes") if status.ready_to_submit else _("no"),
        )
    )
    for bundle in status.bundles:
        state = receipt_state_label(bundle.state, bundle.receipt_at)
        print(_("Bundle {sequence}: {state}").format(sequence=bundle.sequence, state=state))
    print(sending.sentence())
    for problem in sending.readiness.problems() if sending.something_to_send else ():
        print(f"  {problem}")


def cmd_status(args: argparse.Namespace) -> int:
    from app.services.evaluation_deadline import evaluation_deadline
    from app.services.sending import sending_state
    from app.services.status import call_status

    with open_workspace(args) as ws:
        status = call_status(ws, args.call_id)
        sending = sending_state(ws, args.call_id) if status.role == "member" else None
    if args.json:
        document = _status_document(status)
        if sending is not None:  # a key added for members; the others keep their meaning
            document["sending"] = _sending_document(sending)
        print_json(document)
        return 0
    deadline = evaluation_deadline(status.deadline, status.today)
    if deadline is not None:
        print(deadline.sentence())
    if sending is not None:
        _print_member_status(status, sending)
        return 0
    symbols = {"complete": "✔", "partial": "½", "conflicted": "C", "inadmissible": "—",
               "to_score": "·", "to_declare": "?", "not_assigned": ""}  # fmt: skip
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
    for m in status.members:
        print(_("{name}: {completed} completed").format(name=m.name, completed=m.completed)
              + (" · " + _("last bundle late") if m.late else ""))  # fmt: skip
    print(_("Evaluation sheets complete: {done} of {expected}.").format(
        done=status.totals.done, expected=status.totals.expected))  # fmt: skip
    print(_("✔ complete · ½ partial · · to score · ? to declare · C conflict · — not admissible"))
    if any("not_assigned" in m.cells.values() for m in status.members):
        print(_("A blank cell: a proposal not assigned to that substitute."))
    for m in status.members:
        if m.missing:
            print(
                _("{name}: bundles {numbers} never arrived.").format(
                    name=m.name, numbers=m.missing_text
                )
            )
    if status.conflicts:
        print(_("Conflicts of interest, as declared and changed:"))
    for event in status.conflicts:
        print(f"  {format_datetime(event.declared_at)} · {event.sentence()}" + (
            " " + _("(bundle {sequence})").format(sequence=event.bundle_sequence)
            if event.bundle_sequence is not None else ""
        ))  # fmt: skip
    return 0


def register(tree: CommandTree) -> None:
    add, group, commands = tree.command, tree.group, tree.commands
    add(commands, "sync", cmd_sync, _("push the outbox and pull the inbox of every call"))
    submit = add(commands, "submit", cmd_submit, _("sign and seal your score bundle"))
    submit.add_argument("call_id", metavar="CALL_ID")
    imp = add(group("bundles", _("score bundles and other artefacts")), "import",
              cmd_bundles_import, _("manual intake, same checks as sync"))  # fmt: skip
    imp.add_argument("files", metavar="FILE", nargs="+")
    status = add(commands, "status", cmd_status, _("completeness and exchange status"))
    status.add_argument("call_id", metavar="CALL_ID")
    status.add_argument("--json", action="store_true")
