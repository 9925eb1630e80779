"""The member's sheet of a call with sub-criteria: one row per leaf the member
scores, titled "criterion › sub-criterion", with its own points."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from app.i18n import set_language
from app.services.calls import create_call
from app.services.cards import enroll_cards, export_card, trust_office
from app.services.declarations import declare_general, declare_proposal
from app.services.member_sheet import own_sheet_view, write_own_sheet
from app.services.proposal_import import import_proposals
from app.services.publication import publish_call
from app.services.scores import save_scores
from tests.support.published import install_published
from tests.support.subcriteria import LEAF_KEYS, SUBCRITERIA_CALL
from tests.support.workspaces import FIXTURES, make_template

CALL = "MI-CC-2020"
WHY = "Motivazione scritta per questa voce, abbastanza lunga."


def test_the_sheet_lists_the_sub_criteria_the_member_scored(tmp_path: Path) -> None:
    set_language("it")
    office, _code = make_template(tmp_path / "office", "secretariat", "Segreteria")
    member, _code = make_template(tmp_path / "sara", "member", "Sara Esposito")
    try:
        create_call(office, SUBCRITERIA_CALL)
        import_proposals(office, CALL, FIXTURES / "proposals.csv", FIXTURES / "attachments")
        enroll_cards(office, CALL, [(export_card(member), "member")])
        trust_office(member, export_card(office))
        install_published(member, publish_call(office, CALL))
        declare_general(member, CALL)
        declare_proposal(member, CALL, "P003", conflict=False)
        values = dict.fromkeys(LEAF_KEYS, Decimal("0.8")) | {"recipients": Decimal("0.6")}
        save_scores(member, CALL, "P003", values=values,
                    justifications=dict.fromkeys(LEAF_KEYS, WHY))  # fmt: skip
        out = tmp_path / "scheda.pdf"
        result = write_own_sheet(member, CALL, out)
        view = own_sheet_view(member, CALL)
    finally:
        member.close()
        office.close()
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert result.bundle_hash is None and result.unsent
    assert "Nessun pacchetto di punteggi è stato ancora inviato" in text
    impact = "Impatto sociale sul territorio e sui destinatari"
    assert f"{impact} › Destinatari raggiunti 0,6 (discreto)" in text
    assert f"{impact} › Misurabilità dell'impatto 0,8 (buono)" in text
    assert f"{impact} 0," not in text  # the parent is not scored itself
    assert "▲" not in text  # nothing to compare with: said once, not on every row
    # 15 · 0.6 = 9 for the recipients, 15 · 0.8 = 12 for the measurability.
    p003 = next(p for p in view.proposals if p.code == "P003")
    points = {c.key: c.points for c in p003.criteria}
    assert tuple(points) == LEAF_KEYS
    assert (points["recipients"], points["measurability"]) == (Decimal("9.0"), Decimal("12.0"))
    assert "Dichiarazione non ancora resa." in text  # the proposals not declared yet
