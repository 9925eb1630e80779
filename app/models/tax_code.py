"""Italian tax codes: codice fiscale (16 characters) and partita IVA (11 digits).

Associations and foundations have an 11-digit numeric codice fiscale, checked
like a partita IVA. python-stdnum checks the check character and, for a
person's code, that the birth date it encodes exists; whether the code was
ever issued is for the Agenzia delle Entrate.
"""

from __future__ import annotations

import re

from stdnum.it import codicefiscale


def normalise(code: str) -> str:
    """Upper case, without spaces."""
    return re.sub(r"\s", "", code).upper()


def is_valid_tax_code(code: str) -> bool:
    """True if ``code`` is a well-formed codice fiscale or partita IVA."""
    return bool(codicefiscale.is_valid(normalise(code)))
