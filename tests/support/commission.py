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

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.bundles.envelopes import SCORE_BUNDLE
from app.bundles.score_bundle import BundleDeclaration, BundleScore, ScoreBundle
from app.crypto import dsse
from app.crypto import seal as sealing
from app.crypto.keys import KeyPair
from app.models import Proposal
from app.services.calls import create_call, get_call
from app.services.intake import IntakeResult, accept_score_bundle
from app.services.proposal_import import import_proposals
from app.services.publication import publish_call
from app.services.roster import enroll_member
from app.services.unlocking import OpenWorkspace
from app.services.workspace import own_identity
from tests.support.bundle_factory import NOW, WHY, member_head, member_link

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
            audit_head=member_head(member, 1),
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


def complete_college_call(ws: OpenWorkspace, call_id: str = "MI-CC-COLLEGIO") -> str:
    """The fixture call again, with a complete college (collegio perfetto)."""
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{call_id}"', 1)
    text = text.replace("[scoring]\n", '[scoring]\ncollege = "complete"\n', 1)
    create_call(ws, text)
    import_proposals(ws, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    return call_id


class Commission:
    """Members and substitutes whose keys the test holds, sending real bundles
    one after the other (each links to the previous one)."""

    def __init__(self, ws: OpenWorkspace, call_id: str) -> None:
        self.ws, self.call_id = ws, call_id
        self.keys: dict[str, KeyPair] = {}
        self.sent: dict[str, tuple[int, str]] = {}

    def enrol(self, name: str, role: str = "member") -> KeyPair:
        keys = self.keys[name] = KeyPair.generate()
        enroll_member(
            self.ws, self.call_id, name=name, email="", public_keys=keys.public,
            commission_role=role,
        )  # fmt: skip
        return keys

    def publish(self) -> None:
        publish_call(self.ws, self.call_id)

    def bundle(self, name: str, sheet: Sheet, *, conflict_reason: str = "") -> tuple[str, bytes]:
        """``name``'s next bundle (its payload hash, its sealed bytes): exactly
        the proposals of ``sheet``."""
        with self.ws.session() as session:
            identity = own_identity(session)
            office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
            call = get_call(session, self.call_id)
            grid_hash, package = call.grid_hash, call.package_sequence
        sequence, previous = self.sent.get(name, (0, None))
        reason = conflict_reason or "Consulente del proponente."
        bundle, sealed = ScoreBundle.build(
            call_id=self.call_id,
            grid_hash=grid_hash,
            package_sequence=package,
            sequence=sequence + 1,
            previous=previous,
            author=self.keys[name],
            recipient_key_id=office.public.key_id,
            recipient_sealing_key=office.public.sealing,
            general_text_version="2020-1",
            general_declared_at=NOW,
            declarations=[
                BundleDeclaration(p, True, "professional", reason, NOW)
                if values == CONFLICT
                else BundleDeclaration(p, False, None, "", NOW)
                for p, values in sheet.items()
            ],
            scores=[
                BundleScore(p, key, Decimal(value), WHY, NOW)
                for p, values in sheet.items()
                if values != CONFLICT
                for key, value in values.items()  # type: ignore[union-attr]
            ],
            audit_head=member_head(self.keys[name], sequence + 1),
            audit_link=member_link(self.keys[name], sequence + 1),
        )
        return bundle.payload_hash, sealed

    def seal(self, name: str, document: dict[str, Any]) -> bytes:
        """Any payload ``document``, signed with ``name``'s key and sealed to the office."""
        with self.ws.session() as session:
            identity = own_identity(session)
            office = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        envelope = dsse.sign(SCORE_BUNDLE, json.dumps(document).encode(), self.keys[name])
        return sealing.seal(
            envelope,
            call_id=self.call_id,
            purpose="score-bundle",
            recipients=[sealing.Recipient(office.public.key_id, office.public.sealing)],
        )

    def document(self, name: str, sheet: Sheet) -> dict[str, Any]:
        """The payload of ``name``'s next bundle, to alter before :meth:`seal`."""
        with self.ws.session() as session:
            identity = own_identity(session)
            key_id, private = identity.key_id, identity.sealing_private_key
        opened = sealing.parse(self.bundle(name, sheet)[1], max_size=1 << 26).open(key_id, private)
        document: dict[str, Any] = json.loads(dsse.parse(opened, max_size=1 << 26).payload)
        return document

    def send(self, name: str, sheet: Sheet, *, conflict_reason: str = "") -> IntakeResult:
        """Deliver ``name``'s next bundle through the real intake."""
        payload_hash, sealed = self.bundle(name, sheet, conflict_reason=conflict_reason)
        result = accept_score_bundle(self.ws, sealed)
        self.sent[name] = (self.sent.get(name, (0, ""))[0] + 1, payload_hash)
        return result
