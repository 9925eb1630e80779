"""A call with sub-criteria from the secretariat to the minutes: the package
(version 2), the member's scores on the leaves (service, command line,
import), the office's content checks, the ranking and the minutes read back
with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from app.bundles.errors import BadPayloadError
from app.bundles.package import CallPackage, PackageMember
from app.crypto.keys import KeyPair
from app.i18n import set_language
from app.services.calls import create_call
from app.services.cards import enroll_cards, export_card, trust_office
from app.services.declarations import declare_general, declare_proposal
from app.services.evaluation_errors import ScoredThroughSubcriteriaError, UnknownCriterionError
from app.services.intake import accept_score_bundle, install_package
from app.services.member_desk import desk, score_sheet
from app.services.minutes import make_minutes, minutes_view
from app.services.proposal_import import import_proposals
from app.services.publication import publish_call
from app.services.ranking import approve_ranking, ranking_view
from app.services.scores import import_scores, save_scores
from app.services.submission import submit
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from tests.support.bundle_factory import NOW
from tests.support.minutes import record_sitting
from tests.support.published import install_published
from tests.support.subcriteria import LEAF_KEYS, SUBCRITERIA_CALL
from tests.support.workspaces import ARTIFACTS, FIXTURES, make_template

CALL = "MI-CC-2020"
WHY = "Motivazione scritta per questa voce, abbastanza lunga."
# Two members (quorum 2): the same 0.8 everywhere, except
# - P001: recipients 0.2 from both: 15 · 0.2 = 3 < 6, below the sub-criterion's floor;
# - P002: measurability 0.2 and 1: spread 0.8 (flag), 15 · 0.6 = 9; impact 12 + 9 = 21.
TWO_MEMBER_CALL = SUBCRITERIA_CALL.replace("min_evaluators = 3", "min_evaluators = 2")
VALUES = {
    "Sara Esposito": {"P001": {"recipients": "0.2"}, "P002": {"measurability": "0.2"}},
    "Marco Ferrari": {"P001": {"recipients": "0.2"}, "P002": {"measurability": "1"}},
}


@dataclass
class Office:
    secretariat: OpenWorkspace
    members: dict[str, OpenWorkspace]
    package: bytes


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    set_language("it")
    secretariat, _code = make_template(tmp_path / "office", "secretariat", "Segreteria")
    members = {
        name: make_template(tmp_path / name.split()[0], "member", name)[0] for name in VALUES
    }
    create_call(secretariat, TWO_MEMBER_CALL)
    import_proposals(secretariat, CALL, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    enroll_cards(secretariat, CALL, [(export_card(ws), "member") for ws in members.values()])
    published = publish_call(secretariat, CALL)
    package = published.copy.read_bytes()
    for ws in members.values():
        trust_office(ws, export_card(secretariat))
        install_published(ws, published)
    try:
        yield Office(secretariat, members, package)
    finally:
        for ws in (secretariat, *members.values()):
            ws.close()


def _score_everything(ws: OpenWorkspace, name: str) -> None:
    declare_general(ws, CALL)
    for row in desk(ws, CALL).rows:
        code = row.proposal.id
        if row.status == "inadmissible":
            continue
        declare_proposal(ws, CALL, code, conflict=False)
        values = dict.fromkeys(LEAF_KEYS, "0.8") | VALUES[name].get(code, {})
        save_scores(
            ws, CALL, code,
            values={k: Decimal(v) for k, v in values.items()},
            justifications=dict.fromkeys(LEAF_KEYS, WHY),
        )  # fmt: skip


def test_the_package_is_version_2_and_a_version_1_claim_is_refused(office: Office) -> None:
    member = office.members["Sara Esposito"]
    with member.session() as session:
        me = own_identity(session)
    with office.secretariat.session() as session:
        identity = own_identity(session)
        office_keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
    genuine = CallPackage.open(
        office.package,
        my_key_id=me.key_id,
        my_sealing_private=me.sealing_private_key,
        trusted_offices={office_keys.public.key_id: office_keys.public.signing},
    )
    assert genuine.version == 2
    # The same definition announced as version 1: refused, nothing installed again.
    forged = CallPackage.build(
        call_id=CALL,
        sequence=2,
        grid_hash=genuine.grid_hash,
        definition=genuine.definition,
        roster=[
            PackageMember(m.key_id, m.name, m.email, m.commission_role, m.keys)
            for m in genuine.roster
        ],
        proposals=[],
        office=office_keys,
        version=1,
    )
    with pytest.raises(BadPayloadError, match="version"):
        install_package(member, forged)


def test_members_score_the_sub_criteria_not_their_criterion(office: Office) -> None:
    ws = office.members["Sara Esposito"]
    declare_general(ws, CALL)
    declare_proposal(ws, CALL, "P003", conflict=False)
    sheet = score_sheet(ws, CALL, "P003")
    assert tuple(c.rule.key for c in sheet.criteria) == LEAF_KEYS
    with pytest.raises(ScoredThroughSubcriteriaError, match="recipients, measurability"):
        save_scores(ws, CALL, "P003", values={"impact": Decimal("0.8")})
    with pytest.raises(UnknownCriterionError, match="recipients"):
        save_scores(ws, CALL, "P003", values={"impatto": Decimal("0.8")})
    assert score_sheet(ws, CALL, "P003").status == "to_score"
    save_scores(ws, CALL, "P003", values={"recipients": Decimal("0.6")},
                justifications={"recipients": WHY})  # fmt: skip
    sheet = score_sheet(ws, CALL, "P003")
    assert sheet.status == "partial"
    assert sheet.total == Decimal("9.0")  # 15 · 0.6


def test_score_import_names_the_row_of_a_parent_criterion(office: Office, tmp_path: Path) -> None:
    ws = office.members["Sara Esposito"]
    declare_general(ws, CALL)
    declare_proposal(ws, CALL, "P003", conflict=False)
    path = tmp_path / "scores.csv"
    path.write_text(
        "proposal,criterion,value,justification\n"
        f"P003,recipients,0.8,{WHY}\n"
        f"P003,impact,0.8,{WHY}\n",
        encoding="utf-8",
    )
    from app.services.errors import ImportRefusedError

    with pytest.raises(ImportRefusedError) as caught:
        import_scores(ws, CALL, path)
    problems = {p.where: p.message for p in caught.value.problems}
    assert any("criterion" in where and "3" in where for where in problems), problems
    assert "recipients, measurability" in " ".join(problems.values())
    assert score_sheet(ws, CALL, "P003").status == "to_score"


def test_the_office_refuses_a_bundle_scoring_the_parent_or_missing_a_leaf(office: Office) -> None:
    from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
    from app.services.bundle_content import BundleRefusedError
    from tests.support.bundle_factory import member_head

    member = KeyPair.generate()
    from app.services.roster import enroll_member

    enroll_member(
        office.secretariat, CALL, name="Elena Colombo", email="", public_keys=member.public
    )
    publish_call(office.secretariat, CALL)
    with office.secretariat.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        from app.services.calls import get_call

        call = get_call(session, CALL)
        grid_hash, sequence = call.grid_hash, call.package_sequence
        admissible = [p.code for p in call_proposals(session)]

    def bundle(keys_for: dict[str, tuple[str, ...]]) -> bytes:
        scores = [
            BundleScore(code, key, Decimal("0.8"), WHY, NOW)
            for code in admissible
            for key in keys_for.get(code, LEAF_KEYS)
        ]
        return ScoreBundle.build(
            call_id=CALL, grid_hash=grid_hash, package_sequence=sequence, sequence=1,
            previous=None, author=member, recipient_key_id=keys.public.key_id,
            recipient_sealing_key=keys.public.sealing, general_text_version="2020-1",
            general_declared_at=NOW,
            declarations=[BundleDeclaration(c, False, None, "", NOW) for c in admissible],
            scores=scores, audit_head=member_head(member, 1),
        )[1]  # fmt: skip

    parent = ("innovation", "impact", "coherence", "sustainability", "community")
    with pytest.raises(BundleRefusedError, match="«impact»"):
        accept_score_bundle(office.secretariat, bundle({admissible[0]: parent}))
    missing = tuple(k for k in LEAF_KEYS if k != "measurability")
    with pytest.raises(BundleRefusedError, match="Misurabilità"):
        accept_score_bundle(office.secretariat, bundle({admissible[0]: missing}))
    assert ranking_view(office.secretariat, CALL).bundles == ()
    accept_score_bundle(office.secretariat, bundle({}))


def call_proposals(session):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.models import Proposal

    return session.scalars(
        select(Proposal)
        .where(Proposal.call_id == CALL, Proposal.admissible)
        .order_by(Proposal.code)
    ).all()


def test_ranking_and_minutes_show_both_levels(office: Office) -> None:
    for name, ws in office.members.items():
        _score_everything(ws, name)
        accept_score_bundle(office.secretariat, submit(ws, CALL).copy.read_bytes())
    view = ranking_view(office.secretariat, CALL)
    excluded = {e.proposal: e for e in view.excluded}
    assert excluded["P001"].reason == "below_criterion_floor"
    assert excluded["P001"].criteria["recipients"] == Decimal("3.00")
    p002 = next(r for r in view.rows if r.proposal == "P002")
    assert (p002.criteria["impact"], p002.criteria["measurability"]) == (
        Decimal("21.00"),
        Decimal("9.00"),
    )
    assert p002.flags == ("measurability",)
    # 0.8 everywhere: 80; P002 loses 0.2 · 15 = 3 on measurability: 77.
    assert p002.total == Decimal("77.00")
    # The drill-down: the criterion with its points, its parts with the spread.
    from app.services.ranking import drill_down

    detail = {c.key: c for c in drill_down(office.secretariat, CALL, "P002").criteria}
    assert list(detail)[1:4] == ["impact", "recipients", "measurability"]
    assert detail["impact"].points == Decimal("21.00") and not detail["impact"].scored
    spread = detail["measurability"]
    assert spread.flagged and spread.scored
    assert (spread.lowest, spread.highest) == (Decimal("0.2"), Decimal("1"))
    record_sitting(office.secretariat, CALL)
    approve_ranking(office.secretariat, CALL)
    minutes = minutes_view(office.secretariat, CALL)
    assert minutes.rules.has_subcriteria
    pdf = ARTIFACTS / "minutes-subcriteria.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf.write_bytes(make_minutes(office.secretariat, CALL).content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    # The grid: the criterion, then its sub-criteria numbered 2.1 and 2.2.
    assert "2.1 Destinatari raggiunti" in flat and "2.2 Misurabilità dell'impatto" in flat
    # The rule in words, with the split.
    assert "sotto-criteri" in flat
    assert "«Destinatari raggiunti» (15) + «Misurabilità dell'impatto» (15)" in flat
    # Per proposal: the criterion's points and each sub-criterion's.
    assert "– Misurabilità dell'impatto ⚑ 15,00 9,00" in flat
    assert "Impatto sociale sul territorio e sui destinatari 30,00 21,00" in flat
    # The exclusion names the sub-criterion and its numbers.
    assert "«Destinatari raggiunti» 3,00 < minimo 6" in flat
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "minutes-subcriteria")],
            check=True,
        )
