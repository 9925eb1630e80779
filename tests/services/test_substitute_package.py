"""A substitute's laptop: it receives only the proposals assigned to it,
through the shared folder, and its evaluation counts in the conflicted
member's seat at the office."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from app.bundles import parts
from app.bundles.package import CallPackage
from app.crypto.errors import NotForThisKeyError
from app.services.cards import enroll_cards, export_card, trust_office
from app.services.declarations import declare_general, declare_proposal
from app.services.exchange import sync
from app.services.member_desk import desk
from app.services.ranking import ranking_view
from app.services.remotes import set_remote
from app.services.scores import save_scores
from app.services.submission import submit
from app.services.substitutes import assign_substitute
from tests.support.bundle_factory import WHY
from tests.support.commission import CONFLICT, Commission, complete_college_call, uniform
from tests.support.workspaces import FIXTURES, make_template

ALL = ("P001", "P002", "P003", "P004", "P005")
KEYS = ("innovation", "impact", "coherence", "sustainability", "community")


def _evaluate(laptop, call_id: str, proposal: str) -> None:  # type: ignore[no-untyped-def]
    declare_proposal(laptop, call_id, proposal, conflict=False)
    save_scores(
        laptop,
        call_id,
        proposal,
        values=dict.fromkeys(KEYS, Decimal("1")),
        justifications=dict.fromkeys(KEYS, WHY),
    )


def test_the_substitute_gets_only_the_proposals_assigned(secretariat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office = secretariat
    call_id = complete_college_call(office)
    board = Commission(office, call_id)
    for name in ("Elena Colombo", "Luca Ferri", "Dario Neri"):
        board.enrol(name)
    laptop, _code = make_template(tmp_path / "supplente", "member", "Marco Bianchi")
    try:
        enroll_cards(office, call_id, [(export_card(laptop), "substitute")])
        trust_office(laptop, export_card(office))
        shared = tmp_path / "condivisa"
        shared.mkdir()
        set_remote(office, call_id, str(shared))
        set_remote(laptop, call_id, str(shared))
        board.publish()
        sync(office)
        # Nothing is assigned yet: the whole package is not sealed to a substitute.
        first = sync(laptop)
        assert first.taken_in == [] and "Un supplente riceve il proprio" in first.refused[0][1]

        board.send("Elena Colombo", {p: CONFLICT if p == "P004" else uniform("0.8") for p in ALL})
        board.send("Luca Ferri", {p: uniform("0.6") for p in ALL})
        board.send("Dario Neri", {p: uniform("0.6") for p in ALL})
        marco = export_card(laptop)
        from app.bundles.card import EnrollmentCard

        key_id = EnrollmentCard.parse(marco).key_id
        done = assign_substitute(office, call_id, "P004", key_id)
        assert done.published.substitutes == ("Marco Bianchi",)
        sync(office)
        own = sorted((shared / call_id / "package" / key_id).iterdir())
        assert [p.name for p in own] == ["package-000002.vaglio"]
        # Their parts: sealed to them alone, in their recipient set's folder,
        # only the attachments of the proposals assigned to them.
        theirs = shared / call_id / "package" / "parts" / parts.recipients_tag([key_id])
        pdf = (FIXTURES / "attachments" / "P004-progetto.pdf").read_bytes()
        assert [p.name for p in theirs.iterdir()] == [f"{hashlib.sha256(pdf).hexdigest()}.vaglio"]
        whole = shared / call_id / "package" / "package-000002.vaglio"
        with laptop.session() as session:
            from app.services.workspace import own_identity

            me = own_identity(session)
            private = me.sealing_private_key
        with pytest.raises(NotForThisKeyError):
            CallPackage.open(whole.read_bytes(), my_key_id=key_id, my_sealing_private=private,
                             trusted_offices={})  # fmt: skip

        report = sync(laptop)
        assert [r.kind for r in report.taken_in] == ["call-package"]
        assert [row.proposal.id for row in desk(laptop, call_id).rows] == ["P004"]
        declare_general(laptop, call_id)
        _evaluate(laptop, call_id, "P004")
        submit(laptop, call_id)
        sync(laptop)
        taken = sync(office)
        assert [r.member for r in taken.taken_in if r.kind == "score-bundle"] == ["Marco Bianchi"]
        row = {r.proposal: r for r in ranking_view(office, call_id).rows}["P004"]
        assert row.evaluators == 3

        # A second seat: the substitute's next package adds P003 and keeps P004's sheet.
        board.send("Luca Ferri", {p: CONFLICT if p == "P003" else uniform("0.6") for p in ALL})
        assign_substitute(office, call_id, "P003", key_id)
        sync(office)
        sync(laptop)
        rows = {row.proposal.id: row.status for row in desk(laptop, call_id).rows}
        assert rows == {"P003": "to_declare", "P004": "complete"}
    finally:
        laptop.close()
