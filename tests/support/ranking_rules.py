"""Calls for the rules a call declares (issue 13), built from the fixture call
through the real services: the tie of P001 and P003 (80 points each) behind
P002 (100), and the proposals file with the order of submission."""

from __future__ import annotations

import csv
from pathlib import Path

from app.services.calls import create_call
from app.services.unlocking import OpenWorkspace
from tests.support.commission import FIXTURES, uniform

TIED = {"P001": uniform("0.8"), "P003": uniform("0.8"), "P002": uniform("1")}
CASCADE = 'tie_break = ["impact", "innovation", "lower_request", "lottery"]'


def make_call(
    ws: OpenWorkspace,
    call_id: str,
    *,
    ties: str = "full_order",
    fund: str = "550000.00",
    tie_break: str = '["lottery"]',
) -> str:
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{call_id}"', 1)
    text = text.replace(CASCADE, f"tie_break = {tie_break}\nties = {ties!r}".replace("'", '"'))
    text = text.replace('fund = "550000.00"', f'fund = "{fund}"')
    create_call(ws, text)
    return call_id


def proposals_csv(path: Path, extra: dict[str, dict[str, str]] | None) -> Path:
    """The fixture proposals, with the columns ``extra`` gives per proposal."""
    with (FIXTURES / "proposals.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0])
    if extra is not None:
        columns += ["protocol", "submitted_at"]
        for row in rows:
            row.update(extra.get(row["id"], {"protocol": "", "submitted_at": ""}))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def ordered(n: int, when: str) -> dict[str, str]:
    return {"protocol": str(n), "submitted_at": when}


EVERY_ORDER = {
    code: ordered(index + 1, f"2020-07-1{index % 5} 1{index % 10}:00")
    for index, code in enumerate(f"P{n:03d}" for n in range(1, 41))
} | {
    "P001": ordered(90, "10/07/2020 12:30"),
    "P003": ordered(91, "2020-07-10 12:29:59"),  # a second earlier, higher protocol
}


def member_with_call(folder: Path, call_text: str, proposals: Path) -> Path:
    """A member's workspace (passphrase PASSPHRASE) holding ``call_text`` as
    the office published it to them; its home."""
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.proposal_import import import_proposals
    from app.services.publication import publish_call
    from tests.support.published import install_published
    from tests.support.workspaces import make_template

    member, _code = make_template(folder / "member", "member", "Sara Esposito")
    office, _code = make_template(folder / "office", "secretariat", "Segreteria")
    call_id = create_call(office, call_text).call_id
    import_proposals(office, call_id, proposals, FIXTURES / "attachments")
    enroll_cards(office, call_id, [(export_card(member), "member")])
    trust_office(member, export_card(office))
    install_published(member, publish_call(office, call_id))
    office.close()
    member.close()
    return folder / "member"
