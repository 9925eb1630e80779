"""The member's individual sheet read back from its PDF: declarations, values,
motivations, the last bundle's hash and the key's fingerprint; unsent values
marked; refused in the secretariat's workspace with nothing written; the
minutes' annex of the sheets when the call asks for it."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.crypto.keys import format_fingerprint
from app.i18n import set_language
from app.models import Call, Proposal, Score, ScoreBundleRecord
from app.reports.member_sheet import bundle_statement
from app.services.declarations import declare_proposal
from app.services.member_sheet import own_sheet_view, write_own_sheet
from app.services.minutes import signature_fields
from app.services.scores import save_scores
from app.services.workspace import unlock
from tests.support.minutes import CALL, approved_demo, open_home
from tests.support.workspaces import ARTIFACTS, snapshot_tree

pytestmark = pytest.mark.slow
PASSPHRASE = "vaglio-demo-2020"


def pdf_text(path: Path) -> str:
    """poppler's reading of the PDF, lines joined (an independent reader)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def own_facts(home: Path) -> dict[str, object]:
    """What the member's workspace records: key, last bundle sent, a score, a conflict."""
    ws = unlock(home, PASSPHRASE)
    try:
        with ws.session() as session:
            from app.models import ConflictDeclaration

            bundle = session.scalars(
                select(ScoreBundleRecord)
                .where(ScoreBundleRecord.call_id == CALL, ScoreBundleRecord.direction == "sent")
                .order_by(ScoreBundleRecord.sequence.desc())
            ).first()
            assert bundle is not None
            score = session.scalars(
                select(Score).where(Score.value.is_not(None)).order_by(Score.id)
            ).first()
            assert score is not None
            code = session.get(Proposal, score.proposal_id).code  # type: ignore[union-attr]
            conflict = session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.has_conflict)
            ).first()
            return {
                "key": bundle.member_key_id,
                "hash": bundle.payload_hash,
                "motivation": score.justification,
                "proposal": code,
                "conflict": None if conflict is None else conflict.reason,
            }
    finally:
        ws.close()


def test_the_sheet_states_declarations_values_motivations_hash_and_fingerprint(
    demo_copy: Path, tmp_path: Path
) -> None:
    set_language("it")
    home = demo_copy / "commissario-1"
    facts = own_facts(home)
    out = tmp_path / "scheda.pdf"
    ws = unlock(home, PASSPHRASE)
    try:
        result = write_own_sheet(ws, CALL, out)
    finally:
        ws.close()
    text = pdf_text(out)
    assert "Scheda individuale di valutazione" in text
    assert "Elena Colombo" in text
    assert format_fingerprint(str(facts["key"])) in text
    assert "Dichiarazione di assenza di incompatibilità (testo 2020-1) resa il" in text
    assert "I valori di questa scheda sono quelli dell'ultimo pacchetto inviato, n. 1" in text
    assert str(facts["hash"]) in text and result.bundle_hash == facts["hash"]
    assert not result.unsent
    # The declared conflict, with its category and reason; the proposal is not scored.
    assert (
        "Conflitto di interessi dichiarato il" in text
        and "rapporto professionale" in text
        and str(facts["conflict"]) in text
        and "La proposta non è valutata." in text
    )
    assert "Nessun conflitto di interessi (dichiarato il" in text
    # A value with its level's label, its points and its motivation.
    assert str(facts["motivation"]) in text
    assert "Carattere innovativo della proposta" in text and "(ottimo)" in text
    assert "Totale del commissario" in text
    # Ready to sign with the member's own card: one empty field, the member's.
    assert signature_fields(out.read_bytes()) == [("firma-01-componente-elena-colombo", False)]
    assert result.field == "firma-01-componente-elena-colombo"
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
         str(ARTIFACTS / "member-sheet")],
        check=True,
    )  # fmt: skip


def test_unsent_values_are_stated_and_each_difference_marked(
    demo_copy: Path, tmp_path: Path
) -> None:
    set_language("it")
    home = demo_copy / "commissario-2"
    ws = unlock(home, PASSPHRASE)
    try:
        before = own_sheet_view(ws, CALL)
        p001 = next(p for p in before.proposals if p.code == "P001")
        sent = next(c for c in p001.criteria if c.key == "innovation")
        assert sent.value == Decimal("0.6") and not sent.changed
        save_scores(ws, CALL, "P001", values={"innovation": Decimal("0.8")},
                    justifications={"innovation": "Rivista: il modello è più nuovo di quanto detto."})  # fmt: skip
        declare_proposal(ws, CALL, "P002", conflict=True, category="economic",
                         reason="Un mio familiare è socio lavoratore della cooperativa.")  # fmt: skip
        out = tmp_path / "scheda.pdf"
        result = write_own_sheet(ws, CALL, out)
    finally:
        ws.close()
    assert result.unsent
    text = pdf_text(out)
    assert "Questa scheda riporta valori non ancora inviati: le righe segnate con ▲" in text
    assert result.bundle_hash is not None and result.bundle_hash in text
    assert "▲ Carattere innovativo della proposta" in text
    assert "Rivista: il modello è più nuovo di quanto detto." in text
    assert f"Inviato: 0,6 (discreto) — {sent.motivation}" in text
    assert (
        "▲ Conflitto di interessi dichiarato il" in text
        and "interesse economico — «Un mio familiare è socio lavoratore della cooperativa.»" in text
        and "L'ultimo pacchetto inviato dichiarava nessun conflitto di interessi." in text
    )
    assert text.count("▲") == 3  # the statement, the changed row, the changed declaration


def test_without_a_bundle_the_sheet_says_nothing_was_sent(demo_copy: Path) -> None:
    set_language("it")
    ws = unlock(demo_copy / "commissario-3", PASSPHRASE)
    try:
        view = own_sheet_view(ws, CALL)
    finally:
        ws.close()
    statement, warning = bundle_statement(dataclasses.replace(view, bundle=None))
    assert warning and statement.startswith("Nessun pacchetto di punteggi è stato ancora inviato")
    assert dataclasses.replace(view, bundle=None).unsent


def test_the_sheet_in_english(demo_copy: Path, tmp_path: Path) -> None:
    set_language("en")
    try:
        ws = unlock(demo_copy / "commissario-3", PASSPHRASE)
        try:
            write_own_sheet(ws, CALL, tmp_path / "sheet.pdf")
        finally:
            ws.close()
        text = pdf_text(tmp_path / "sheet.pdf")
    finally:
        set_language("it")
    assert "Individual evaluation sheet" in text
    assert "The values of this sheet are those of the last bundle sent" in text


def test_refused_in_the_secretariat_workspace_and_nothing_written(
    demo_copy: Path, tmp_path: Path
) -> None:
    from app.services.evaluation_errors import NotAMemberWorkspaceError

    set_language("it")
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    ws = unlock(demo_copy / "segreteria", PASSPHRASE)
    try:
        with pytest.raises(NotAMemberWorkspaceError) as refused:
            write_own_sheet(ws, CALL, out_dir / "scheda.pdf")
    finally:
        ws.close()
    assert "area di lavoro di un commissario" in str(refused.value)
    assert snapshot_tree(out_dir) == {}


def _set_flag(home: Path) -> None:
    ws = open_home(home)
    try:
        with ws.session() as session:
            call = session.scalars(select(Call).where(Call.id == CALL)).one()
            call.definition += "\n[minutes]\nindividual_sheets = true\n"
    finally:
        ws.close()


def test_the_minutes_annex_the_sheets_from_the_accepted_bundles(
    demo_template: Path, tmp_path: Path
) -> None:
    from app.services.minutes import make_minutes, minutes_view

    set_language("it")
    home = approved_demo(demo_template, tmp_path / "demo")
    plain = tmp_path / "senza.pdf"
    ws = open_home(home)
    try:
        plain.write_bytes(make_minutes(ws, CALL).content)
    finally:
        ws.close()
    assert "Allegato B" not in pdf_text(plain) and "Schede individuali" not in pdf_text(plain)

    _set_flag(home)
    ws = open_home(home)
    try:
        view = minutes_view(ws, CALL)
        with ws.session() as session:
            score = session.scalars(
                select(Score).where(Score.value.is_not(None)).order_by(Score.id)
            ).first()
            assert score is not None
            motivation = score.justification
        out = tmp_path / "verbale.pdf"
        out.write_bytes(make_minutes(ws, CALL).content)
    finally:
        ws.close()
    text = pdf_text(out)
    annex = text[text.index("Allegato B — Schede individuali dei commissari") :]
    assert text.index("Allegato A") < text.index("Allegato B")
    assert "minutes.individual_sheets" in annex
    rules = text[: text.index("Allegato A — Pacchetti")]
    assert "Schede individuali: l'avviso richiede che la scheda individuale" in rules
    assert view.ranking.bundles
    for bundle in view.ranking.bundles:
        assert f"Scheda individuale di {bundle.member}" in annex
        assert bundle.payload_hash in annex and bundle.fingerprint in annex
    assert "Stampata dai valori del pacchetto di punteggi n. 1" in annex
    assert motivation in annex
    assert "Ho collaborato con il soggetto proponente negli ultimi tre anni." in annex
    # The annex adds no signature field: the members signed their bundles.
    assert not any("scheda" in name for name, _signed in signature_fields(out.read_bytes()))
    shutil.rmtree(tmp_path / "demo")
