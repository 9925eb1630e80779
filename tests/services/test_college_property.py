"""A property of the intake (review finding 1): whatever one member sends, no
figure of a proposal changes except through that member's own scores on a
proposal they declared free of conflict; and substitutes keep every proposal
at its college.

Three full members under a complete college: two honest, one (Elena) sending
any sequence of bundles, well-formed or spoiled. After each accepted one the
secretariat gives every seat Elena leaves to a substitute, who evaluates it.
Each proposal's figures (total, points per criterion, evaluators, exclusion
reason) are then compared with :func:`app.scoring.ranking.rank` run on that
proposal alone, with the evaluations the scenario says count.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import VaglioError
from app.scoring import ranking as rules
from app.services.calls import get_call
from app.services.intake import accept_score_bundle
from app.services.ranking import ranking_view
from app.services.substitutes import assign_substitute, college
from tests.support.commission import CONFLICT, Commission, complete_college_call
from tests.support.workspaces import Template, copy_template, opened

ALL = ("P001", "P002", "P003", "P004", "P005")
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")
LEVELS = ("0", "0.2", "0.4", "0.6", "0.8", "1")
HONEST = {"Luca Ferri": "0.8", "Dario Neri": "0.6"}
SUBSTITUTE = "1"
FAULTS = ("none", "none", "none", "drop a proposal", "bad value", "no motivation")

answer = st.one_of(
    st.just(CONFLICT), st.fixed_dictionaries({key: st.sampled_from(LEVELS) for key in KEYS})
)
bundles = st.lists(
    st.tuples(st.fixed_dictionaries({p: answer for p in ALL}), st.sampled_from(FAULTS)),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sent=bundles)
def test_one_member_moves_only_their_own_figures(  # type: ignore[no-untyped-def]
    secretariat_template: Template, sent
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = copy_template(secretariat_template, Path(folder) / "ws")
        with opened(secretariat_template, home) as ws:
            _scenario(ws, sent)


def _figures(view: Any) -> dict[str, tuple[Any, ...]]:
    rows = {r.proposal: (r.total, r.criteria, r.evaluators, None) for r in view.rows}
    return rows | {e.proposal: (e.total, e.criteria, e.evaluators, e.reason) for e in view.excluded}


def _expected(grid: Any, proposal: str, sheets: dict[str, dict[str, Any]]) -> tuple[Any, ...]:
    evaluations = [
        rules.Evaluation(
            member,
            proposal,
            sheet[proposal] == CONFLICT,
            {}
            if sheet[proposal] == CONFLICT
            else {k: Decimal(v) for k, v in sheet[proposal].items()},
        )
        for member, sheet in sheets.items()
        if proposal in sheet
    ]
    result = rules.rank(grid, "X", [rules.ProposalInput(proposal, True, Decimal(1))], evaluations)
    (only,) = [*result.ranking, *result.excluded]
    return (only.total, dict(only.criteria), only.evaluators, getattr(only, "reason", None))


def _spoiled(board: Commission, sheet: dict[str, Any], fault: str) -> bytes:
    if fault == "drop a proposal":
        return board.bundle("Elena Colombo", {p: v for p, v in sheet.items() if p != "P003"})[1]
    document = board.document("Elena Colombo", sheet)
    for score in document["scores"]:
        if fault == "bad value":
            score["value"] = "0.5"
        else:
            score["justification"] = ""
    return board.seal("Elena Colombo", document)


def _scenario(ws: Any, sent: list[tuple[dict[str, Any], str]]) -> None:
    call_id = complete_college_call(ws)
    board = Commission(ws, call_id)
    for name in ("Elena Colombo", *HONEST):
        board.enrol(name)
    board.enrol("Marco Bianchi", "substitute")
    board.publish()
    for name, value in HONEST.items():
        board.send(name, {p: dict.fromkeys(KEYS, value) for p in ALL})
    with ws.session() as session:
        grid = get_call(session, call_id).grid
    marco = board.keys["Marco Bianchi"].public.key_id
    seated: set[str] = set()
    for sheet, fault in sent:
        scored = any(v != CONFLICT for v in sheet.values())
        if fault != "none" and (fault == "drop a proposal" or scored):
            before = _figures(ranking_view(ws, call_id))
            try:
                accept_score_bundle(ws, _spoiled(board, sheet, fault))
            except VaglioError:
                assert _figures(ranking_view(ws, call_id)) == before  # nothing moves
                continue
            raise AssertionError(f"a bundle with {fault} was accepted")
        board.send("Elena Colombo", sheet)
        # The secretariat fills every seat Elena leaves; the substitute evaluates.
        for proposal in college(ws, call_id).short:
            assign_substitute(ws, call_id, proposal.proposal, marco)
            seated.add(proposal.proposal)
        if seated:
            board.send(
                "Marco Bianchi", {p: dict.fromkeys(KEYS, SUBSTITUTE) for p in sorted(seated)}
            )
        figures = _figures(ranking_view(ws, call_id))
        for proposal in ALL:
            sheets = {
                name: {p: dict.fromkeys(KEYS, value) for p in ALL} for name, value in HONEST.items()
            }
            sheets["Elena Colombo"] = sheet
            if sheet[proposal] == CONFLICT:
                sheets["Marco Bianchi"] = {proposal: dict.fromkeys(KEYS, SUBSTITUTE)}
            assert figures[proposal] == _expected(grid, proposal, sheets), proposal
            assert figures[proposal][2] == 3, proposal  # the college holds
        assert college(ws, call_id).incomplete == ()
