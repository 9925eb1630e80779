"""Sub-criteria in the ranking, on a hand-computed fixture.

The call is the example with "Impatto sociale 30 = destinatari 15 +
misurabilità 15" (tests/support/subcriteria.py): floors of 12 on the
criterion and of 6 on "destinatari", threshold 60, quorum 3, dispersion flag
0.6, coefficients from 0 to 1 in steps of 0.2. Three members score the six
leaves (innovation 25, recipients 15, measurability 15, coherence 15,
sustainability 20, community 10).

By hand (W · mean of the three coefficients):

- P1: innovation 25·0.8 = 20; recipients 15·(0.8+0.6+1)/3 = 12;
  measurability 15·(0.6+0.6+0.4)/3 = 8; impact 12 + 8 = 20; coherence 15;
  sustainability 12; community 8; total 75. Ranked first.
- P2: recipients 15·(0.2+0.4+0.4)/3 = 5 < 6 (the sub-criterion's floor),
  measurability 15, impact 20 ≥ 12: excluded, below_criterion_floor.
- P3: recipients 15·0.4 = 6 (exactly its floor, admitted), measurability
  15·(0.2+0.4+0.2)/3 = 4, impact 10 < 12: excluded, below_criterion_floor.
- P4: measurability values 0, 0.6, 0.4 spread 0.6: flagged, 15·1/3 = 5;
  recipients 15; impact 20; innovation 15; coherence 12; sustainability 16;
  community 6; total 69. Ranked second.

With per-criterion re-scaling the best impact (20, P1 and P4) becomes 30:
factor 1.5 on impact and on its parts: P1 recipients 18, measurability 12;
P4 recipients 22.5, measurability 7.5.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.definition import parse_call_definition
from app.scoring.ranking import Evaluation, ProposalInput, rank
from tests.support.subcriteria import EXAMPLE, LEAF_KEYS, SUBCRITERIA_CALL

GRID = parse_call_definition(SUBCRITERIA_CALL).grid

# Per proposal, per leaf (in LEAF_KEYS order), the three members' coefficients.
SHEETS = {
    "P1": ["0.8 0.8 0.8", "0.8 0.6 1", "0.6 0.6 0.4", "1 1 1", "0.6 0.6 0.6", "0.8 0.8 0.8"],
    "P2": ["0.8 0.8 0.8", "0.2 0.4 0.4", "1 1 1", "1 1 1", "0.6 0.6 0.6", "0.8 0.8 0.8"],
    "P3": ["0.8 0.8 0.8", "0.4 0.4 0.4", "0.2 0.4 0.2", "1 1 1", "0.6 0.6 0.6", "0.8 0.8 0.8"],
    "P4": ["0.6 0.6 0.6", "1 1 1", "0 0.6 0.4", "0.8 0.8 0.8", "0.8 0.8 0.8", "0.6 0.6 0.6"],
}


def evaluations() -> list[Evaluation]:
    result = []
    for proposal, rows in SHEETS.items():
        for member in range(3):
            values = {key: D(row.split()[member]) for key, row in zip(LEAF_KEYS, rows, strict=True)}
            result.append(Evaluation(f"m{member}", proposal, False, values))
    return result


PROPOSALS = [ProposalInput(pid, True, D("30000")) for pid in SHEETS]


def test_members_score_the_leaves_and_a_criterion_is_the_sum_of_its_sub_criteria() -> None:
    result = rank(GRID, "MI-CC-2020", PROPOSALS, evaluations())
    assert [(r.proposal, r.total) for r in result.ranking] == [
        ("P1", D("75.00")),
        ("P4", D("69.00")),
    ]
    first = result.ranking[0].criteria
    assert first == {
        "innovation": D("20.00"),
        "impact": D("20.00"),
        "recipients": D("12.00"),
        "measurability": D("8.00"),
        "coherence": D("15.00"),
        "sustainability": D("12.00"),
        "community": D("8.00"),
    }


def test_a_floor_excludes_at_either_level() -> None:
    result = rank(GRID, "MI-CC-2020", PROPOSALS, evaluations())
    excluded = {e.proposal: e for e in result.excluded}
    assert set(excluded) == {"P2", "P3"}
    # P2: the sub-criterion's floor (5 < 6) although its criterion has 20.
    assert excluded["P2"].reason == "below_criterion_floor"
    assert excluded["P2"].criteria["recipients"] == D("5.00")
    assert excluded["P2"].criteria["impact"] == D("20.00")
    assert excluded["P2"].total == D("75.00")
    # P3: the criterion's floor (10 < 12) although each part reaches its own.
    assert excluded["P3"].reason == "below_criterion_floor"
    assert excluded["P3"].criteria["recipients"] == D("6.00")
    assert excluded["P3"].criteria["impact"] == D("10.00")


def test_dispersion_is_flagged_on_what_members_score() -> None:
    result = rank(GRID, "MI-CC-2020", PROPOSALS, evaluations())
    second = result.ranking[1]
    assert second.proposal == "P4"
    assert second.flags == ("measurability",)
    assert second.criteria["measurability"] == D("5.00")
    assert second.criteria["impact"] == D("20.00")


def test_per_criterion_re_scaling_scales_the_parts_with_their_criterion() -> None:
    grid = dataclasses.replace(GRID, rescale="criterion")
    result = rank(grid, "MI-CC-2020", PROPOSALS, evaluations())
    rows = {r.proposal: r.criteria for r in result.ranking}
    assert (rows["P1"]["impact"], rows["P1"]["recipients"], rows["P1"]["measurability"]) == (
        D("30.00"),
        D("18.00"),
        D("12.00"),
    )
    assert (rows["P4"]["impact"], rows["P4"]["recipients"], rows["P4"]["measurability"]) == (
        D("30.00"),
        D("22.50"),
        D("7.50"),
    )
    # The floors were applied before: the same two are out.
    assert {e.proposal for e in result.excluded} == {"P2", "P3"}


def test_a_sheet_scoring_the_parent_instead_of_its_parts_lacks_a_quorum() -> None:
    wrong = [
        Evaluation(e.member, e.proposal, False, {"impact": D("1"), **{
            k: v for k, v in e.values.items() if k not in ("recipients", "measurability")
        }})
        for e in evaluations()
        if e.proposal == "P1"
    ]  # fmt: skip
    result = rank(GRID, "MI-CC-2020", PROPOSALS[:1], wrong)
    assert [(e.proposal, e.reason) for e in result.excluded] == [("P1", "no_quorum")]


def test_points_method_takes_the_mean_points_of_each_sub_criterion() -> None:
    grid = dataclasses.replace(GRID, method="points", levels=(), dispersion_flag=D("6"))
    values = {"innovation": "20", "recipients": "9", "measurability": "12", "coherence": "15",
              "sustainability": "12", "community": "8"}  # fmt: skip
    sheets = [
        Evaluation(f"m{n}", "P1", False, {k: D(v) for k, v in values.items()}) for n in range(2)
    ] + [
        Evaluation(
            "m2", "P1", False, {**{k: D(v) for k, v in values.items()}, "recipients": D("12")}
        )
    ]
    result = rank(grid, "MI-CC-2020", PROPOSALS[:1], sheets)
    row = result.ranking[0]
    # recipients (9 + 9 + 12) / 3 = 10; impact 10 + 12 = 22; total 20+22+15+12+8 = 77.
    assert (row.criteria["recipients"], row.criteria["impact"], row.total) == (
        D("10.00"),
        D("22.00"),
        D("77.00"),
    )


LEVELS = [D("0"), D("0.2"), D("0.4"), D("0.6"), D("0.8"), D("1")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(LEVELS), min_size=5, max_size=5), min_size=3, max_size=3),
    st.sampled_from(["none", "criterion", "total"]),
)
def test_parts_scored_as_the_whole_rank_as_the_whole(sheets: list[list[D]], rescale: str) -> None:
    """Members who give both parts of "impact" the value they would give the
    whole get the ranking of the call without sub-criteria, and the parts
    always add up to their criterion before rounding."""
    plain = dataclasses.replace(
        parse_call_definition(EXAMPLE).grid, rescale=rescale, min_evaluators=3
    )
    split = dataclasses.replace(GRID, rescale=rescale, min_evaluators=3)
    split_impact = split.criterion("impact")
    assert split_impact is not None
    # No floor on the parts, so that only the criteria's floors apply to both.
    parts = tuple(dataclasses.replace(s, min_points=None) for s in split_impact.sub)
    split = dataclasses.replace(
        split,
        criteria=tuple(
            dataclasses.replace(c, sub=parts) if c.key == "impact" else c for c in split.criteria
        ),
    )
    keys = ("innovation", "impact", "coherence", "sustainability", "community")
    whole = [
        Evaluation(f"m{n}", "P1", False, dict(zip(keys, values, strict=True)))
        for n, values in enumerate(sheets)
    ]
    divided = [
        Evaluation(
            e.member,
            "P1",
            False,
            {k: v for k, v in e.values.items() if k != "impact"}
            | {"recipients": e.values["impact"], "measurability": e.values["impact"]},
        )
        for e in whole
    ]
    other = [Evaluation(f"m{n}", "P2", False, dict.fromkeys(keys, D("0.8"))) for n in range(3)]
    other_divided = [
        Evaluation(e.member, "P2", False, dict.fromkeys(LEAF_KEYS, D("0.8"))) for e in other
    ]
    proposals = [ProposalInput("P1", True, D("1")), ProposalInput("P2", True, D("2"))]
    a = rank(plain, "C", proposals, whole + other)
    b = rank(split, "C", proposals, divided + other_divided)
    assert [(r.proposal, r.total) for r in a.ranking] == [(r.proposal, r.total) for r in b.ranking]
    assert [(e.proposal, e.reason, e.total) for e in a.excluded] == [
        (e.proposal, e.reason, e.total) for e in b.excluded
    ]
    for row in b.ranking:
        total = row.criteria["recipients"] + row.criteria["measurability"]
        # Each part is rounded on its own: at most one unit of the last place apart.
        assert abs(total - row.criteria["impact"]) <= D("0.01")
