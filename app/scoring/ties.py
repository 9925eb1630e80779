"""Ties in the graduatoria: the call's cascade, pari merito and the lottery.

Proposals are ordered by published total, higher first. Equal totals are a
tie, settled as the call says (``scoring.ties``):

- ``full_order`` (the default, today's rule): the cascade always runs — a
  criterion key (higher published points on it first), ``lower_request``
  (lower requested contribution first), ``submission_order`` (earlier
  submission first: the time of submission, then the lower protocol number)
  — and the verifiable lottery settles whatever the cascade leaves tied.
- ``ex_aequo``: tied proposals share a position (pari merito) unless the tie
  **crosses the funding line**; only then does the cascade run, and the
  lottery only if the cascade leaves some of them tied (and the part still
  tied crosses the line itself).

**The funding line.** Each proposal needs the reserve
``min(K, R_i, (1 − α)·B_i)`` (K the cap, R_i its requested contribution, α
the crowd share, B_i its total cost). Walk the ranking in order with the
call's fund F, the way the allocation does: a proposal whose need fits what
is left takes it; one that does not fit stops the walk under
``strict_order`` (nothing is left for anyone after it) and is passed over
under ``skip``. Let ``left`` be what is left when a tied group is reached.
The tie does not cross the line if the group's needs all fit together
(Σ need ≤ left) or none fits (min need > left, or the walk has stopped);
otherwise it crosses, because the order inside the group decides who is
funded. While an earlier crossing tie waits for the lottery, ``left`` is
not known yet, and a later tie is treated as crossing.

Ranks: proposals sharing a position print the same rank, and the next
position counts them all (1, 2, 2, 4). A tie waiting for the lottery number
shares a provisional rank the same way and is marked pending.

The lottery: seed = SHA-256(call id ‖ publicly drawn number ‖ sorted tied
ids), then a Fisher–Yates shuffle driven by SHA-256(seed ‖ counter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any, Protocol

from app.errors import VaglioError
from app.i18n import _
from app.models.rules import EX_AEQUO, LOWER_REQUEST, SUBMISSION_ORDER, Grid, Matchfunding

# How a place was decided besides the total (``RankedProposal.decided_by``).
PENDING, LOTTERY_DRAWN, SHARED = "pending", "lottery", "ex_aequo"


class Candidate(Protocol):
    """What the cascade and the funding line read of a proposal."""

    @property
    def id(self) -> str: ...
    @property
    def requested_contribution(self) -> Decimal: ...
    @property
    def total_cost(self) -> Decimal: ...
    @property
    def protocol(self) -> int | None: ...
    @property
    def submitted_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True)
class Entry:
    """A proposal admitted to the ranking, with its published figures."""

    proposal: Any  # a Candidate
    total: Decimal
    criteria: dict[str, Decimal]


@dataclass(frozen=True)
class Lottery:
    """A lottery drawn among tied proposals: everything needed to check it."""

    number: str
    tied: tuple[str, ...]  # sorted ids
    seed: str  # hex SHA-256
    order: tuple[str, ...]  # the drawn order


@dataclass(frozen=True)
class Place:
    """A proposal's place: its rank (shared by pari merito and pending ties)
    and the tie-break level that decided it ("" if its total alone did)."""

    proposal: str
    rank: int
    decided_by: str


class SubmissionOrderMissingError(VaglioError):
    """The cascade names the order of submission, but some ranked proposals lack it."""

    def __init__(self, proposals: Sequence[str]) -> None:
        self.proposals = tuple(proposals)
        super().__init__(
            _(
                "The call breaks ties by order of submission, but these ranked proposals "
                "have no protocol number or time of submission: {proposals}. No ranking is "
                "computed without them: they come with the proposals' import (columns "
                "protocol and submitted_at)."
            ).format(proposals=", ".join(self.proposals))
        )


def lottery_seed(call_id: str, number: str, tied: Iterable[str]) -> str:
    """SHA-256(call id ‖ publicly drawn number ‖ sorted tied ids), in hex.

    The parts are UTF-8 and separated by a newline: ``call_id \\n number \\n
    id1,id2,…`` with the ids sorted as strings.
    """
    text = f"{call_id}\n{number}\n{','.join(sorted(tied))}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _uniform(seed: bytes, counter: int, bound: int) -> tuple[int, int]:
    """An integer uniform in [0, bound) from SHA-256(seed ‖ counter), by rejection."""
    limit = (2**256 // bound) * bound
    while True:
        value = int.from_bytes(hashlib.sha256(seed + counter.to_bytes(8, "big")).digest(), "big")
        counter += 1
        if value < limit:
            return value % bound, counter


def shuffle(seed_hex: str, items: Sequence[str]) -> tuple[str, ...]:
    """Fisher–Yates shuffle of ``items`` (sorted first) driven by the seed.

    For i from n−1 down to 1, j = U(0..i) from SHA-256(seed ‖ counter) with a
    64-bit big-endian counter starting at 0 (rejection sampling), then swap.
    """
    order = sorted(items)
    seed = bytes.fromhex(seed_hex)
    counter = 0
    for i in range(len(order) - 1, 0, -1):
        j, counter = _uniform(seed, counter, i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


def need(rule: Matchfunding, proposal: Candidate) -> Decimal:
    """The reserve the walk sets aside for ``proposal``: min(K, R_i, (1 − α)·B_i)."""
    return min(rule.max_contribution(proposal.total_cost), proposal.requested_contribution)


def missing_submission_order(grid: Grid, entries: Iterable[Entry]) -> list[str]:
    """The ranked proposals the cascade cannot order by submission (sorted ids)."""
    if SUBMISSION_ORDER not in grid.cascade:
        return []
    return sorted(
        e.proposal.id
        for e in entries
        if e.proposal.protocol is None or e.proposal.submitted_at is None
    )


def tie_key(entry: Entry, level: str) -> tuple[Any, ...]:
    """The key a cascade level sorts a tied group by (smaller first)."""
    proposal = entry.proposal
    if level == LOWER_REQUEST:
        return (proposal.requested_contribution,)
    if level == SUBMISSION_ORDER:
        return (proposal.submitted_at, proposal.protocol)
    return (-entry.criteria.get(level, Decimal(0)),)


class FundingWalk:
    """The fund left while walking the ranking (the funding line of ``ex_aequo``)."""

    def __init__(self, rule: Matchfunding) -> None:
        self.rule = rule
        self.left = rule.fund
        self.stopped = False  # strict order met a project that did not fit
        self.known = True  # False after a crossing tie still waiting for the lottery

    def crosses(self, group: Sequence[Entry]) -> bool:
        """Whether the order inside ``group``, reached now, decides who is funded."""
        if not self.known:
            return True
        if self.stopped:
            return False
        needs = [need(self.rule, e.proposal) for e in group]
        return not (sum(needs, Decimal(0)) <= self.left or min(needs) > self.left)

    def take(self, group: Sequence[Entry]) -> None:
        """Walk past ``group`` in order (a shared or pending group: in any order)."""
        for entry in group:
            amount = need(self.rule, entry.proposal)
            if self.stopped:
                return
            if amount <= self.left:
                self.left -= amount
            elif self.rule.allocation == "strict_order":
                self.stopped = True


def order(
    grid: Grid,
    call_id: str,
    entries: list[Entry],
    lottery_number: str | None,
    funding: Matchfunding | None = None,
) -> tuple[list[Place], list[Lottery], list[tuple[str, ...]]]:
    """The places of ``entries``, the lotteries drawn and the ties waiting for one."""
    ex_aequo = grid.ties == EX_AEQUO
    if ex_aequo and funding is None:
        raise ValueError("ex_aequo needs the matchfunding rule to find the funding line")
    walk = FundingWalk(funding) if funding is not None else None
    levels = list(grid.cascade)
    lotteries: list[Lottery] = []
    pending: list[tuple[str, ...]] = []
    places: list[Place] = []

    def emit(group: Sequence[Entry], decided_by: str, shared: bool) -> None:
        position = len(places) + 1
        for index, entry in enumerate(group):
            rank = position if shared else position + index
            places.append(Place(entry.proposal.id, rank, decided_by))
        if walk is not None:
            if decided_by == PENDING and ex_aequo:
                walk.known = False
            walk.take(group)

    def settle(group: list[Entry], depth: int) -> None:
        if len(group) == 1:
            emit(group, levels[depth - 1] if depth else "", False)
            return
        if ex_aequo and walk is not None and not walk.crosses(group):
            emit(sorted(group, key=lambda e: e.proposal.id), SHARED, True)
            return
        if depth < len(levels):
            level = levels[depth]
            key: Callable[[Entry], tuple[Any, ...]] = lambda e: tie_key(e, level)  # noqa: E731
            ordered = sorted(group, key=lambda e: (key(e), e.proposal.id))
            for _key, same in groupby(ordered, key=key):
                settle(list(same), depth + 1)
            return
        ids = tuple(sorted(e.proposal.id for e in group))
        by_id = {e.proposal.id: e for e in group}
        if lottery_number is not None:
            seed = lottery_seed(call_id, lottery_number, ids)
            drawn = shuffle(seed, ids)
            lotteries.append(Lottery(lottery_number, ids, seed, drawn))
            emit([by_id[pid] for pid in drawn], LOTTERY_DRAWN, False)
            return
        pending.append(ids)
        emit([by_id[pid] for pid in ids], PENDING, True)

    ordered = sorted(entries, key=lambda e: (-e.total, e.proposal.id))
    for _total, group in groupby(ordered, key=lambda e: e.total):
        settle(list(group), 0)
    return places, lotteries, pending
