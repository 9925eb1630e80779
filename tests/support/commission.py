"""A commission whose scores the test chooses, delivered to the city office
as real signed and sealed bundles through the real intake.

``deliver(ws, call_id, sheets)`` enrols one member per entry of ``sheets``,
publishes the call package to them and accepts one bundle from each. A sheet
maps a proposal id to the values the member gives it (``{"impact": "0.8", …}``,
every criterion of the call) or to ``CONFLICT``. The office accepts only
complete sheets, so an admissible proposal a sheet does not name is declared
in conflict ("not in this scenario"): like a proposal nobody scored, it
misses the quorum.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto.keys import KeyPair
from app.models import Proposal
from app.services.calls import create_call, get_call
from app.services.intake import accept_score_bundle
from app.services.proposal_import import import_proposals
from app.services.publication import publish_call
from app.services.roster import enroll_member
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from tests.support.bundle_factory import NOW, WHY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONFLICT = "conflict"
OUT_OF_SCENARIO = "out of scenario"
Sheet = dict[str, dict[str, str] | str]


def uniform(value: str, keys: tuple[str, ...] = (
    "innovation", "impact", "coherence", "sustainability", "community",
)) -> dict[str, str]:  # fmt: skip
    """The same value on every criterion of the fixture call."""
    return dict.fromkeys(keys, value)


def deliver(ws: OpenWorkspace, call_id: str, sheets: dict[str, Sheet]) -> dict[str, KeyPair]:
    """Enrol a member per sheet and take in one bundle from each; their keys."""
    keys = {name: KeyPair.generate() for name in sheets}
    for name, member in keys.items():
        enroll_member(ws, call_id, name=name, email="", public_keys=member.public)
    publish_call(ws, call_id)
    with ws.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        call = get_call(session, call_id)
        grid_hash, package = call.grid_hash, call.package_sequence
        admissible = session.scalars(
            select(Proposal.code).where(Proposal.call_id == call_id, Proposal.admissible)
        ).all()
    for name, given in sheets.items():
        member = keys[name]
        sheet = {code: given.get(code, OUT_OF_SCENARIO) for code in admissible} | given
        declarations = [
            BundleDeclaration(p, True, "other", "Non valutata in questo scenario di prova.", NOW)
            if values == OUT_OF_SCENARIO
            else BundleDeclaration(p, True, "professional", "Consulente del proponente.", NOW)
            if values == CONFLICT
            else BundleDeclaration(p, False, None, "", NOW)
            for p, values in sheet.items()
        ]
        scores = [
            BundleScore(p, key, Decimal(value), WHY, NOW)
            for p, values in sheet.items()
            if values not in (CONFLICT, OUT_OF_SCENARIO)
            for key, value in values.items()  # type: ignore[union-attr]
        ]
        _bundle, sealed = ScoreBundle.build(
            call_id=call_id,
            grid_hash=grid_hash,
            package_sequence=package,
            sequence=1,
            previous=None,
            author=member,
            recipient_key_id=office.public.key_id,
            recipient_sealing_key=office.public.sealing,
            general_text_version="2020-1",
            general_declared_at=NOW,
            declarations=declarations,
            scores=scores,
        )
        accept_score_bundle(ws, sealed)
    return keys


def lottery_call(ws: OpenWorkspace, call_id: str = "MI-CC-SORTEGGIO") -> str:
    """The fixture call again, with the lottery as its only tie-break."""
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{call_id}"', 1)
    text = text.replace(
        'tie_break = ["impact", "innovation", "lower_request", "lottery"]',
        'tie_break = ["lottery"]',
    )
    create_call(ws, text)
    import_proposals(ws, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    return call_id
