"""``vaglio ranking`` and ``vaglio funding`` as the CLI contract writes them."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from app.services.demo import DEMO_PASSPHRASE
from tests.support.minutes import DEMO_REASON
from tests.support.workspaces import snapshot_tree

CALL = "MI-CC-2020"


def test_ranking_json_csv_and_table(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    result = cli("ranking", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert set(document) == {"call", "ranking", "excluded"} and document["call"] == CALL
    for row in document["ranking"]:
        assert set(row) == {"rank", "proposal", "total", "criteria", "evaluators", "flags"}
        assert isinstance(row["total"], str) and isinstance(row["rank"], int)
    assert [r["rank"] for r in document["ranking"]] == list(range(1, 14))
    assert {e["reason"] for e in document["excluded"]} == {
        "below_threshold", "below_criterion_floor", "no_quorum", "inadmissible",
    }  # fmt: skip

    result = cli("ranking", CALL, "--csv", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 40 and rows[0]["proposta"] == "P038"
    assert list(rows[0])[:5] == ["posizione", "proposta", "titolo", "proponente", "totale"]
    assert (rows[0]["esito"], rows[-1]["esito"]) == ("ammessa", "esclusa")

    result = cli("ranking", CALL, home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0
    assert "Non in graduatoria:" in result.out
    assert "P014: quorum dei valutatori non raggiunto" in result.out
    # Each exclusion with its numbers (or its recorded reasons).
    listing = result.out[result.out.index("Non in graduatoria:") : result.out.index("Sotto il")]
    lines = {
        line.split()[0].rstrip(":"): line for line in listing.splitlines() if line.startswith("  P")
    }
    for e in document["excluded"]:
        line = lines[e["proposal"]]
        pattern = {
            "below_threshold": r"\((\d+,\d\d)\): totale sotto la soglia \(totale \1 < soglia 60\)$",
            "below_criterion_floor": r"\(«Impatto sociale sul territorio e sui destinatari» "
            r"\d+,\d\d < minimo 12\)$",
            "no_quorum": r": quorum dei valutatori non raggiunto \(\d valutator[ei] < 3 richiesti\)$",
            "inadmissible": r": non ammissibile \(.*superiore.*\)$",
        }[e["reason"]]
        assert re.search(pattern, line), line
    assert "punteggio più alto su «Impatto sociale" in result.out
    assert "Non ancora approvata" in result.out

    result = cli("ranking", CALL, "--json", "--csv", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 2


def test_approve_then_funding(cli, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    campaigns = demo_copy / "materiale" / "campagne.csv"
    before = snapshot_tree(home)
    result = cli("funding", CALL, "--campaigns", str(campaigns), home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: ") and "non è ancora approvata" in result.err
    assert "Traceback" not in result.err
    assert {k: v for k, v in snapshot_tree(home).items() if "backup" not in k} == {
        k: v for k, v in before.items() if "backup" not in k
    }

    result = cli("ranking", CALL, "--lottery-number", "37", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1 and result.err.startswith("error: Nessun pari merito")

    result = cli("ranking", CALL, "--approve", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1 and "Il collegio di MI-CC-2020 non è completo" in result.err
    result = cli("ranking", CALL, "--reason", "x", home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1 and "--reason va con --approve" in result.err
    result = cli("ranking", CALL, "--approve", "--reason", DEMO_REASON, "--json", home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["ranking"][0]["proposal"] == "P038"
    assert "Graduatoria approvata e congelata" in result.err
    again = cli("ranking", CALL, "--approve", home=home, passphrase=DEMO_PASSPHRASE)
    assert again.code == 1 and "già approvata" in again.err

    result = cli("funding", CALL, "--campaigns", str(campaigns), "--json", home=home,
                 passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert set(document) == {"call", "fund", "projects", "totals"}
    assert document["call"] == CALL and document["fund"] == "240000.00"
    assert set(document["totals"]) == {
        "reserved", "matched", "programmato", "ammesso", "giuridicamente_vincolante", "erogato",
    }  # fmt: skip
    assert document["totals"]["ammesso"] == "217695.01"
    assert document["totals"]["programmato"] == "550000.00"
    for project in document["projects"]:
        assert set(project) == {
            "proposal", "rank", "budget", "reserved", "raised", "status", "matched", "note",
        }  # fmt: skip
        assert (project["note"] is None) == (project["status"] != "waiting"), project
    by_id = {p["proposal"]: p for p in document["projects"]}
    assert by_id["P010"]["status"] == "failed" and by_id["P017"]["status"] == "funded"
    assert by_id["P030"]["raised"] is None and by_id["P030"]["status"] == "waiting"
    assert by_id["P030"]["note"] in ("fund_exhausted", "line_stopped")
    # Every amount is a decimal string with two places, "0.00" beside "27214.40".
    assert by_id["P030"]["reserved"] == by_id["P030"]["matched"] == "0.00"
    amounts = [document["fund"], *document["totals"].values()]
    for project in document["projects"]:
        amounts += [project[k] for k in ("budget", "reserved", "raised", "matched")]
    assert all(re.fullmatch(r"\d+\.\d\d", a) for a in amounts if a is not None), amounts
    assert by_id["P038"] == {
        "proposal": "P038", "rank": 1, "budget": "46600.00", "reserved": "27214.40",
        "raised": "19385.60", "status": "funded", "matched": "27214.40", "note": None,
    }  # fmt: skip
    assert "12 esiti di campagna" in result.err

    result = cli("funding", CALL, home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 0
    assert "campagna non riuscita" in result.out and "ammesso a finanziamento: 217.695,01 €" in (
        result.out
    )


def test_a_bad_campaign_file_names_every_problem(cli, demo_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy / "segreteria"
    approved = cli("ranking", CALL, "--approve", "--reason", DEMO_REASON, home=home,
                   passphrase=DEMO_PASSPHRASE)  # fmt: skip
    assert approved.code == 0
    bad = tmp_path / "campagne.csv"
    bad.write_text(
        "proposal;raised;backers;closed_on\nP038;12.000,00;tanti;2021-01-01\nP777;1;1;oggi\n",
        encoding="utf-8",
    )
    result = cli("funding", CALL, "--campaigns", str(bad), home=home, passphrase=DEMO_PASSPHRASE)
    assert result.code == 1
    assert "riga 2, colonna backers" in result.err and "riga 3, colonna proposal" in result.err
    assert "riga 3, colonna closed_on" in result.err
    result = cli("funding", CALL, "--json", home=home, passphrase=DEMO_PASSPHRASE)
    assert all(p["raised"] is None for p in json.loads(result.out)["projects"])
