"""What a use case changed, so each screen decides whether to refresh.

Every service that writes returns a result carrying a :class:`Changes` (as
Anki's ``OpChanges``): a screen showing proposals refreshes when
``changes.proposals`` is set, and ignores the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    """Which kinds of state a use case touched."""

    identity: bool = False
    calls: bool = False
    proposals: bool = False
    roster: bool = False
    declarations: bool = False
    scores: bool = False
    bundles: bool = False
    ranking: bool = False
    funding: bool = False
    sittings: bool = False
    minutes: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def any(self) -> bool:
        """True if anything changed."""
        return any(getattr(self, f.name) for f in fields(self))
