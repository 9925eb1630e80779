"""A call taken to its close over a shared folder, with distinctive markers in
everything a member's purge must remove.

``build(folder)`` leaves in ``folder``: ``share/`` (the remote), ``office/``
(the secretariat, which approved the ranking and uploaded its close notice),
``member/`` (who scored both proposals, submitted bundle 1, got its receipt,
then typed a draft motivation and has a migration backup; not yet synced
since the approval) and ``other/`` (a member who never sent anything).
Copies of the folder are independent once :func:`copy` points their
remotes at their own share.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.models import Remote
from app.services.unlocking import OpenWorkspace
from app.store.workspace import load_slots, open_with_key
from tests.support.workspaces import CALL_ID, FIXTURES, PASSPHRASE

CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
CODES = ("P001", "P002")

# Everything the purge removes, one distinctive marker each.
REMOVED = {
    "title": b"TITOLO-ZQX-7341",
    "applicant": b"PROPONENTE-ZQX-8812",
    "legal representative": b"RAPPRESENTANTE-ZQX-5521",
    "partner": b"PARTNER-ZQX-9034",
    "summary": b"SINTESI-ZQX-4410",
    "attachment bytes": b"ALLEGATO-ZQX-6678",
    "other member's name": b"COMPONENTE-ZQX-3309",
    "other member's e-mail": b"altro-zqx-3309@example.org",
    "draft motivation": b"BOZZA-ZQX-2207",
}
# The member's submitted motivations: kept, but only inside the signed bundle.
SUBMITTED = b"MOTIVAZIONE-ZQX-1188"


@dataclass(frozen=True)
class ClosedCall:
    """The folder of the scenario and the raw key of each workspace in it."""

    folder: Path
    keys: dict[str, bytes]

    @property
    def member(self) -> Path:
        return self.folder / "member"

    @property
    def office(self) -> Path:
        return self.folder / "office"

    @property
    def share(self) -> Path:
        return self.folder / "share"

    def open(self, name: str) -> OpenWorkspace:
        home = self.folder / name
        return OpenWorkspace(open_with_key(home, load_slots(home), self.keys[name]))


def _pdf(marker: bytes) -> bytes:
    """Enough of a PDF for the importer, the marker repeated through it."""
    return b"%PDF-1.4\n% " + b" ".join([marker] * 200) + b"\n%%EOF\n"


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    m = {key: value.decode() for key, value in REMOVED.items()}
    rows = [
        "id,title,applicant,applicant_tax_code,legal_representative,partners,neighbourhood,"
        "thematic_area,total_cost,requested_contribution,summary,attachments",
        f"P001,Portinerie {m['title']},Cooperativa {m['applicant']},01234560157,"
        f"Maria {m['legal representative']},Associazione {m['partner']},Corvetto,"
        f'servizi di cura e assistenza,48000.00,28800.00,"Una portineria. {m["summary"]}",'
        "P001.pdf",
        "P002,Officina digitale,Fondazione Lavoro e Futuro,97000120150,Luca Bianchi,,"
        'Quarto Oggiaro,orientamento al lavoro e formazione,72500.00,43500.00,"Laboratori.",',
    ]
    (folder / "proposals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "P001.pdf").write_bytes(_pdf(REMOVED["attachment bytes"]))
    return folder


def build(folder: Path) -> ClosedCall:
    """The whole story up to the office's close notice on the share."""
    from app.services.calls import create_call
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.declarations import declare_general, declare_proposal
    from app.services.exchange import sync
    from app.services.proposal_import import import_proposals
    from app.services.ranking import approve_ranking
    from app.services.remotes import set_remote
    from app.services.scores import save_scores
    from app.services.submission import submit
    from app.services.workspace import create_workspace
    from app.store.database import backup_into

    share = folder / "share"
    share.mkdir(parents=True)
    made = {
        name: create_workspace(
            folder / name, role=role, name=person, email=email, passphrase=PASSPHRASE,
            use_keyring=False,
        )
        for name, role, person, email in (
            ("office", "secretariat", "Segreteria tecnica", ""),
            ("member", "member", "Sara Esposito", ""),
            ("other", "member", REMOVED["other member's name"].decode(),
             REMOVED["other member's e-mail"].decode()),
        )
    }  # fmt: skip
    office, member, other = (made[n].workspace for n in ("office", "member", "other"))
    keys = {name: made[name].workspace.store.raw_key for name in made}
    inputs = _inputs(folder / "input")
    create_call(office, (FIXTURES / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, inputs / "proposals.csv", inputs)
    enroll_cards(office, CALL_ID, [(export_card(ws), "member") for ws in (member, other)])
    trust_office(member, export_card(office))
    for ws in (office, member):
        set_remote(ws, CALL_ID, str(share))
    from app.services.publication import publish_call

    publish_call(office, CALL_ID)
    sync(office)
    sync(member)

    declare_general(member, CALL_ID)
    why = SUBMITTED.decode()
    for code in CODES:
        declare_proposal(member, CALL_ID, code, conflict=False)
        save_scores(
            member,
            CALL_ID,
            code,
            values=dict.fromkeys(CRITERIA, Decimal("0.8")),
            justifications={key: f"{why} {code} {key}: solida." for key in CRITERIA},
        )
    submit(member, CALL_ID)
    sync(member)
    sync(office)  # takes bundle 1 in, answers with its receipt
    sync(member)  # takes the receipt in
    draft = REMOVED["draft motivation"].decode()
    save_scores(member, CALL_ID, "P001", justifications={"impact": f"{draft}: da rivedere."})
    backups = member.home / "backups"
    backups.mkdir(mode=0o700)
    backup_into(member.store.engine, backups / "vaglio-0007-before-0008-20260301T090000Z.db")

    from tests.support.minutes import record_sitting

    record_sitting(office, CALL_ID)
    approve_ranking(office, CALL_ID)
    sync(office)  # uploads the close notice
    for ws in (office, member, other):
        ws.close()
    return ClosedCall(folder, keys)


def copy(template: ClosedCall, target: Path) -> ClosedCall:
    """An independent copy of the scenario whose remotes point at its own share."""
    shutil.copytree(template.folder, target)
    scenario = ClosedCall(target, template.keys)
    for name in ("office", "member"):
        with scenario.open(name) as ws, ws.session() as session:
            for remote in session.scalars(select(Remote)):
                remote.destination = str(scenario.share)
    return scenario
