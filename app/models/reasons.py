"""Why a proposal is not admissible: the codes stored in its row.

The text shown to people is in the services layer
(:mod:`app.services.reason_sentences`, translated); the code is what is stored
and exported. A value module: importing it does not import SQLAlchemy.
"""

from __future__ import annotations

REASON_COST_ABOVE_MAXIMUM = "total_cost_above_maximum"
REASON_REQUEST_ABOVE_RULE = "request_above_matchfunding_rule"
REASON_SET_BY_SECRETARIAT = "set_by_secretariat"
