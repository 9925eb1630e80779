"""Why a proposal is out of the ranking, with the numbers a reader can check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.i18n import set_language
from app.models.definition import CallDefinition
from app.scoring.collegial import CollegialDecision
from app.scoring.exclusion_grounds import exclusion_grounds
from app.scoring.views import ExcludedRow, RankingView

FIXTURE = (Path(__file__).parents[1] / "fixtures" / "call.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def italian() -> None:
    set_language("it")


def _view(text: str = FIXTURE, collegial: tuple[CollegialDecision, ...] = ()) -> RankingView:
    grid = CallDefinition.from_toml(text).grid
    return RankingView("MI-CC-2020", "Avviso", grid, (), (), (), (), None, (), (),
                       collegial=collegial)  # fmt: skip


def _row(reason: str, total: str | None = None, evaluators: int = 3, **points: str) -> ExcludedRow:
    return ExcludedRow(
        "P001", "Titolo", "Proponente", reason,
        None if total is None else Decimal(total),
        {k: Decimal(v) for k, v in points.items()}, evaluators, (),
    )  # fmt: skip


def test_below_a_criterion_minimum_names_it_with_points_and_minimum() -> None:
    row = _row("below_criterion_floor", "70.00", innovation="25.00", impact="10.00",
               coherence="15.00", sustainability="10.00", community="10.00")  # fmt: skip
    assert exclusion_grounds(_view(), row) == (
        "«Impatto sociale sul territorio e sui destinatari» 10,00 < minimo 12"
    )


def test_below_the_threshold_gives_total_and_threshold() -> None:
    assert exclusion_grounds(_view(), _row("below_threshold", "55.00")) == (
        "totale 55,00 < soglia 60"
    )


def test_no_quorum_counts_evaluators_against_the_required_number() -> None:
    assert exclusion_grounds(_view(), _row("no_quorum", evaluators=2)) == (
        "2 valutatori < 3 richiesti"
    )
    assert exclusion_grounds(_view(), _row("no_quorum", evaluators=1)) == (
        "1 valutatore < 3 richiesti"
    )
    # Enough evaluators overall, but not on every criterion.
    assert exclusion_grounds(_view(), _row("no_quorum", evaluators=3)) == (
        "meno di 3 valutatori su qualche criterio (3 in tutto)"
    )


def test_collegial_pending_names_the_criteria_still_waiting() -> None:
    agreed = tuple(
        CollegialDecision("P001", key, Decimal("0.6"), "motivo", "unanimous", (), None)
        for key in ("innovation", "coherence", "community")
    )
    view = _view(collegial=agreed)
    assert exclusion_grounds(view, _row("collegial_pending")) == (
        "manca ancora il punteggio collegiale su «Impatto sociale sul territorio e sui "
        "destinatari», «Sostenibilità economica e fattibilità»"
    )


def test_inadmissible_gives_the_recorded_reasons() -> None:
    reasons = ("costo totale 120.000,00 € superiore al massimo", "fissata dalla segreteria: x")
    assert exclusion_grounds(_view(), _row("inadmissible"), reasons) == "; ".join(reasons)
