"""Collegial scores (method "collegial"): the commission's agreed coefficients
make the ranking, every refusal writes nothing, approval waits for them, and
the minutes print them with their vote.

Hand-computed fixture (tests/support/collegial.py, docs/collegial.md):
P002 = 25 + 24 + 12 + 12 + 6 = 79.00 and P001 = 20 + 18 + 15 + 8 + 8 = 69.00,
whatever the members' own means (P001's is 0.8 · 100 = 80); P004 = 40.00 is
below the threshold; P005 waits for its collegial scores; P003 misses the
quorum (Carla Riva in conflict).
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.i18n import format_date
from app.models import AuditEvent, CollegialScore
from app.services.collegial import collegial_sheet, record_collegial
from app.services.collegial_errors import (
    CollegialClosedError,
    CollegialPendingError,
    DissenterAbsentError,
    MajorityWithoutDissentError,
    NoMajorityError,
    NotCollegialError,
    NotInCollegeError,
    SittingRequiredError,
    UnanimousWithDissentError,
)
from app.services.errors import RoleError
from app.services.evaluation_errors import MotivationTooShortError, ValueNotAllowedError
from app.services.minutes import make_minutes
from app.services.ranking import approve_ranking, ranking_view
from app.services.unlocking import OpenWorkspace
from tests.support.collegial import (
    ANNA,
    BRUNO,
    CARLA,
    COLLEGIAL_CALL,
    MOTIVATION,
    collegial_commission,
    record_agreed,
    sitting_day,
)
from tests.support.workspaces import ARTIFACTS


def written(ws: OpenWorkspace) -> tuple[int, int]:
    with ws.session() as session:
        return (
            session.scalar(select(func.count()).select_from(CollegialScore)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


@pytest.fixture
def office(empty_secretariat: OpenWorkspace) -> tuple[OpenWorkspace, int]:
    return empty_secretariat, collegial_commission(empty_secretariat)


def test_the_ranking_uses_the_agreed_coefficients(office) -> None:  # type: ignore[no-untyped-def]
    ws, sitting = office
    record_agreed(ws, sitting)
    view = ranking_view(ws, COLLEGIAL_CALL)
    assert [(r.rank, r.proposal, r.total) for r in view.rows] == [
        (1, "P002", D("79.00")),
        (2, "P001", D("69.00")),
    ]
    assert view.rows[1].criteria == {
        "innovation": D("20.00"), "impact": D("18.00"), "coherence": D("15.00"),
        "sustainability": D("8.00"), "community": D("8.00"),
    }  # fmt: skip
    # The members' own coefficients still mark the spread (0.8 against 0.2).
    assert view.rows[0].flags == ("innovation",)
    assert view.rows[0].evaluators == 3
    reasons = {e.proposal: (e.reason, e.total) for e in view.excluded}
    assert reasons == {
        "P003": ("no_quorum", None),
        "P004": ("below_threshold", D("40.00")),
        "P005": ("collegial_pending", None),
        "P006": ("inadmissible", None),
    }
    decision = next(
        d for d in view.collegial if (d.proposal, d.criterion) == ("P001", "innovation")
    )
    assert (decision.vote, decision.dissent, decision.sitting_on) == (
        "majority",
        (BRUNO,),
        sitting_day(),
    )


def test_approval_waits_for_every_collegial_score_then_freezes_them(office) -> None:  # type: ignore[no-untyped-def]
    ws, sitting = office
    record_agreed(ws, sitting)
    before = written(ws)
    with pytest.raises(CollegialPendingError, match="P005") as refused:
        approve_ranking(ws, COLLEGIAL_CALL)
    assert refused.value.proposals == ("P005",)
    assert written(ws) == before and not ranking_view(ws, COLLEGIAL_CALL).approved
    for key in ("impact", "coherence", "sustainability", "community"):
        record_collegial(ws, COLLEGIAL_CALL, "P005", key, value="0,6", motivation=MOTIVATION,
                         vote="unanimous", sitting=sitting)  # fmt: skip
    approved = approve_ranking(ws, COLLEGIAL_CALL).view
    assert [(r.proposal, r.total) for r in approved.rows] == [
        ("P002", D("79.00")), ("P001", D("69.00")), ("P005", D("60.00")),
    ]  # fmt: skip
    assert len(approved.collegial) == 20
    # Frozen: read back from the document, and no longer writable.
    assert ranking_view(ws, COLLEGIAL_CALL).collegial == approved.collegial
    count = written(ws)
    with pytest.raises(CollegialClosedError):
        record_collegial(ws, COLLEGIAL_CALL, "P001", "impact", value="1", motivation=MOTIVATION,
                         vote="unanimous", sitting=sitting)  # fmt: skip
    assert written(ws) == count


def test_recording_again_replaces_the_value_and_is_audited(office) -> None:  # type: ignore[no-untyped-def]
    ws, sitting = office
    first = record_collegial(ws, COLLEGIAL_CALL, "P001", "impact", value="0.6",
                             motivation=MOTIVATION, vote="unanimous", sitting=sitting)  # fmt: skip
    again = record_collegial(ws, COLLEGIAL_CALL, "P001", "impact", value="0.8",
                             motivation=MOTIVATION, vote="majority", dissent=[ANNA],
                             sitting=sitting)  # fmt: skip
    assert not first.replaced and again.replaced
    with ws.session() as session:
        row = session.scalars(select(CollegialScore)).one()
        assert row.value == D("0.8") and row.vote == "majority" and len(row.dissent) == 1
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "collegial.record")
        ).all()
    assert len(actions) == 2
    sheet = collegial_sheet(ws, COLLEGIAL_CALL)
    p003 = next(p for p in sheet.proposals if p.proposal == "P003")
    assert p003.college == (ANNA, BRUNO)  # Carla Riva is in conflict on it
    p001 = next(p for p in sheet.proposals if p.proposal == "P001")
    assert p001.criteria[0].individual == ((ANNA, D("0.6")), (BRUNO, D("1")), (CARLA, D("0.8")))


REFUSALS = [
    (dict(value="0.5"), ValueNotAllowedError, "0,2, 0,4, 0,6, 0,8, 1"),
    (dict(value="1.2"), ValueNotAllowedError, "1,2"),
    (dict(motivation="Breve."), MotivationTooShortError, "almeno 20"),
    (dict(vote="majority", dissent=[CARLA]), DissenterAbsentError, "Carla Riva non era presente"),
    (dict(proposal="P003", vote="majority", dissent=[CARLA]), NotInCollegeError,
     "Carla Riva non fa parte del collegio che valuta P003"),
    (dict(vote="majority", dissent=["Mario Rossi"]), NotInCollegeError, "Mario Rossi"),
    (dict(vote="unanimous", dissent=[BRUNO]), UnanimousWithDissentError, "Bruno Galli"),
    (dict(vote="majority"), MajorityWithoutDissentError, "contrari"),
    (dict(vote="majority", dissent=[ANNA, BRUNO]), NoMajorityError, "2 dei 3"),
    (dict(sitting=None), SittingRequiredError, "--sitting"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "error", "words"), REFUSALS)
def test_a_refused_collegial_score_writes_nothing(office, change, error, words) -> None:  # type: ignore[no-untyped-def]
    ws, sitting = office
    given = dict(proposal="P001", value="0.8", motivation=MOTIVATION, vote="unanimous",
                 dissent=[], sitting=sitting) | change  # fmt: skip
    before = written(ws)
    with pytest.raises(error) as refused:
        record_collegial(
            ws,
            COLLEGIAL_CALL,
            given.pop("proposal"),
            "innovation",
            **given,  # type: ignore[arg-type]
        )
    assert words in str(refused.value)
    assert written(ws) == before


def test_only_a_collegial_call_and_only_the_secretariat(secretariat, member) -> None:  # type: ignore[no-untyped-def]
    before = written(secretariat)
    with pytest.raises(NotCollegialError, match="non usa i punteggi collegiali"):
        record_collegial(secretariat, "MI-CC-2020", "P001", "innovation", value="0.8",
                         motivation=MOTIVATION, vote="unanimous")  # fmt: skip
    assert written(secretariat) == before
    with member.session() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(RoleError):
        record_collegial(member, "MI-CC-2020", "P001", "innovation", value="0.8",
                         motivation=MOTIVATION, vote="unanimous")  # fmt: skip
    with member.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
        assert session.scalar(select(func.count()).select_from(CollegialScore)) == 0


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_the_minutes_print_the_agreed_scores_with_their_vote(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, sitting = office
    record_agreed(ws, sitting)
    for key in ("impact", "coherence", "sustainability", "community"):
        record_collegial(ws, COLLEGIAL_CALL, "P005", key, value="0.6", motivation=MOTIVATION,
                         vote="unanimous", sitting=sitting)  # fmt: skip
    approve_ranking(ws, COLLEGIAL_CALL)
    pdf = tmp_path / "verbale.pdf"
    pdf.write_bytes(make_minutes(ws, COLLEGIAL_CALL).content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "minutes_collegial.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    day = format_date(sitting_day())
    assert (
        f"Nella seduta del {day}, la Commissione, a maggioranza (contrari: Bruno Galli), "
        f"attribuisce 0,80: {MOTIVATION}"
    ) in flat
    assert f"Nella seduta del {day}, la Commissione, all'unanimità, attribuisce 1,00:" in flat
    assert "Metodo: punteggi collegiali" in flat
    assert "restano nei pacchetti di punteggi firmati" in flat
    # The members' own motivations and values are not printed: the call does not ask.
    from tests.support.bundle_factory import WHY

    assert WHY not in flat


def test_a_sitting_where_scores_were_agreed_cannot_be_removed(office) -> None:  # type: ignore[no-untyped-def]
    from app.services.collegial_errors import SittingHasCollegialScoresError
    from app.services.sittings import list_sittings, remove_sitting

    ws, sitting = office
    record_agreed(ws, sitting)
    before = written(ws)
    with pytest.raises(SittingHasCollegialScoresError, match="16 punteggi collegiali"):
        remove_sitting(ws, COLLEGIAL_CALL, sitting)
    assert written(ws) == before
    assert [s.id for s in list_sittings(ws, COLLEGIAL_CALL)] == [sitting]


def test_members_score_coefficients_on_their_desk_as_under_the_coefficient_method(
    tmp_path: Path,
) -> None:
    from app.services.declarations import declare_general, declare_proposal
    from app.services.member_desk import desk
    from app.services.scores import save_scores
    from app.services.submission import submit
    from app.services.unlocking import OpenWorkspace as Open
    from app.store.workspace import load_slots, open_with_key
    from tests.support.collegial import member_with_collegial_call

    home, raw_key = member_with_collegial_call(tmp_path)
    with Open(open_with_key(home, load_slots(home), raw_key)) as ws:
        declare_general(ws, COLLEGIAL_CALL)
        keys = ("innovation", "impact", "coherence", "sustainability", "community")
        declare_proposal(ws, COLLEGIAL_CALL, "P001", conflict=False)
        with pytest.raises(ValueNotAllowedError):  # the call's levels, as for coefficients
            save_scores(ws, COLLEGIAL_CALL, "P001", values={"impact": D("0.5")})
        for row in desk(ws, COLLEGIAL_CALL).rows:
            if row.status == "inadmissible":
                continue
            declare_proposal(ws, COLLEGIAL_CALL, row.proposal.id, conflict=False)
            save_scores(ws, COLLEGIAL_CALL, row.proposal.id, values=dict.fromkeys(keys, D("0.8")),
                        justifications=dict.fromkeys(keys, MOTIVATION))  # fmt: skip
        sent = submit(ws, COLLEGIAL_CALL)
    assert sent.sequence == 1 and sent.scores == 25 and sent.copy.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_the_minutes_print_the_members_values_too_when_the_call_says_so(
    empty_secretariat: OpenWorkspace, tmp_path: Path
) -> None:
    ws = empty_secretariat
    sitting = collegial_commission(ws, individual=True)
    record_agreed(ws, sitting)
    for key in ("impact", "coherence", "sustainability", "community"):
        record_collegial(ws, COLLEGIAL_CALL, "P005", key, value="0.6", motivation=MOTIVATION,
                         vote="unanimous", sitting=sitting)  # fmt: skip
    approve_ranking(ws, COLLEGIAL_CALL)
    pdf = tmp_path / "verbale.pdf"
    pdf.write_bytes(make_minutes(ws, COLLEGIAL_CALL).content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "minutes_collegial_individual.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    from tests.support.bundle_factory import WHY

    assert f"{ANNA}: {WHY}" in flat  # each member's motivation, with the name
    assert "la Commissione, a maggioranza (contrari: Bruno Galli), attribuisce 0,80" in flat
    assert "il verbale riporta i coefficienti di ciascun componente" in flat


def test_the_lottery_number_waits_for_every_collegial_score(office) -> None:  # type: ignore[no-untyped-def]
    from app.services.ranking import record_lottery_number

    ws, sitting = office
    record_agreed(ws, sitting)
    before = written(ws)
    with pytest.raises(CollegialPendingError, match="P005"):
        record_lottery_number(ws, COLLEGIAL_CALL, "37")
    assert written(ws) == before
    assert ranking_view(ws, COLLEGIAL_CALL).lottery_number is None


def test_approval_refuses_a_dissenter_who_has_since_left_the_college(office) -> None:  # type: ignore[no-untyped-def]
    from app.models import ConflictDeclaration, Member, Proposal
    from app.services.collegial_errors import DissenterLeftCollegeError

    ws, sitting = office
    record_agreed(ws, sitting)
    for key in ("impact", "coherence", "sustainability", "community"):
        record_collegial(ws, COLLEGIAL_CALL, "P005", key, value="0.6", motivation=MOTIVATION,
                         vote="unanimous", sitting=sitting)  # fmt: skip
    # Bruno Galli, against on P001's innovation, declares a conflict on P001
    # afterwards (what the intake of his next bundle records).
    with ws.session() as session:
        bruno = session.scalars(select(Member).where(Member.name == BRUNO)).one()
        p001 = session.scalars(
            select(Proposal).where(Proposal.call_id == COLLEGIAL_CALL, Proposal.code == "P001")
        ).one()
        declaration = session.scalars(
            select(ConflictDeclaration).where(
                ConflictDeclaration.member_id == bruno.id,
                ConflictDeclaration.proposal_id == p001.id,
            )
        ).one()
        declaration.has_conflict, declaration.category = True, "professional"
        declaration.reason = "Consulente del proponente."
    before = written(ws)
    with pytest.raises(DissenterLeftCollegeError, match="P001/innovation: Bruno Galli"):
        approve_ranking(ws, COLLEGIAL_CALL)
    assert written(ws) == before and not ranking_view(ws, COLLEGIAL_CALL).approved
    # Recorded again by the college as it now is, the approval goes through.
    record_collegial(ws, COLLEGIAL_CALL, "P001", "innovation", value="0.8", motivation=MOTIVATION,
                     vote="unanimous", sitting=sitting)  # fmt: skip
    assert approve_ranking(ws, COLLEGIAL_CALL).view.approved
