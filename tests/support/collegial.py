"""A small collegial call (method "collegial") with three members' real bundles.

The fixture call of tests/fixtures (five criteria: innovation 25, impact 30
with a floor of 12, coherence 15, sustainability 20, community 10; threshold
60; quorum 3), with ``method = "collegial"``. Anna Neri, Bruno Galli and
Carla Riva send one bundle each; Carla is in conflict on P003, so P003 misses
the quorum. One sitting is recorded the day before the suite's day, with Anna
and Bruno present.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import clock
from app.services.calls import create_call
from app.services.proposal_import import import_proposals
from app.services.sittings import add_sitting
from app.services.unlocking import OpenWorkspace
from tests.support.commission import CONFLICT, FIXTURES, deliver, uniform

COLLEGIAL_CALL = "MI-CC-COLLEGIALE"
ANNA, BRUNO, CARLA = "Anna Neri", "Bruno Galli", "Carla Riva"
MOTIVATION = "Proposta discussa in seduta: rete solida e obiettivi misurabili."


def collegial_text(call_id: str = COLLEGIAL_CALL, *, individual: bool = False) -> str:
    text = (FIXTURES / "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{call_id}"', 1)
    text = text.replace('method = "coefficients"', 'method = "collegial"', 1)
    if individual:
        text = text.replace(
            "individual_scores_in_minutes = false", "individual_scores_in_minutes = true"
        )
    return text


def sitting_day() -> dt.date:
    return clock.today_in_rome() - dt.timedelta(days=1)


def collegial_commission(ws: OpenWorkspace, *, individual: bool = False) -> int:
    """The call, its proposals, three members' bundles and one sitting; its id."""
    create_call(ws, collegial_text(individual=individual))
    import_proposals(ws, COLLEGIAL_CALL, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    p002_carla = uniform("0.8") | {"innovation": "0.2"}
    deliver(
        ws,
        COLLEGIAL_CALL,
        {
            ANNA: {"P001": uniform("0.6"), "P002": uniform("0.8"), "P003": uniform("0.6"),
                   "P004": uniform("0.4"), "P005": uniform("0.8")},
            BRUNO: {"P001": uniform("1"), "P002": uniform("0.8"), "P003": uniform("0.6"),
                    "P004": uniform("0.4"), "P005": uniform("0.8")},
            CARLA: {"P001": uniform("0.8"), "P002": p002_carla, "P003": CONFLICT,
                    "P004": uniform("0.4"), "P005": uniform("0.8")},
        },
    )  # fmt: skip
    return add_sitting(
        ws, COLLEGIAL_CALL, held_on=sitting_day(), starts_at="09:30", ends_at="12:00",
        place="Sala Alessi", present=[ANNA, BRUNO], absent=[CARLA], secretary="Elena Ferri",
    ).sitting.id  # fmt: skip


# The agreed coefficients of the hand-computed fixture (docs/collegial.md).
AGREED = {
    "P001": {"innovation": "0.8", "impact": "0.6", "coherence": "1", "sustainability": "0.4",
             "community": "0.8"},  # 20 + 18 + 15 + 8 + 8 = 69
    "P002": {"innovation": "1", "impact": "0.8", "coherence": "0.8", "sustainability": "0.6",
             "community": "0.6"},  # 25 + 24 + 12 + 12 + 6 = 79
    "P004": dict.fromkeys(("innovation", "impact", "coherence", "sustainability", "community"),
                          "0.4"),  # 40: below the threshold of 60
    "P005": {"innovation": "0.6"},  # the rest still to agree
}  # fmt: skip


def record_agreed(ws: OpenWorkspace, sitting: int) -> None:
    """Record :data:`AGREED`: unanimous, except P001's innovation (Bruno Galli against)."""
    from app.services.collegial import record_collegial

    for proposal, values in AGREED.items():
        for key, value in values.items():
            majority = (proposal, key) == ("P001", "innovation")
            record_collegial(
                ws, COLLEGIAL_CALL, proposal, key, value=value, motivation=MOTIVATION,
                vote="majority" if majority else "unanimous",
                dissent=[BRUNO] if majority else [], sitting=sitting,
            )  # fmt: skip


def member_with_collegial_call(folder: Path) -> tuple[Path, bytes]:
    """A member's workspace (Sara Esposito) holding the collegial call as the
    office delivered it; its home and raw key."""
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.publication import publish_call
    from tests.support.published import install_published
    from tests.support.workspaces import close_template, make_template

    member, code = make_template(folder / "member", "member", "Sara Esposito")
    office, _code = make_template(folder / "secretariat", "secretariat", "Segreteria")
    create_call(office, collegial_text())
    import_proposals(office, COLLEGIAL_CALL, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    enroll_cards(office, COLLEGIAL_CALL, [(export_card(member), "member")])
    trust_office(member, export_card(office))
    install_published(member, publish_call(office, COLLEGIAL_CALL))
    office.close()
    template = close_template(member, code)
    return template.home, template.raw_key
