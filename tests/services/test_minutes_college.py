"""The minutes print the conflict history, the substitutes and what the
approval recorded about the college (issue 12: "the minutes print the
history, not only the latest state")."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.i18n import set_language
from app.services.minutes import make_minutes, minutes_view
from app.services.ranking import approve_ranking
from app.services.substitutes import assign_substitute
from tests.support.commission import CONFLICT, Commission, complete_college_call, uniform
from tests.support.minutes import record_sitting
from tests.support.workspaces import ARTIFACTS

ALL = ("P001", "P002", "P003", "P004", "P005")


def _flat(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_history_substitutes_and_the_reason_are_in_the_minutes(secretariat) -> None:  # type: ignore[no-untyped-def]
    set_language("it")
    ws = secretariat
    call_id = complete_college_call(ws)
    board = Commission(ws, call_id)
    for name in ("Elena Colombo", "Luca Ferri", "Dario Neri"):
        board.enrol(name)
    board.enrol("Marco Bianchi", "substitute")
    board.enrol("Sara Verdi", "substitute")
    board.publish()
    with_conflict = {p: CONFLICT if p == "P004" else uniform("0.8") for p in ALL}
    board.send("Elena Colombo", with_conflict, conflict_reason="Socia dell'associazione.")
    board.send("Elena Colombo", {p: uniform("0.8") for p in ALL})  # withdrawn
    board.send("Elena Colombo", with_conflict, conflict_reason="Socia dell'associazione.")
    board.send("Luca Ferri", {p: uniform("0.6") for p in ALL})
    assign_substitute(ws, call_id, "P004", board.keys["Marco Bianchi"].public.key_id)
    board.send("Marco Bianchi", {"P004": uniform("1")})
    reason = "Dario Neri dimissionario dal 2 marzo; nessun supplente disponibile in tempo."
    record_sitting(ws, call_id)
    approve_ranking(ws, call_id, reason)

    view = minutes_view(ws, call_id)
    assert [(c.member, c.proposal, c.kind, c.bundle) for c in view.conflicts] == [
        ("Elena Colombo", "P004", "conflict", 1),
        ("Elena Colombo", "P004", "withdrawn", 2),
        ("Elena Colombo", "P004", "declared", 3),
    ]
    p004 = next(p for p in view.proposals if p.proposal == "P004")
    assert p004.substitutes == (("Elena Colombo", "Marco Bianchi"),)
    content = make_minutes(ws, call_id).content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "minutes-college.pdf").write_bytes(content)  # for people to look at
    flat = _flat(content)
    assert "conflitto RITIRATO: nessun conflitto" in flat
    assert "conflitto dichiarato dopo una dichiarazione di assenza" in flat
    assert "(pacchetto 2)" in flat and "(pacchetto 3)" in flat
    assert "L'avviso stabilisce il collegio perfetto" in flat
    assert "Marco Bianchi l'ha valutata come supplente in luogo di Elena Colombo." in flat
    assert "All'approvazione il collegio non era completo" in flat
    assert "Dario Neri non ha inviato alcun pacchetto di punteggi." in flat
    assert f"«{reason}»" in flat
    assert "Il Supplente" in flat and "Marco Bianchi" in flat
    # Sara Verdi evaluated nothing: on the roster, but she signs nothing.
    signatures = flat.split("Firme", 1)[1]
    assert "Sara Verdi" not in signatures
