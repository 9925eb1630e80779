"""A call whose monitoring the tests check: four members, three bundles
(two with conflicts), one member silent, and an optional evaluation deadline;
and a member's workspace that received a call with a deadline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import clock
from app.services.calls import create_call
from app.services.proposal_import import import_proposals
from app.services.unlocking import OpenWorkspace
from tests.support.commission import CONFLICT, Commission, uniform
from tests.support.workspaces import FIXTURES, Template, close_template, make_template

SUBMISSION = "submission_deadline = 2020-07-15\n"


def with_deadline(text: str, deadline: str) -> str:
    """``text`` (a call file) with ``evaluation_deadline = deadline`` in its [call]."""
    assert SUBMISSION in text
    return text.replace(SUBMISSION, SUBMISSION + f"evaluation_deadline = {deadline}\n")


CALL = "MI-CC-MONITOR"
ADMISSIBLE = ("P001", "P002", "P003", "P004", "P005")  # P006 is not admissible
# The suite's moment, 23:30 UTC on 10 March: already 11 March in Rome.
RECEIVED = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)


def monitored_call(ws: OpenWorkspace, deadline: str | None) -> Commission:
    """Anna scored every proposal, Bruno is in conflict on P002, Carla on P001
    and P003, and Dario sent nothing (the office takes only whole sheets)."""
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{CALL}"', 1)
    if deadline is not None:
        text = with_deadline(text, deadline)
    create_call(ws, text)
    import_proposals(ws, CALL, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    board = Commission(ws, CALL)
    for name in ("Anna", "Bruno", "Carla", "Dario"):
        board.enrol(name)
    board.publish()
    with clock.using(clock.SteppingClock(RECEIVED)):
        board.send("Anna", {p: uniform("0.8") for p in ADMISSIBLE})
        board.send("Bruno", {p: CONFLICT if p == "P002" else uniform("0.6") for p in ADMISSIBLE})
        board.send(
            "Carla", {p: CONFLICT if p in ("P001", "P003") else uniform("0.4") for p in ADMISSIBLE}
        )
    return board


def member_with_deadline(folder: Path, deadline: str) -> Template:
    """A member's workspace that installed the fixture call, published with
    ``evaluation_deadline = deadline``, from a real secretariat."""
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.publication import publish_call
    from tests.support.published import install_published

    text = with_deadline((FIXTURES / "call.toml").read_text(encoding="utf-8"), deadline)
    member, code = make_template(folder / "member", "member", "Sara Esposito")
    secretariat, _code = make_template(folder / "secretariat", "secretariat", "Segreteria")
    call_id = create_call(secretariat, text).call_id
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    enroll_cards(secretariat, call_id, [(export_card(member), "member")])
    trust_office(member, export_card(secretariat))
    install_published(member, publish_call(secretariat, call_id))
    secretariat.close()
    return close_template(member, code)
