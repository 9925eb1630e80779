"""The demo: five workspaces, the call, 40 proposals with their PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.demo import DEMO_PASSPHRASE, DemoFolderError, build_demo
from app.services.proposals import attachment_content, list_proposals, proposal_detail
from app.services.roster import roster
from app.services.workspace import identity, unlock

CALL = "MI-CC-2020"


def test_the_demo_has_everything_a_first_window_needs(demo_copy: Path) -> None:
    marker = json.loads((demo_copy / "vaglio-demo.json").read_text())
    assert marker["call_id"] == CALL
    assert [name for _label, name in marker["workspaces"]] == [
        "segreteria",
        "commissario-1",
        "commissario-2",
        "commissario-3",
        "supplente",
    ]
    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    try:
        rows = list_proposals(ws, CALL)
        assert len(rows) == 40
        assert sorted(r.id for r in rows if not r.admissible) == ["P012", "P027", "P033"]
        assert len({r.neighbourhood for r in rows}) == 8
        assert [m.commission_role for m in roster(ws, CALL)] == [
            "president", "member", "member", "substitute",
        ]  # fmt: skip
        # The college is complete: Elena Colombo's conflict leaves P014 short,
        # and assigning the waiting substitute is the secretariat's next step.
        from app.services.substitutes import college

        short = college(ws, CALL).short
        assert [(p.proposal, p.vacant) for p in short] == [("P014", ("Elena Colombo",))]
        detail = proposal_detail(ws, CALL, "P003")
        assert [a.filename for a in detail.attachments] == ["P003-progetto.pdf", "P003-budget.pdf"]
        pdf = attachment_content(ws, detail.attachments[0].id)
        assert pdf.startswith(b"%PDF-")
    finally:
        ws.close()
    member = unlock(demo_copy / "commissario-2", DEMO_PASSPHRASE)
    try:
        assert identity(member).role == "member"
        assert len(list_proposals(member, CALL)) == 40
    finally:
        member.close()


def test_the_commission_has_started_work(demo_copy: Path) -> None:
    from collections import Counter

    from app.services.member_desk import desk, score_sheet
    from app.services.status import call_status

    expected = {
        "commissario-1": (True, 36, {"complete": 36, "conflicted": 1}, [1]),
        "commissario-2": (True, 37, {"complete": 37}, [1]),
        "commissario-3": (True, 37, {"complete": 37}, [1]),
    }
    for folder, (declared, complete, some, bundles) in expected.items():
        ws = unlock(demo_copy / folder, DEMO_PASSPHRASE)
        try:
            view = desk(ws, CALL)
            counts = Counter(row.status for row in view.rows)
            assert view.general_declared is declared
            assert view.complete == complete
            for status, count in some.items():
                assert counts[status] == count, (folder, counts)
            sent = call_status(ws, CALL).bundles
            assert [b.sequence for b in sent] == bundles
            assert all(b.uploaded and b.receipt_at is not None for b in sent)
            if folder == "commissario-1":
                done = next(r.proposal.id for r in view.rows if r.status == "complete")
                assert all(len(c.justification) >= 20 for c in score_sheet(ws, CALL, done).criteria)
        finally:
            ws.close()
    # The city office holds the three bundles, each answered with a receipt.
    office = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    try:
        members = call_status(office, CALL).members
        assert [(m.name, m.bundle_sequence, m.receipt_sent) for m in members] == [
            ("Elena Colombo", 1, True),
            ("Marco Ferrari", 1, True),
            ("Sara Esposito", 1, True),
            ("Luca Bianchi", None, False),
        ]
    finally:
        office.close()
    share = demo_copy / "cartella-condivisa" / CALL
    assert len(list((share / "inbox").rglob("*.vaglio"))) == 3
    assert len(list((share / "receipts").rglob("*.vaglio-receipt"))) == 3
    assert (share / "package" / "package-000001.vaglio").is_file()


def test_the_pdfs_say_what_the_proposal_says(demo_copy: Path) -> None:
    import subprocess

    pdf = demo_copy / "materiale" / "allegati" / "P003-progetto.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Selinunte Lab" in text and "38.500,00 €" in text and "Attività" in text


def test_an_existing_demo_is_reopened_not_rebuilt(demo_copy: Path) -> None:
    before = (demo_copy / "segreteria" / "vaglio.db").stat().st_mtime_ns
    demo = build_demo(demo_copy)
    assert demo.main_workspace == demo_copy / "segreteria"
    assert (demo_copy / "segreteria" / "vaglio.db").stat().st_mtime_ns == before


def test_a_folder_with_other_things_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("do not touch")
    with pytest.raises(DemoFolderError, match="non è vuota"):
        build_demo(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_vaglio_demo_opens_the_window_on_the_demo(tmp_path: Path) -> None:
    # What `make run` does, with the start-up probe so that the process ends
    # once the window holds the demo's proposals.
    from tests.support.cli import run_vaglio

    result = run_vaglio(
        "demo",
        "--dir",
        str(tmp_path / "demo"),
        env={"QT_QPA_PLATFORM": "offscreen", "VAGLIO_STARTUP_PROBE": "loaded"},
    )
    assert result.returncode == 0, result.stderr
    assert "vaglio-demo-2020" in result.stdout
    assert "vaglio-ready" in result.stdout


def test_the_demo_has_a_collegial_call_beside_the_coefficient_one(demo_copy: Path) -> None:
    from app.services.calls import list_calls
    from app.services.collegial import collegial_sheet
    from app.services.demo_collegial import COLLEGIAL_CALL
    from app.services.ranking import ranking_view
    from app.services.sittings import list_sittings

    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    try:
        # The window opens on the main call: it is listed first.
        assert [c.id for c in list_calls(ws)] == [CALL, COLLEGIAL_CALL]
        assert ranking_view(ws, CALL).grid.method == "coefficients"
        view = ranking_view(ws, COLLEGIAL_CALL)
        assert view.grid.method == "collegial"
        assert [b.member for b in view.bundles] == [
            "Elena Colombo", "Marco Ferrari", "Sara Esposito",
        ]  # fmt: skip
        pending = [e.proposal for e in view.excluded if e.reason == "collegial_pending"]
        assert pending == ["P007", "P008", "P009", "P010"]
        assert len(view.rows) + len(view.excluded) == 10 and view.rows
        assert len(view.collegial) == 30  # six proposals, five criteria
        assert any(d.vote == "majority" and d.dissent for d in view.collegial)
        (sitting,) = list_sittings(ws, COLLEGIAL_CALL)
        assert all(d.sitting_on == sitting.held_on for d in view.collegial)
        sheet = collegial_sheet(ws, COLLEGIAL_CALL)
        assert sheet.pending == ("P007", "P008", "P009", "P010")
    finally:
        ws.close()
