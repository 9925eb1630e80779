"""A call whose "Impatto sociale 30" is scored as "destinatari 15 +
misurabilità 15": the example call, with floors at both levels."""

from __future__ import annotations

from pathlib import Path

from tests.support.workspaces import FIXTURES, Template, close_template, make_template

EXAMPLE = (FIXTURES / "call.toml").read_text(encoding="utf-8")

IMPACT = """max_points = "30"
min_points = "12"
"""

IMPACT_WITH_SUBCRITERIA = """max_points = "30"
min_points = "12"

[[criteria.sub]]
key = "recipients"
title = "Destinatari raggiunti"
description = "Quante persone e quali gruppi il progetto raggiunge."
max_points = "15"
min_points = "6"

[[criteria.sub]]
key = "measurability"
title = "Misurabilità dell'impatto"
max_points = "15"
"""

assert EXAMPLE.count(IMPACT) == 1
SUBCRITERIA_CALL = EXAMPLE.replace(IMPACT, IMPACT_WITH_SUBCRITERIA)
LEAF_KEYS = (
    "innovation",
    "recipients",
    "measurability",
    "coherence",
    "sustainability",
    "community",
)


def member_with_subcriteria_call(folder: Path) -> Template:
    """A member's workspace holding SUBCRITERIA_CALL and the fixture proposals,
    delivered in a real package, with a second member on the roster."""
    from app.services.calls import create_call
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.proposal_import import import_proposals
    from app.services.publication import publish_call
    from tests.support.published import install_published

    member, code = make_template(folder / "member", "member", "Sara Esposito")
    other, _other_code = make_template(folder / "other", "member", "Marco Ferrari")
    secretariat, _code = make_template(folder / "secretariat", "secretariat", "Segreteria")
    call_id = create_call(secretariat, SUBCRITERIA_CALL).call_id
    import_proposals(secretariat, call_id, FIXTURES / "proposals.csv", FIXTURES / "attachments")
    enroll_cards(secretariat, call_id, [(export_card(ws), "member") for ws in (member, other)])
    trust_office(member, export_card(secretariat))
    install_published(member, publish_call(secretariat, call_id))
    secretariat.close()
    other.close()
    return close_template(member, code)
