"""The demo's second call: the same commission, ten proposals, collegial scores.

Beside the coefficient call of the demo (app/services/demo.py), a call with
``method = "collegial"``: the three full members score alone and send their
signed bundles (the preparatory work), then, in a sitting the secretariat
records, the commission agrees the coefficients of the first six proposals
(one criterion by majority, with the member against named); the others wait,
so the ranking shows them as pending and the approval would name them.
Deterministic, through the same use cases as real work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from app import clock
from app.resources import resource_path
from app.services import calls, cards, exchange, proposal_import, publication, remotes, submission
from app.services.collegial import collegial_sheet, record_collegial
from app.services.demo_scores import score_as_member
from app.services.roster import roster
from app.services.sittings import add_sitting
from app.services.unlocking import OpenWorkspace

COLLEGIAL_CALL = "MI-CC-2020-COLLEGIALE"
PROPOSALS = 10  # the first ten proposals of the demo
AGREED = 6  # the commission has agreed the scores of the first six so far
SITTING_PLACE = "Sala Alessi, Palazzo Marino"
# Who took the minutes of the demo's sittings (segretario verbalizzante).
SECRETARY = "Dott.ssa Chiara Marelli"  # the call's segretario verbalizzante

_WHY = {
    "innovation": "La Commissione valuta il carattere innovativo dopo la discussione in seduta.",
    "impact": "La Commissione condivide la stima dell'impatto sui destinatari del quartiere.",
    "coherence": "La Commissione riconosce la coerenza con gli ambiti e gli obiettivi dell'avviso.",
    "sustainability": "La Commissione esamina insieme budget e sostenibilità futura.",
    "community": "La Commissione valuta la rete dei partner e il potenziale della campagna.",
}


def collegial_text() -> str:
    """The demo call's definition, as a collegial call of the whole commission's quorum."""
    text = resource_path("demo", "call.toml").read_text(encoding="utf-8")
    text = text.replace('id = "MI-CC-2020"', f'id = "{COLLEGIAL_CALL}"', 1)
    text = text.replace(
        'title = "Crowdfunding civico 2020',
        'title = "Crowdfunding civico 2020 (punteggi collegiali)',
        1,
    )
    text = text.replace('method = "coefficients"', 'method = "collegial"', 1)
    return text.replace('college = "complete"', 'college = "quorum"', 1)


def _proposals_file(material: Path) -> Path:
    lines = resource_path("demo", "proposals.csv").read_text(encoding="utf-8").splitlines()
    path = material / "proposte-collegiali.csv"
    path.write_text("\n".join(lines[: PROPOSALS + 1]) + "\n", encoding="utf-8")
    return path


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _record_agreed(secretariat: OpenWorkspace, sitting: int) -> None:
    """The median of the members' coefficients, unanimously; where a member
    stands two levels or more from it, by majority with the farthest against."""
    sheet = collegial_sheet(secretariat, COLLEGIAL_CALL)
    for proposal in sheet.proposals[:AGREED]:
        for criterion in proposal.criteria:
            given = [(name, v) for name, v in criterion.individual if v is not None]
            agreed = _median([v for _name, v in given])
            name, farthest = max(given, key=lambda item: abs(item[1] - agreed))
            against = [name] if abs(farthest - agreed) >= Decimal("0.4") else []
            record_collegial(
                secretariat, COLLEGIAL_CALL, proposal.proposal, criterion.key,
                value=f"{agreed:f}", motivation=_WHY[criterion.key],
                vote="majority" if against else "unanimous", dissent=against, sitting=sitting,
            )  # fmt: skip


def _dated_before_the_main_call(secretariat: OpenWorkspace, call_id: str) -> None:
    """Windows list the newest call first: the demo opens on its main call,
    even when the clock stands still (the test suite's)."""
    from app.models import Call

    with secretariat.session() as session:
        call = session.get(Call, call_id)
        assert call is not None
        call.created_at -= dt.timedelta(minutes=1)


def add_collegial_call(
    secretariat: OpenWorkspace,
    members: list[OpenWorkspace],
    *,
    roles: list[str],
    share: Path,
    material: Path,
    attachments: Path,
) -> str:
    """Create, deliver and evaluate the collegial call; its id."""
    call_id = calls.create_call(secretariat, collegial_text(), "avviso-collegiale.toml").call_id
    _dated_before_the_main_call(secretariat, call_id)
    proposal_import.import_proposals(secretariat, call_id, _proposals_file(material), attachments)
    cards.enroll_cards(
        secretariat,
        call_id,
        [(cards.export_card(m), role) for m, role in zip(members, roles, strict=True)],
    )
    remotes.set_remote(secretariat, call_id, str(share))
    publication.publish_call(secretariat, call_id)
    exchange.sync(secretariat)
    for member in members:
        remotes.set_remote(member, call_id, str(share))
        exchange.sync(member)
    for index, member in enumerate(members, start=1):
        score_as_member(member, call_id, seed=f"collegiale-{index}", declared=PROPOSALS,
                        complete=PROPOSALS, partial=0)  # fmt: skip
        submission.submit(member, call_id)
        exchange.sync(member)
    exchange.sync(secretariat)
    for member in members:
        exchange.sync(member)
    names = [m.name for m in roster(secretariat, call_id)]
    sitting = add_sitting(
        secretariat, call_id, held_on=clock.today_in_rome(), starts_at="09:30", ends_at="12:30",
        place=SITTING_PLACE, present=names, secretary=SECRETARY,
    ).sitting.id  # fmt: skip
    _record_agreed(secretariat, sitting)
    return call_id
