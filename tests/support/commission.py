"""A commission whose scores the test chooses, delivered to the city office
as real signed and sealed bundles through the real intake.

``deliver(ws, call_id, sheets)`` enrols one member per entry of ``sheets``
and accepts one bundle from each. A sheet maps a proposal id to the values
the member gives it (``{"impact": "0.8", …}``, every criterion the test
names) or to ``CONFLICT``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto.keys import KeyPair
from app.services.calls import create_call, get_call
from app.services.intake import accept_score_bundle
from app.services.proposal_import import import_proposals
from app.services.roster import enroll_member
from app.services.workspace import own_identity
from app.store.workspace import Workspace
from tests.support.bundle_factory import NOW, WHY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONFLICT = "conflict"
Sheet = dict[str, dict[str, str] | str]


def uniform(value: str, keys: tuple[str, ...] = (
    "innovation", "impact", "coherence", "sustainability", "community",
)) -> dict[str, str]:  # fmt: skip
    """The same value on every criterion of the fixture call."""
    return dict.fromkeys(keys, value)


def deliver(ws: Workspace, call_id: str, sheets: dict[str, Sheet]) -> dict[str, KeyPair]:
    """Enrol a member per sheet and take in one bundle from each; their keys."""
    with ws.session() as session:
        identity = own_identity(session)
        office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        grid_hash = get_call(session, call_id).grid_hash
    keys: dict[str, KeyPair] = {}
    for name, sheet in sheets.items():
        member = KeyPair.generate()
        keys[name] = member
        enroll_member(ws, call_id, name=name, email="", public_keys=member.public)
        declarations = [
            BundleDeclaration(p, True, "professional", "Consulente del proponente.", NOW)
            if values == CONFLICT
            else BundleDeclaration(p, False, None, "", NOW)
            for p, values in sheet.items()
        ]
        scores = [
            BundleScore(p, key, Decimal(value), WHY, NOW)
            for p, values in sheet.items()
            if values != CONFLICT
            for key, value in values.items()  # type: ignore[union-attr]
        ]
        _bundle, sealed = ScoreBundle.build(
            call_id=call_id,
            grid_hash=grid_hash,
            package_sequence=1,
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


def lottery_call(ws: Workspace, call_id: str = "MI-CC-SORTEGGIO") -> str:
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
