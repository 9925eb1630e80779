"""The minutes are printed from what the approval froze: two prints made at
different times, after the workspace's tables changed under them, say the same;
every moment is Rome's, whatever the computer's zone."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app import clock
from app.i18n import format_datetime, set_language
from app.models import GeneralDeclaration, Member, Score
from app.services.minutes import make_minutes, minutes_view
from app.services.ranking import approved_minutes_facts
from tests.support.minutes import CALL, approved_demo, open_home

pytestmark = pytest.mark.slow


def _text(content: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_two_prints_after_the_tables_changed_say_the_same(
    demo_template: Path, tmp_path: Path
) -> None:
    set_language("it")
    home = approved_demo(demo_template, tmp_path / "demo")
    ws = open_home(home)
    try:
        with ws.session() as session:
            facts = approved_minutes_facts(session, CALL)
        assert facts is not None and {"commission", "proposals", "conflicts"} <= set(facts)
        first = make_minutes(ws, CALL).content
        before = minutes_view(ws, CALL)
        # Later: another day, and the tables the minutes once read from changed
        # (a member renamed, a motivation rewritten, a declaration gone).
        with ws.session() as session:
            member = session.scalars(select(Member).order_by(Member.id)).first()
            assert member is not None
            old_name, member.name = member.name, "Nome Cambiato"
            score = session.scalars(select(Score).where(Score.justification != "")).first()
            assert score is not None
            old_motivation, score.justification = score.justification, "Motivazione riscritta."
            for declaration in session.scalars(select(GeneralDeclaration)):
                session.delete(declaration)
        with clock.using(clock.SteppingClock(dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC))):
            second = make_minutes(ws, CALL).content
        after = minutes_view(ws, CALL)
    finally:
        ws.close()
    assert after.commission == before.commission and after.proposals == before.proposals
    one, two = _text(first, tmp_path, "first"), _text(second, tmp_path, "second")
    assert one == two
    assert first == second  # to the byte: dated by the approval, never by the clock
    assert old_name in one and "Nome Cambiato" not in two
    assert " ".join(old_motivation.split())[:40] in " ".join(two.split())
    assert "Motivazione riscritta" not in two


def test_moments_are_printed_in_romes_time(demo_template: Path, tmp_path: Path) -> None:
    set_language("it")
    home = approved_demo(demo_template, tmp_path / "demo")
    ws = open_home(home)
    try:
        view = minutes_view(ws, CALL)
        text = _text(make_minutes(ws, CALL).content, tmp_path, "minutes")
    finally:
        ws.close()
    approved = view.approved_at
    in_rome = approved.astimezone(ZoneInfo("Europe/Rome")).strftime("%d/%m/%Y %H:%M")
    assert in_rome in text
    # The suite's clock stands where UTC and Rome differ by an hour or a day.
    utc = approved.astimezone(dt.UTC).strftime("%d/%m/%Y %H:%M")
    assert utc != in_rome and utc not in text
    # Outside the minutes, screens keep the computer's own zone.
    assert format_datetime(approved) == approved.astimezone().strftime("%d/%m/%Y %H:%M")


def test_a_ranking_approved_before_the_facts_were_frozen_still_prints(
    demo_template: Path, tmp_path: Path
) -> None:
    """An older workspace's approved document has no frozen facts: its minutes
    read the tables, as they did when it was approved."""
    import json

    from app.models import RankingRecord

    home = approved_demo(demo_template, tmp_path / "demo")
    ws = open_home(home)
    try:
        with ws.session() as session:
            record = session.get(RankingRecord, CALL)
            assert record is not None and record.document is not None
            document = json.loads(record.document)
            del document["minutes"]
            record.document = json.dumps(document)
        with ws.session() as session:
            assert approved_minutes_facts(session, CALL) is None
        view = minutes_view(ws, CALL)
    finally:
        ws.close()
    assert view.proposals and view.commission
