"""What a call asks of the documents Vaglio prints besides the ranking itself:
the members' individual sheets annexed to the minutes, and the extra fields
of the ranking published on the albo pretorio.

Both live in optional sections of the call definition (``[minutes]`` and
``[publication]``); a file without them keeps its meaning (no annex, the
published ranking with the minimal fields). They are not scoring rules: they
never enter the grid hash, so a call's bundles stay valid whatever they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import Problem
from app.models.rules import RulesError, one_of

# The fields a call may add to the published ranking (docs/publication.md).
# Everything else (motivations, members' values, flags) is never published.
PUBLICATION_FIELDS = ("tax_code", "legal_representative")


@dataclass(frozen=True)
class OutputOptions:
    """``[minutes] individual_sheets`` and ``[publication] fields``."""

    individual_sheets_in_minutes: bool = False
    publication_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        for index, name in enumerate(self.publication_fields):
            if name not in PUBLICATION_FIELDS:
                problems.append(
                    Problem(
                        f"publication.fields[{index}]",
                        one_of(PUBLICATION_FIELDS),
                    )
                )
        if problems:
            raise RulesError(problems)

    @property
    def is_default(self) -> bool:
        return self == OutputOptions()
