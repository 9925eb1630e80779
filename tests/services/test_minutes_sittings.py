"""The minutes state the sittings and the discussions of the dispersion flags
exactly as recorded (read back with poppler's pdftotext): times, place or
telematic tool, present and absent, the secretary, the telematic sentence only
for a telematic sitting, whether every member took part, the recorded and the
unrecorded discussions. Without a recorded sitting the minutes are refused."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app import clock
from app.i18n import format_date, set_language
from app.services.discussions import list_flags, record_discussion
from app.services.minutes import make_minutes, minutes_state, minutes_view, write_minutes
from app.services.ranking import approve_ranking
from app.services.sitting_errors import MinutesWithoutSittingError
from app.services.sittings import add_sitting
from tests.support.minutes import (
    CALL,
    DEMO_REASON,
    approved_demo,
    as_approved_before_freezing,
    drop_sittings,
    open_home,
)
from tests.support.workspaces import ARTIFACTS

pytestmark = pytest.mark.slow

TELEMATIC = (
    "la seduta si è svolta in modalità telematica tramite {tool}; come registrato, sono state "
    "garantite l'identità dei partecipanti e la segretezza dei lavori."
)


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("minutes-sittings") / "demo")


@pytest.fixture
def home(approved_home: Path, tmp_path: Path) -> Path:
    set_language("it")
    return Path(shutil.copytree(approved_home, tmp_path / "segreteria"))


def pdftotext(content: bytes, folder: Path) -> str:
    """poppler's text of the PDF, runs of blanks made one space."""
    path = folder / "verbale.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return re.sub(r"\s+", " ", result.stdout)


def test_the_demo_sittings_and_discussions_as_recorded(home: Path, tmp_path: Path) -> None:
    ws = open_home(home)
    try:
        view = minutes_view(ws, CALL)
        content = make_minutes(ws, CALL).content
    finally:
        ws.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "minutes-sittings.pdf").write_bytes(content)  # for people to look at
    text = pdftotext(content, tmp_path)
    today = clock.today_in_rome()
    first, second = view.sittings
    assert (first.starts_at, first.ends_at, first.mode) == ("09:30", "12:30", "in_person")
    assert (second.mode, second.absent) == ("telematic", ("Sara Esposito",))
    for words in (
        format_date(today - dt.timedelta(days=1)), "dalle 09:30 alle 12:30",
        "in presenza, presso Palazzo Marino, Sala Alessi", "Insediamento della Commissione.",
        format_date(today), "dalle 15:00 alle 16:45", "Segretario verbalizzante", "Dott.ssa Chiara Marelli",
        "in modalità telematica, tramite Microsoft Teams del Comune di Milano",
    ):  # fmt: skip
        assert words in text, words
    # The telematic sentence, for the telematic sitting only.
    tool = "Microsoft Teams del Comune di Milano"
    assert f"Seduta n. 2: {TELEMATIC.format(tool=tool)}" in text
    assert text.count("garantite l'identità dei partecipanti") == 1
    # Whether every member took part, and the college (the demo's is complete).
    assert (
        "Seduta n. 1: hanno partecipato tutti i componenti della Commissione. Il collegio era "
        "al completo (collegio perfetto)."
    ) in text
    assert (
        "Seduta n. 2: non tutti i componenti della Commissione hanno partecipato (2 presenti "
        "su 3; non presenti: Sara Esposito). Il collegio non era al completo: l'avviso richiede "
        "il collegio perfetto."
    ) in text
    # The discussions: P002's recorded, the others flagged and not discussed.
    note = "I valori riflettono letture diverse della proposta, entrambe motivate."
    assert (
        "⚑ Sostenibilità economica e fattibilità — scarto tra i valori: nella seduta n. 2 del "
        f"{format_date(today)}, la Commissione ha confermato i valori: {note}"
    ) in text
    unrecorded = sum(len(p.flags) for p in view.proposals) - len(view.discussions)
    assert unrecorded > 0
    assert text.count("scarto tra i valori: segnalato, non discusso.") == unrecorded
    # Nothing stated that is not a record.
    for invented in ("discussa dalla Commissione", "presenza fisica", "lavoro svolto a distanza",
                     "Prima di ogni valutazione ciascun commissario ha dichiarato"):  # fmt: skip
        assert invented not in text, invented
    assert "Ciascun commissario la cui dichiarazione risulta pervenuta" in text


def test_a_revision_and_an_in_person_sitting_with_everyone(
    demo_template: Path, tmp_path: Path
) -> None:
    # Recorded before the approval, which freezes them with the rest.
    set_language("it")
    home = Path(shutil.copytree(demo_template, tmp_path / "demo")) / "segreteria"
    ws = open_home(home)
    try:
        day = clock.today_in_rome() - dt.timedelta(days=5)
        earlier = add_sitting(
            ws, CALL, held_on=day, starts_at="08:45", ends_at="09:15", place="Sala Gialla",
            present=["Elena Colombo", "Marco Ferrari", "Sara Esposito", "Luca Bianchi"],
            secretary="Giulia Marchi",
        ).sitting  # fmt: skip
        flag = next(f for f in list_flags(ws, CALL) if f.proposal == "P019")
        record_discussion(
            ws, CALL, flag.proposal, flag.criterion, outcome="revised",
            note="Sara Esposito ha inviato un nuovo pacchetto firmato.", sitting=earlier.id,
        )  # fmt: skip
        approve_ranking(ws, CALL, DEMO_REASON)
        text = pdftotext(make_minutes(ws, CALL).content, tmp_path)
    finally:
        ws.close()
    # The new sitting is the first by date: the minutes number it 1.
    assert "dalle 08:45 alle 09:15" in text and "Giulia Marchi" in text
    assert (
        f"⚑ {flag.criterion_title} — scarto tra i valori: nella seduta n. 1 del "
        f"{format_date(day)}, un componente ha rivisto il proprio valore: Sara Esposito ha "
        "inviato un nuovo pacchetto firmato."
    ) in text
    assert "Seduta n. 1: hanno partecipato tutti i componenti della Commissione." in text
    # Still only one telematic sitting, now the third.
    assert text.count("garantite l'identità dei partecipanti") == 1
    assert "Seduta n. 3: la seduta si è svolta in modalità telematica" in text


def test_minutes_refused_until_a_sitting_is_recorded(home: Path, tmp_path: Path) -> None:
    """A ranking approved before the approval froze the sittings (the approval
    now needs one): its minutes wait for a sitting recorded in the tables."""
    as_approved_before_freezing(home)
    drop_sittings(home)
    target = tmp_path / "verbale.pdf"
    ws = open_home(home)
    try:
        state = minutes_state(ws, CALL)
        assert not state.approved
        assert "non ne è registrata nessuna" in state.reason
        assert f"vaglio sittings {CALL} --add" in state.reason
        assert "Verbale, Sedute della commissione" in state.reason
        for attempt in (lambda: minutes_view(ws, CALL), lambda: write_minutes(ws, CALL, target)):
            with pytest.raises(MinutesWithoutSittingError, match="registra prima ogni seduta"):
                attempt()
        assert not target.exists()
        add_sitting(
            ws, CALL, held_on=clock.today_in_rome(), starts_at="10:00", ends_at="11:00",
            place="Sala Alessi", present=["Elena Colombo", "Marco Ferrari"],
            absent=["Sara Esposito"], secretary="Giulia Marchi",
        )  # fmt: skip
        assert minutes_state(ws, CALL).approved
        write_minutes(ws, CALL, target)
        assert target.exists()
    finally:
        ws.close()
