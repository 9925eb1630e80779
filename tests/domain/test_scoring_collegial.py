"""The ranking under ``method = "collegial"``, on plain values: the agreed
coefficients make the points, the members' own values only the quorum and
the flags, and a proposal lacking an agreed value waits."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.rules import Criterion, Grid
from app.scoring import ranking
from app.scoring.ranking import Evaluation, ProposalInput

CALL = "MI-CC-COLLEGIALE"


def grid(**changes) -> Grid:  # type: ignore[no-untyped-def]
    base = dict(
        method="collegial",
        decimals=2,
        threshold=D("50"),
        rescale="none",
        min_evaluators=2,
        dispersion_flag=D("0.6"),
        tie_break=("impact", "lottery"),
        criteria=(
            Criterion("innovation", "Innovazione", D("40")),
            Criterion("impact", "Impatto", D("60"), min_points=D("18")),
        ),
        justification_min_chars=0,
    )
    base.update(changes)
    return Grid(**base)  # type: ignore[arg-type]


def sheets(pid: str, innovation: list[str], impact: list[str]) -> list[Evaluation]:
    return [
        Evaluation(f"m{n}", pid, False, {"innovation": D(i), "impact": D(m)})
        for n, (i, m) in enumerate(zip(innovation, impact, strict=True))
    ]


PROPOSALS = [ProposalInput(pid, True, D("30000")) for pid in ("A", "B", "C", "D", "E")]
EVALUATIONS = (
    sheets("A", ["0.2", "0.8", "0.6"], ["0.6", "0.6", "0.6"])  # innovation spread 0.6: flagged
    + sheets("B", ["1", "1", "1"], ["1", "1", "1"])
    + sheets("C", ["0.4", "0.4", "0.4"], ["0.4", "0.4", "0.4"])
    + sheets("D", ["0.8", "0.8", "0.8"], ["0.8", "0.8", "0.8"])
    + sheets("E", ["0.8"], ["0.8"])  # one evaluator: no quorum, whatever was agreed
)
AGREED = {
    "A": {"innovation": D("0.8"), "impact": D("0.8")},  # 32 + 48 = 80
    "B": {"innovation": D("0.5"), "impact": D("0.75")},  # 20 + 45 = 65
    "C": {"innovation": D("1"), "impact": D("0.2")},  # 40 + 12: below impact's floor of 18
    "D": {"innovation": D("0.8")},  # impact not agreed yet
    "E": {"innovation": D("1"), "impact": D("1")},
}


def test_the_agreed_coefficients_make_the_points() -> None:
    result = ranking.rank(grid(), CALL, PROPOSALS, EVALUATIONS, agreed=AGREED)
    assert [(r.proposal, r.total, r.criteria) for r in result.ranking] == [
        ("A", D("80.00"), {"innovation": D("32.00"), "impact": D("48.00")}),
        ("B", D("65.00"), {"innovation": D("20.00"), "impact": D("45.00")}),
    ]
    # The members' mean would have put B first (100 against 60).
    assert result.ranking[0].flags == ("innovation",) and result.ranking[0].evaluators == 3
    assert {e.proposal: (e.reason, e.total) for e in result.excluded} == {
        "C": ("below_criterion_floor", D("52.00")),
        "D": ("collegial_pending", None),
        "E": ("no_quorum", None),
    }


def test_without_any_agreed_value_every_proposal_with_its_quorum_waits() -> None:
    result = ranking.rank(grid(), CALL, PROPOSALS, EVALUATIONS)
    assert result.ranking == ()
    assert [e.reason for e in result.excluded] == ["collegial_pending"] * 4 + ["no_quorum"]


def test_rescaling_applies_to_the_agreed_points() -> None:
    result = ranking.rank(grid(rescale="total"), CALL, PROPOSALS, EVALUATIONS, agreed=AGREED)
    # S' = 100 · S / 80: A 100, B 81.25.
    assert [(r.proposal, r.total) for r in result.ranking] == [
        ("A", D("100.00")),
        ("B", D("81.25")),
    ]


LEVELS = st.sampled_from([D("0"), D("0.2"), D("0.4"), D("0.6"), D("0.8"), D("1")])


@settings(max_examples=200, deadline=None)
@given(
    first=st.lists(st.tuples(LEVELS, LEVELS), min_size=12, max_size=12),
    second=st.lists(st.tuples(LEVELS, LEVELS), min_size=12, max_size=12),
    agreed=st.lists(st.tuples(LEVELS, LEVELS), min_size=4, max_size=4),
)
def test_the_members_own_values_never_move_a_point(first, second, agreed) -> None:  # type: ignore[no-untyped-def]
    proposals = PROPOSALS[:4]

    seats = [(f"m{n}", p.id) for p in proposals for n in range(3)]  # three members each

    def evaluations(values: list[tuple[D, D]]) -> list[Evaluation]:
        return [
            Evaluation(member, pid, False, {"innovation": i, "impact": m})
            for (member, pid), (i, m) in zip(seats, values, strict=True)
        ]

    given_agreed = {
        p.id: {"innovation": i, "impact": m} for p, (i, m) in zip(proposals, agreed, strict=True)
    }
    one = ranking.rank(grid(), CALL, proposals, evaluations(first), "7", agreed=given_agreed)
    two = ranking.rank(grid(), CALL, proposals, evaluations(second), "7", agreed=given_agreed)
    assert [(r.proposal, r.total, r.criteria) for r in one.ranking] == [
        (r.proposal, r.total, r.criteria) for r in two.ranking
    ]
    assert [(e.proposal, e.reason, e.total) for e in one.excluded] == [
        (e.proposal, e.reason, e.total) for e in two.excluded
    ]
