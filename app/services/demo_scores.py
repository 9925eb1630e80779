"""The demo's commission at work: declarations and scores that look real.

Each proposal gets a hidden "quality" from its id; each member scores around
it, one level up or down, with motivations written from Italian templates.
A few proposals get scores far apart, so that the dispersion flags have
something to show. Deterministic: the same demo every time.
"""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal

from app.services import declarations, member_desk, scores
from app.services.unlocking import OpenWorkspace

LEVELS = (
    Decimal("0"),
    Decimal("0.2"),
    Decimal("0.4"),
    Decimal("0.6"),
    Decimal("0.8"),
    Decimal("1"),
)

_TEMPLATES = {
    "innovation": (
        "L'idea riprende pratiche già presenti nel quartiere e aggiunge poco di nuovo.",
        "Il progetto adatta in modo credibile un modello noto al contesto di {neighbourhood}.",
        "Soluzione originale per {neighbourhood}: unisce servizio e partecipazione in modo nuovo.",
    ),
    "impact": (
        "Destinatari poco definiti e impatto sociale difficile da misurare.",
        "Impatto plausibile sui destinatari, con indicatori da precisare meglio.",
        "Impatto sociale chiaro e misurabile, con destinatari ben individuati nel quartiere.",
    ),
    "coherence": (
        "La coerenza con l'ambito «{area}» è solo parziale.",
        "Proposta coerente con l'ambito «{area}» e con gli obiettivi dell'avviso.",
        "Piena coerenza con l'ambito «{area}» e con l'approccio dell'Asse 3.",
    ),
    "sustainability": (
        "Il piano dei costi è fragile e manca una prospettiva dopo il finanziamento.",
        "Budget ragionevole; la sostenibilità futura dipende da risorse ancora da trovare.",
        "Piano economico solido e realistico, con entrate proprie dopo il primo anno.",
    ),
    "community": (
        "Rete di partner debole, potenziale di raccolta limitato.",
        "Buona rete locale; la campagna potrà contare su alcune comunità attive.",
        "Rete ampia e motivata: ottime prospettive per la campagna di crowdfunding.",
    ),
}


def _quality(proposal_id: str) -> int:
    """A level index from 1 to 5, fixed by the proposal id."""
    return 1 + hashlib.sha256(proposal_id.encode()).digest()[0] % 5


def _motivation(key: str, level: int, neighbourhood: str, area: str) -> str:
    band = 0 if level <= 2 else 1 if level <= 3 else 2
    return _TEMPLATES[key][band].format(neighbourhood=neighbourhood, area=area)


def score_as_member(
    ws: OpenWorkspace,
    call_id: str,
    *,
    seed: str,
    declared: int,
    complete: int,
    partial: int,
    conflict: str | None = None,
) -> None:
    """Declare on the first ``declared`` proposals (by id) and
    score ``complete`` of them fully and ``partial`` more in part."""
    rng = random.Random(seed)
    declarations.declare_general(ws, call_id)
    desk = member_desk.desk(ws, call_id)
    scored = 0
    # In id order, not the member's own review order (seeded by a fresh key):
    # the same scores in every demo.
    for row in sorted(desk.rows, key=lambda r: r.proposal.id)[:declared]:
        proposal = row.proposal
        if not proposal.admissible:
            declarations.declare_proposal(ws, call_id, proposal.id, conflict=False)
            continue
        if proposal.id == conflict:
            declarations.declare_proposal(
                ws,
                call_id,
                proposal.id,
                conflict=True,
                category="professional",
                reason="Ho collaborato con il soggetto proponente negli ultimi tre anni.",
            )
            continue
        declarations.declare_proposal(ws, call_id, proposal.id, conflict=False)
        if scored >= complete + partial:
            continue
        sheet = member_desk.score_sheet(ws, call_id, proposal.id)
        base = _quality(proposal.id)
        keys = list(sheet.grid.leaf_keys)
        if scored >= complete:
            keys = keys[: rng.randint(1, len(keys) - 1)]
        values: dict[str, Decimal | None] = {}
        texts: dict[str, str] = {}
        for key in keys:
            spread = 3 if proposal.id in ("P002", "P019") and seed.endswith("1") else 1
            level = max(0, min(5, base + rng.randint(-spread, spread)))
            values[key] = LEVELS[level]
            texts[key] = _motivation(key, level, proposal.neighbourhood, proposal.thematic_area)
        scores.save_scores(ws, call_id, proposal.id, values=values, justifications=texts)
        scored += 1
