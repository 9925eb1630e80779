"""The minutes' rules section words the rules of issue 13 so a reader can
check them by hand: how the total is rounded (also when the call keeps the
default), two-stage re-scaling, ex aequo and the funding line with its
figures, the order of submission in the cascade."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from app.i18n import set_language
from app.models import Call
from app.services.minutes import make_minutes
from app.services.proposal_import import import_proposals
from app.services.ranking import approve_ranking, record_lottery_number
from app.services.unlocking import OpenWorkspace
from tests.support.commission import FIXTURES, deliver
from tests.support.minutes import record_sitting
from tests.support.ranking_rules import (
    EVERY_ORDER,
    TIED,
    make_call,
    proposals_csv,
)
from tests.support.workspaces import ARTIFACTS


def _flat(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_declared_rules_in_words(secretariat: OpenWorkspace, tmp_path: Path) -> None:
    set_language("it")
    call_id = make_call(
        secretariat,
        "MI-CC-REGOLE",
        ties="ex_aequo",
        tie_break='["submission_order", "lottery"]',
    )
    # The definition gains the two other keys (as the editor would write them).
    with secretariat.session() as session:
        call = session.get(Call, call_id)
        assert call is not None
        call.definition = call.definition.replace(
            'rescale = "none"', 'rescale = "criterion_then_total"\nrounding = "sum_of_rounded"'
        )
    path = proposals_csv(tmp_path / "proposte.csv", EVERY_ORDER)
    import_proposals(secretariat, call_id, path, FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    record_sitting(secretariat, call_id)
    approve_ranking(secretariat, call_id)
    content = make_minutes(secretariat, call_id).content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "minutes-declared-rules.pdf").write_bytes(content)  # for people to look at
    flat = _flat(content)
    assert (
        "il totale è la somma dei punteggi arrotondati: i punteggi pubblicati dei criteri "
        "sommano sempre al totale pubblicato"
    ) in flat
    assert "Riparametrazione in due fasi" in flat and "il totale massimo (100)" in flat
    assert "occupano la stessa posizione (ex aequo, pari merito)" in flat
    assert "con la dotazione di 550.000,00" in flat
    assert "al minore tra 60.000,00" in flat
    assert "il contributo richiesto e il 60% del suo costo totale" in flat
    assert "arresta lo scorrimento" in flat
    assert "presentazione anteriore (ora, poi numero di protocollo)" in flat
    # P001 and P003 (80 each, 43,800 together) both fit in 506,500: one place.
    ranking = flat.split("6. Graduatoria", 1)[1]
    assert ranking.count("ex aequo (pari merito): la parità non attraversa la soglia") == 2
    assert "«ex_aequo»" not in flat


def test_the_default_rounding_is_said_too(secretariat: OpenWorkspace) -> None:
    set_language("it")
    call_id = make_call(secretariat, "MI-CC-PREDEFINITE", tie_break='["impact", "lottery"]')
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    deliver(secretariat, call_id, {"Anna": TIED, "Bruno": TIED, "Carla": TIED})
    record_lottery_number(secretariat, call_id, "3")
    record_sitting(secretariat, call_id)
    approve_ranking(secretariat, call_id)
    flat = _flat(make_minutes(secretariat, call_id).content)
    assert "Il totale è calcolato sui punteggi non arrotondati dei criteri" in flat
    assert "I totali uguali sono sempre messi in ordine completo" in flat
