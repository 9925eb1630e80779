"""The office's intake says which bundle it is at and stops between two
(issue 16, item 4): each bundle is its own unit, so a stop keeps the bundles
already taken in with their receipts, rolls back the one in progress and
leaves the others untouched, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.exchange import sync
from app.services.exchange_errors import IntakeStoppedError
from app.services.hand_import import take_in
from app.services.remotes import set_remote
from app.services.steps import Cancel
from tests.support.intake import Taken, drop, office_with_bundles, taken
from tests.support.workspaces import CALL_ID


def stopper(at: str) -> tuple[Cancel, list[str], object]:
    """A cancel flag set when the progress says ``at`` (no threads, no sleeps)."""
    cancel = Cancel()
    heard: list[str] = []

    def progress(text: str) -> None:
        heard.append(text)
        if text == at:
            cancel.set()

    return cancel, heard, progress


def test_a_manual_import_stopped_at_the_third_bundle_keeps_two(  # type: ignore[no-untyped-def]
    secretariat, tmp_path: Path
) -> None:
    ws = secretariat
    sent = office_with_bundles(ws)
    drop(tmp_path / "chiavetta", sent)
    before = taken(ws)
    cancel, heard, progress = stopper("Pacchetto di punteggi 3 di 4…")

    with pytest.raises(IntakeStoppedError) as stopped:
        take_in(ws, [str(tmp_path / "chiavetta")], progress=progress, cancel=cancel)  # type: ignore[arg-type]

    # The third was being taken in when the flag was set: it is rolled back.
    assert str(stopped.value) == (
        "Import dei pacchetti di punteggi interrotto: 2 pacchetti di punteggi acquisiti, "
        "gli altri non sono stati toccati."
    )
    assert heard == [
        "Pacchetto di punteggi 1 di 4…",
        "Pacchetto di punteggi 2 di 4…",
        "Pacchetto di punteggi 3 di 4…",
    ]
    # Two bundles, each with its receipt queued and on disk, and their two audit entries.
    assert taken(ws) == Taken(2, 2, 2, before.audit_entries + 2)

    # Taken in again: the first two change nothing, the other two go in.
    done = take_in(ws, [str(tmp_path / "chiavetta")])
    assert [r.outcome for _f, r in done.taken] == ["duplicate", "duplicate", "accepted", "accepted"]
    assert taken(ws) == Taken(4, 4, 4, before.audit_entries + 4)


def test_a_manual_import_stopped_before_its_first_bundle_writes_nothing(  # type: ignore[no-untyped-def]
    secretariat, tmp_path: Path
) -> None:
    ws = secretariat
    files = drop(tmp_path / "chiavetta", office_with_bundles(ws)[:2])
    before = taken(ws)
    cancel, _heard, progress = stopper("Pacchetto di punteggi 1 di 2…")
    with pytest.raises(IntakeStoppedError) as stopped:
        take_in(ws, [str(f) for f in files], progress=progress, cancel=cancel)  # type: ignore[arg-type]
    assert (
        str(stopped.value)
        == "Import dei pacchetti di punteggi interrotto: non è stato scritto nulla."
    )
    assert taken(ws) == before


def test_the_office_sync_counts_bundles_and_a_stop_keeps_those_taken_in(  # type: ignore[no-untyped-def]
    secretariat, tmp_path: Path
) -> None:
    ws = secretariat
    sent = office_with_bundles(ws, ("Elena Colombo", "Luca Ferri", "Ada Neri"))
    shared = tmp_path / "condivisa"
    shared.mkdir()
    set_remote(ws, CALL_ID, str(shared))
    drop(shared, sent)
    before = taken(ws)
    cancel, heard, progress = stopper("Pacchetto di punteggi 2 di 3…")

    with pytest.raises(IntakeStoppedError) as stopped:
        sync(ws, progress=progress, cancel=cancel)  # type: ignore[arg-type]

    assert str(stopped.value) == (
        "Import dei pacchetti di punteggi interrotto: 1 pacchetto di punteggi acquisito, "
        "gli altri non sono stati toccati. Le ricevute partiranno alla prossima sincronizzazione."
    )
    assert [t for t in heard if t.startswith("Pacchetto di punteggi")] == [
        "Pacchetto di punteggi 1 di 3…",
        "Pacchetto di punteggi 2 di 3…",
    ]
    assert taken(ws) == Taken(1, 1, 1, before.audit_entries + 1)
    assert not list(shared.rglob("*.vaglio-receipt"))  # the receipts go at the next sync

    # The next sync takes in the two left (not the first again) and sends the three receipts.
    report = sync(ws)
    assert [r.outcome for r in report.taken_in] == ["accepted", "accepted"]
    assert taken(ws) == Taken(3, 3, 3, before.audit_entries + 3)
    assert len(list(shared.rglob("*.vaglio-receipt"))) == 3
