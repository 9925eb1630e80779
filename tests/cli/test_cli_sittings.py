"""``vaglio sittings`` and ``vaglio discussion``: the sittings and the
discussions of the dispersion flags as records, each refusal with its message
and nothing written; the minutes refused without a sitting; the approval
listing the flags left undiscussed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from app import clock
from app.services.demo import DEMO_PASSPHRASE
from tests.support.minutes import CALL, DEMO_REASON, approved_demo, drop_sittings, open_home
from tests.support.workspaces import snapshot_tree

pytestmark = pytest.mark.slow

FULL = ("Elena Colombo", "Marco Ferrari", "Sara Esposito")


@pytest.fixture(scope="module")
def approved_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return approved_demo(demo_template, tmp_path_factory.mktemp("cli-sittings") / "demo")


@pytest.fixture
def home(approved_home: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(approved_home, tmp_path / "segreteria"))


def _listed(cli, home: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = cli("sittings", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    return json.loads(result.out)["sittings"]  # type: ignore[no-any-return]


def _audit(cli, home: Path) -> object:  # type: ignore[no-untyped-def]
    """The audit chain's report (its length and last hash): unchanged when nothing was written."""
    from app.services.workspace import verify_audit

    ws = open_home(home)
    try:
        return verify_audit(ws)
    finally:
        ws.close()


def test_a_sitting_recorded_as_the_contract_says(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    day = (clock.today_in_rome() - dt.timedelta(days=3)).isoformat()
    result = cli("sittings", CALL, "--add", day, "--start", "09:00", "--end", "10:15",
                 "--telematic", "Webex", "--present", "Elena Colombo", "Marco Ferrari",
                 "--absent", "Sara Esposito", "--present", "Luca Bianchi",
                 "--secretary", "Giulia Marchi", "--notes", "Esame delle segnalazioni.",
                 home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "telematica: Webex" in result.out and "Giulia Marchi" in result.out
    assert "09:00–10:15" in result.out
    added = _listed(cli, home)[0]  # the oldest first
    assert added["held_on"] == day
    assert (added["starts_at"], added["ends_at"], added["mode"], added["place"]) == (
        "09:00", "10:15", "telematic", "Webex",
    )  # fmt: skip
    assert added["present"] == ["Elena Colombo", "Marco Ferrari", "Luca Bianchi"]
    assert added["absent"] == ["Sara Esposito"]
    assert (added["secretary"], added["notes"]) == ("Giulia Marchi", "Esame delle segnalazioni.")
    # Removed when recorded by mistake (it holds no discussion nor agreed score).
    result = cli("sittings", CALL, "--remove", str(added["id"]), "--json", home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert [s["id"] for s in json.loads(result.out)["sittings"]] != [added["id"]]
    assert all(s["id"] != added["id"] for s in _listed(cli, home))


def _add(*extra: str) -> list[str]:
    today = clock.today_in_rome().isoformat()
    base = {"--add": today, "--start": "09:00", "--end": "10:00", "--place": "Sala Alessi",
            "--secretary": "Giulia Marchi"}  # fmt: skip
    args = ["sittings", CALL]
    for option, value in base.items():
        if option not in extra and not (option == "--place" and "--telematic" in extra):
            args += [option, value]
    if "--present" not in extra:
        args += ["--present", *FULL]
    return args + list(extra)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--present", "Elena Colombo", "Marco Ferrari"),
         "indica che cosa era Sara Esposito"),
        (("--present", *FULL, "--absent", "Marco Ferrari"),
         "Marco Ferrari risulta sia presente sia assente"),
        (("--present", *FULL, "Nessuno"), "Nessuno non fa parte della commissione"),
        (("--start", "11:00"), "La seduta finisce (10:00) prima di cominciare (11:00)"),
        (("--end", "9.30"), "9.30 non è un orario"),
        (("--add", (clock.today_in_rome() + dt.timedelta(days=1)).isoformat()),
         "non si è ancora tenuta"),
        (("--secretary", "  "), "Indica il segretario verbalizzante"),
        (("--place", " "), "Indica dove si è tenuta la seduta"),
    ],
)  # fmt: skip
def test_refusals_say_why_and_record_nothing(cli, home: Path, extra, words) -> None:  # type: ignore[no-untyped-def]
    before, audit = _listed(cli, home), _audit(cli, home)
    result = cli(*_add(*extra), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1, result.out
    assert result.err.startswith("error: ") and words in result.err
    assert "stato registrato nulla" in result.err
    assert _listed(cli, home) == before and _audit(cli, home) == audit


def test_usage_errors(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    before = _listed(cli, home)
    both = cli(*_add("--telematic", "Teams", "--place", "Sala"), home=home,
               passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert both.code == 2 and "--telematic" in both.err
    no_end = [a for a in _add() if a not in ("--end", "10:00")]
    missing = cli(*no_end, home=home, passphrase=DEMO_PASSPHRASE)
    assert missing.code == 2 and "--add richiede --end" in missing.err
    assert _listed(cli, home) == before


def test_discussions_listed_recorded_and_refused(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    listing = cli("discussion", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE)
    assert listing.code == 0, listing.err
    flags = json.loads(listing.out)["flags"]
    p002 = [f for f in flags if f["proposal"] == "P002"]
    assert p002 and all(f["discussions"][0]["outcome"] == "confirmed" for f in p002)
    left = next(f for f in flags if not f["discussions"])
    text = cli("discussion", CALL, home=home, passphrase=DEMO_PASSPHRASE).out
    assert "segnalato, non discusso" in text and "confermati nella seduta del" in text

    sittings = _listed(cli, home)
    first = sittings[0]
    result = cli("discussion", CALL, left["proposal"], left["criterion"], "--outcome", "revised",
                 "--note", "Un componente ha rivisto il valore dopo il confronto.",
                 "--sitting", str(first["id"]), home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    day = dt.date.fromisoformat(str(first["held_on"]))
    assert f"nella seduta del {day.strftime('%d/%m/%Y')}" in result.out
    assert "rivisto da un componente" in result.out
    document = json.loads(
        cli("discussion", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE).out
    )
    done = next(
        f for f in document["flags"]
        if (f["proposal"], f["criterion"]) == (left["proposal"], left["criterion"])
    )  # fmt: skip
    assert done["discussions"] == [
        {"sitting": 1, "sitting_id": first["id"], "held_on": first["held_on"],
         "outcome": "revised", "note": "Un componente ha rivisto il valore dopo il confronto."}
    ]  # fmt: skip

    before = cli("discussion", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE).out
    audit = _audit(cli, home)
    refusals = [
        (("P001", "innovation", "--outcome", "confirmed", "--note", "x"),
         "P001 non ha una segnalazione di scarto su innovation"),
        ((left["proposal"], left["criterion"], "--outcome", "confirmed", "--note", "   "),
         "Scrivi una breve nota"),
        ((left["proposal"], left["criterion"], "--outcome", "confirmed", "--note", "x" * 501),
         "al massimo 500 caratteri"),
        ((left["proposal"], left["criterion"], "--outcome", "confirmed", "--note", "ok",
          "--sitting", "999"), "Non esiste la seduta 999"),
        (("P999", "innovation", "--outcome", "confirmed", "--note", "ok"), "P999"),
    ]  # fmt: skip
    for args, words in refusals:
        result = cli("discussion", CALL, *args, home=home, passphrase=DEMO_PASSPHRASE)
        assert result.code == 1, args
        assert result.err.startswith("error: ") and words in result.err, result.err
    bad = cli("discussion", CALL, "P002", "sustainability", "--outcome", "maybe", "--note", "x",
              home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert bad.code == 2
    after = cli("discussion", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE).out
    assert after == before and _audit(cli, home) == audit


def test_no_approval_and_no_minutes_without_a_sitting(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """The approval freezes what the minutes print, sittings included: without
    a recorded sitting it is refused, saying what to record, and nothing is
    written; so minutes without a sitting cannot exist."""
    home = demo_copy / "segreteria"
    drop_sittings(home)
    before = snapshot_tree(home)
    result = cli("ranking", CALL, "--approve", "--reason", DEMO_REASON, home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert "non ne è registrata nessuna" in result.err
    assert f"vaglio sittings {CALL} --add AAAA-MM-GG --start HH:MM --end HH:MM" in result.err
    assert "--secretary NOME" in result.err and "Non è stato scritto nulla" in result.err
    assert {k: v for k, v in snapshot_tree(home).items() if "backup" not in k} == {
        k: v for k, v in before.items() if "backup" not in k
    }
    # A discussion needs a sitting too.
    result = cli("discussion", CALL, "P002", "sustainability", "--outcome", "confirmed",
                 "--note", "Confermati.", home=home, passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and "registra prima la seduta" in result.err


def test_the_approval_lists_the_flags_left_undiscussed(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    result = cli("ranking", CALL, "--approve", "--reason", DEMO_REASON, home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert "Graduatoria approvata e congelata" in result.out
    assert "Segnalazioni di scarto non discusse" in result.err
    lines = [line.strip() for line in result.err.splitlines()[1:]]
    assert lines and all(not line.startswith("P002 ") for line in lines)
    assert "P019 innovation" in lines
