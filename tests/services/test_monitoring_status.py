"""The secretariat's monitoring: how many proposals each member completed,
how many members completed each proposal, the totals, and the evaluation
deadline with the bundles that arrived after it (flagged, never refused)."""

from __future__ import annotations

import datetime as dt
import json

from app.services.status import Tally, call_status
from tests.support.monitoring import CALL, member_with_deadline, monitored_call


def test_counts_per_member_per_proposal_and_in_total(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    monitored_call(empty_secretariat, None)
    status = call_status(empty_secretariat, CALL)
    completed = {m.name: m.completed for m in status.members}
    # A conflict and an inadmissible proposal are nobody's work; what was
    # not declared yet is still expected.
    assert completed == {
        "Anna": Tally(5, 5),
        "Bruno": Tally(4, 4),
        "Carla": Tally(3, 3),
        "Dario": Tally(0, 5),
    }
    assert str(completed["Dario"]) == "0/5"
    assert status.scored_by == {
        "P001": Tally(2, 3),
        "P002": Tally(2, 3),
        "P003": Tally(2, 3),
        "P004": Tally(3, 4),
        "P005": Tally(3, 4),
        "P006": Tally(0, 0),
    }
    assert status.totals == Tally(12, 17)
    assert status.deadline is None
    assert not any(m.late for m in status.members)
    assert status.received_any


def test_a_bundle_after_the_deadline_is_accepted_and_flagged(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    # The deadline was 10 March; in Rome the bundles arrived on the 11th.
    monitored_call(empty_secretariat, "2026-03-10")
    status = call_status(empty_secretariat, CALL)
    assert status.deadline == dt.date(2026, 3, 10)
    late = {m.name: m.late for m in status.members}
    assert late == {"Anna": True, "Bruno": True, "Carla": True, "Dario": False}
    assert [m.bundle_sequence for m in status.members] == [1, 1, 1, None]


def test_a_bundle_on_the_deadline_day_in_rome_is_on_time(empty_secretariat) -> None:  # type: ignore[no-untyped-def]
    # 23:30 UTC on the 10th is the 11th in Rome: a deadline of the 11th is met.
    monitored_call(empty_secretariat, "2026-03-11")
    status = call_status(empty_secretariat, CALL)
    assert not any(m.late for m in status.members)


def test_status_json_adds_the_counts_and_keeps_its_keys(empty_secretariat, cli) -> None:  # type: ignore[no-untyped-def]
    monitored_call(empty_secretariat, "2026-03-10")
    home = empty_secretariat.home
    empty_secretariat.close()
    result = cli("status", CALL, "--json", home=home)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    # The keys scripts read stay; the new ones are added beside them.
    assert {"call_id", "role", "proposals", "members", "bundles", "conflicts"} <= set(document)
    member = document["members"][3]
    assert {"name", "key_id", "bundle_sequence", "received_at", "cells", "missing"} <= set(member)
    assert member["name"] == "Dario"
    assert member["completed"] == {"done": 0, "expected": 5}
    assert member["late"] is False
    assert document["members"][2]["late"] is True
    assert document["scored_by"]["P004"] == {"done": 3, "expected": 4}
    assert document["totals"] == {"done": 12, "expected": 17}
    assert document["deadline"] == "2026-03-10"
    text = cli("status", CALL, home=home)
    assert text.code == 0, text.err
    assert "Scadenza della valutazione: 10/03/2026 (scaduta da 1 giorno)" in text.out
    assert "Carla: 3/3 completate · ultimo pacchetto in ritardo" in text.out
    assert "Dario: 0/5 completate\n" in text.out
    assert "Schede di valutazione complete: 12 su 17." in text.out


def test_the_deadline_travels_in_the_call_package_to_the_member(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    from app.services.member_desk import desk
    from tests.support.workspaces import CALL_ID, copy_template, opened

    template = member_with_deadline(tmp_path / "tpl", "2026-03-26")
    home = copy_template(template, tmp_path / "member")
    with opened(template, home) as ws:
        assert desk(ws, CALL_ID).deadline == dt.date(2026, 3, 26)
        status = call_status(ws, CALL_ID)
    assert (status.role, status.deadline, status.today) == (
        "member", dt.date(2026, 3, 26), dt.date(2026, 3, 11),
    )  # fmt: skip
    shown = cli("status", CALL_ID, home=home)
    assert shown.code == 0, shown.err
    assert shown.out.startswith("Scadenza della valutazione: 26/03/2026 (mancano 15 giorni)\n")


def _texts(story: list[object]) -> list[str]:
    from reportlab.platypus import Paragraph, Table

    found: list[str] = []
    for item in story:
        if isinstance(item, Paragraph):
            found.append(item.getPlainText())
        elif isinstance(item, Table):
            found += _texts([cell for row in item._cellvalues for cell in row])
    return found


def test_the_minutes_name_the_deadline_only_when_the_call_set_one() -> None:
    from types import SimpleNamespace

    from app.models.call_acts import CallActs
    from app.models.definition import parse_call_definition
    from app.reports.minutes_layout import Styles
    from app.reports.minutes_sections import title_block
    from tests.support.monitoring import with_deadline
    from tests.support.workspaces import FIXTURES

    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    approved = dt.datetime(2026, 3, 30, 10, tzinfo=dt.UTC)
    styles = Styles()
    printed = {}
    for name, source in (("none", text), ("set", with_deadline(text, "2020-12-20"))):
        view = SimpleNamespace(
            call=parse_call_definition(source).info,
            acts=CallActs(),
            proposals_received=6,
            approved_at=approved,
        )
        printed[name] = _texts(title_block(view, styles))  # type: ignore[arg-type]
    assert "Scadenza della valutazione" not in printed["none"]
    at = printed["set"].index("Scadenza della valutazione")
    assert printed["set"][at + 1] == "20/12/2020"
    assert printed["set"][at - 2] == "Termine di presentazione"
