"""The call's acts, the named secretary, place and date, and the exclusions
with their numbers, as poppler's pdftotext reads them in the demo's verbale;
and the minutes refused while the call lacks an act."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import day_in_rome
from app.i18n import format_decimal, set_language
from app.models import Call
from app.scoring.subcriteria import below_floor
from app.services.call_acts import CallActsMissingError
from app.services.minutes import minutes_state, minutes_view, write_minutes
from app.services.proposals import list_proposals
from tests.support.minutes import CALL, approved_demo, open_home
from tests.support.workspaces import ARTIFACTS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
]


@pytest.fixture(scope="module")
def demo_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("acts") / "demo")


@pytest.fixture(scope="module")
def printed(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:  # type: ignore[type-arg]
    set_language("it")
    out = tmp_path_factory.mktemp("acts-pdf") / "verbale.pdf"
    ws = open_home(demo_home)
    try:
        view = minutes_view(ws, CALL)
        write_minutes(ws, CALL, out)
        proposals = {p.id: p for p in list_proposals(ws, CALL)}
    finally:
        ws.close()
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    yield view, " ".join(text.split()), proposals, out


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return format_decimal(value, len(text.partition(".")[2]))


def test_every_act_of_the_call_is_printed(printed) -> None:  # type: ignore[no-untyped-def]
    _view, flat, _proposals, _out = printed
    office = "(Direzione Economia Urbana e Lavoro)"
    for sentence in (
        "L'avviso è stato approvato con Determinazione dirigenziale n. 4127/2020 del "
        f"12/05/2020 {office} e pubblicato su Albo pretorio online e sito istituzionale "
        "del Comune di Milano il 15/05/2020.",
        "La Commissione di valutazione è stata nominata con Determinazione dirigenziale "
        f"n. 6352/2020 del 22/07/2020 {office}.",
        "Il responsabile unico del procedimento (RUP) è Dott.ssa Laura Ferri.",
    ):
        assert sentence in flat, sentence
    # The title block too, each act on its row.
    assert (
        f"Avviso approvato con Determinazione dirigenziale n. 4127/2020 del 12/05/2020 {office}"
        in flat
    )
    assert (
        f"Commissione nominata con Determinazione dirigenziale n. 6352/2020 del 22/07/2020 {office}"
        in flat
    )


def test_the_secretary_is_a_named_person(printed) -> None:  # type: ignore[no-untyped-def]
    view, flat, _proposals, _out = printed
    assert view.secretary.name == "Dott.ssa Chiara Marelli"
    assert "Dott.ssa Chiara Marelli svolge le funzioni di segretario verbalizzante" in flat
    commission = flat[flat.index("1. Composizione della Commissione di valutazione") :]
    assert commission.index("Segretario verbalizzante Dott.ssa Chiara Marelli") < commission.index(
        "2. "
    )
    # The secretariat's workspace and key are still stated beside the person.
    assert view.secretary.office in commission and view.secretary.fingerprint in commission
    signatures = flat[flat.index("Letto, approvato e sottoscritto") :]
    # pdftotext reads the two columns of signature blocks row by row.
    assert "Il Segretario verbalizzante" in signatures
    assert "Dott.ssa Chiara Marelli" in signatures
    assert "Segreteria tecnica — Comune di Milano svolge" not in flat


def test_place_and_date_come_before_the_signatures(printed) -> None:  # type: ignore[no-untyped-def]
    view, flat, _proposals, _out = printed
    day = day_in_rome(view.approved_at).strftime("%d/%m/%Y")
    closing = flat[flat.index("Letto, approvato e sottoscritto") :]
    assert re.match(rf"Letto, approvato e sottoscritto\. Milano, {day} Firme ", closing), closing[
        :80
    ]


def test_each_exclusion_states_its_numbers(printed) -> None:  # type: ignore[no-untyped-def]
    view, flat, proposals, _out = printed
    ranking = view.ranking
    grid = ranking.grid
    table = flat[flat.index("Proposte non ammesse alla graduatoria") :]
    seen = set()
    for row in ranking.excluded:
        if row.reason == "below_threshold":
            expected = [f"totale {format_decimal(row.total, 2)} < soglia {_plain(grid.threshold)}"]
        elif row.reason == "below_criterion_floor":
            expected = [
                f"«{c.title}» {format_decimal(row.criteria[c.key], 2)} < minimo "
                f"{_plain(c.min_points)}"
                for c in below_floor(grid, row.criteria)
                if c.min_points is not None
            ]
            assert expected
        elif row.reason == "no_quorum":
            assert row.evaluators < grid.min_evaluators
            word = "valutatore" if row.evaluators == 1 else "valutatori"
            expected = [f"{row.evaluators} {word} < {grid.min_evaluators} richiesti"]
        else:
            assert row.reason == "inadmissible"
            expected = list(proposals[row.proposal].inadmissible_reasons)
            assert expected
        seen.add(row.reason)
        # pdftotext reads the table's cells out of row order: the numbers are
        # each proposal's own, so the table as a whole must hold them…
        for words in expected:
            assert words in table, (row.proposal, words)
        # …and the proposal's own heading in section 5 states them beside it.
        if row.reason != "inadmissible":
            outcome = (
                f"non in graduatoria: {view.reason_labels[row.reason]} ({'; '.join(expected)})"
            )
            assert outcome in flat, (row.proposal, outcome)
    assert seen == {"below_threshold", "below_criterion_floor", "no_quorum", "inadmissible"}


def test_the_pages_with_the_acts_and_the_signatures_render(printed) -> None:  # type: ignore[no-untyped-def]
    _view, _flat, _proposals, out = printed
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(out),
         str(ARTIFACTS / "minutes-acts")],
        check=True,
    )  # fmt: skip
    assert list(ARTIFACTS.glob("minutes-acts-*.png"))


def test_minutes_are_refused_while_the_call_lacks_an_act(demo_home: Path, tmp_path: Path) -> None:
    set_language("it")
    home = Path(shutil.copytree(demo_home, tmp_path / "segreteria"))
    ws = open_home(home)
    try:
        with ws.session() as session:
            call = session.scalars(select(Call).where(Call.id == CALL)).one()
            text = call.definition
            start = text.index("\n[acts.commission_appointment]")
            end = text.index("\n[commission]")
            call.definition = text[:start] + text[end:]
        out = tmp_path / "verbale.pdf"
        with pytest.raises(CallActsMissingError) as refusal:
            write_minutes(ws, CALL, out)
        state = minutes_state(ws, CALL)
    finally:
        ws.close()
    assert refusal.value.missing == ("acts.commission_appointment",)
    message = str(refusal.value)
    assert "non registra acts.commission_appointment" in message
    assert "Non è stato scritto nulla." in message
    assert not out.exists()
    assert not state.approved and state.reason == message
