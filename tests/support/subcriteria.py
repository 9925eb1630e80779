"""A call whose "Impatto sociale 30" is scored as "destinatari 15 +
misurabilità 15": the example call, with floors at both levels."""

from __future__ import annotations

from tests.support.workspaces import FIXTURES

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
