"""An independent reference implementation of the graduatoria, written from
the formulas of docs/rules.md and DESIGN.md "Evaluation rules", for the
differential comparison with ``app.scoring`` (tests/domain/test_ranking_differential.py).

It imports nothing from ``app``: plain dictionaries in, plain tuples out.
Where ``app.scoring`` recurses, this walks with explicit loops; where it
keeps fractions until publication, this does too (the docs require exact
arithmetic until rounding), but with its own rounding and lottery code.

A call (``RefCall``): method ``coefficients`` (P = W·C̄) or ``points`` (P = mean
of the points); quorum per criterion over non-conflicted members who gave a
value; floors and threshold on the published values before re-scaling;
re-scaling ``none``/``criterion``/``total``/``criterion_then_total``;
rounding ``total_of_unrounded``/``sum_of_rounded``; ties ``full_order``/
``ex_aequo`` with the funding line; the cascade (criterion key, lower_request,
submission_order), then the lottery.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass
class RefProposal:
    id: str
    admissible: bool
    request: Decimal
    cost: Decimal
    protocol: int | None = None
    submitted: dt.datetime | None = None


@dataclass
class RefCall:
    call_id: str
    method: str  # "coefficients" | "points"
    weights: dict[str, Decimal]  # key -> W_k, in the call's order
    floors: dict[str, Decimal]  # key -> minimum published points
    threshold: Decimal
    rescale: str
    rounding: str
    ties: str
    quorum: int
    decimals: int
    flag: Decimal
    cascade: list[str]  # without the lottery
    fund: Decimal
    alpha: Decimal
    cap: Decimal
    allocation: str
    proposals: list[RefProposal] = field(default_factory=list)
    # (member, proposal, conflicted, {key: value})
    sheets: list[tuple[str, str, bool, dict[str, Decimal]]] = field(default_factory=list)
    lottery_number: str | None = None


class MissingSubmissionError(Exception):
    pass


def half_up(value: Fraction, places: int) -> Decimal:
    """ROUND_HALF_UP of an exact non-negative fraction, computed via integers."""
    scaled = value * (10**places)
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    units = floor + (1 if rest >= Fraction(1, 2) else 0)
    return Decimal(units).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def seed_of(call_id: str, number: str, ids: list[str]) -> str:
    text = call_id + "\n" + number + "\n" + ",".join(sorted(ids))
    return hashlib.sha256(text.encode()).hexdigest()


def fisher_yates(seed_hex: str, ids: list[str]) -> list[str]:
    items = sorted(ids)
    seed = bytes.fromhex(seed_hex)
    counter = 0
    i = len(items) - 1
    while i >= 1:
        bound = i + 1
        limit = (2**256 // bound) * bound
        while True:
            digest = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
            counter += 1
            value = int.from_bytes(digest, "big")
            if value < limit:
                break
        j = value % bound
        items[i], items[j] = items[j], items[i]
        i -= 1
    return items


def _publish(call: RefCall, points: dict[str, Fraction]) -> tuple[Decimal, dict[str, Decimal]]:
    shown = {k: half_up(points[k], call.decimals) for k in call.weights}
    if call.rounding == "sum_of_rounded":
        total = Decimal(0)
        for k in call.weights:
            total += shown[k]
        total = total.quantize(Decimal(1).scaleb(-call.decimals))
    else:
        total = half_up(sum(points.values(), Fraction(0)), call.decimals)
    return total, shown


def _rescale(call: RefCall, points: dict[str, dict[str, Fraction]]) -> None:
    """In place: re-scaling over the admitted proposals."""
    if not points:
        return
    if call.rescale in ("criterion", "criterion_then_total"):
        for k, w in call.weights.items():
            best = max(p[k] for p in points.values())
            for p in points.values():
                p[k] = Fraction(w) * p[k] / best if best > 0 else Fraction(0)
    if call.rescale in ("total", "criterion_then_total"):
        s_max = Fraction(sum(call.weights.values(), Decimal(0)))
        best = max(sum(p.values(), Fraction(0)) for p in points.values())
        for p in points.values():
            for k in p:
                p[k] = p[k] * s_max / best if best > 0 else Fraction(0)


def _need(call: RefCall, p: RefProposal) -> Decimal:
    share = ((1 - call.alpha) * p.cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(call.cap, share, p.request)


def reference_rank(call: RefCall) -> dict[str, object]:
    """The ranking as plain values: rows, excluded, lotteries, pending groups."""
    by_id = {p.id: p for p in call.proposals}
    excluded: list[tuple[object, ...]] = []
    admitted: dict[str, dict[str, Fraction]] = {}
    info: dict[str, tuple[int, tuple[str, ...]]] = {}
    for pid in sorted(by_id):
        proposal = by_id[pid]
        if not proposal.admissible:
            excluded.append((pid, "inadmissible", None, {}, 0, ()))
            continue
        valid = [s for s in call.sheets if s[1] == pid and not s[2] and s[3]]
        valid.sort(key=lambda s: s[0])
        points: dict[str, Fraction] = {}
        flags: list[str] = []
        short = False
        for k, w in call.weights.items():
            values = [s[3][k] for s in valid if k in s[3]]
            if not values or len(values) < call.quorum:
                short = True
                continue
            mean = Fraction(sum(values, Decimal(0))) / len(values)
            points[k] = Fraction(w) * mean if call.method == "coefficients" else mean
            if max(values) - min(values) >= call.flag:
                flags.append(k)
        if short:
            excluded.append((pid, "no_quorum", None, {}, len(valid), tuple(flags)))
            continue
        total, shown = _publish(call, points)
        below_floor = any(k in call.floors and shown[k] < call.floors[k] for k in call.weights)
        if below_floor:
            excluded.append((pid, "below_criterion_floor", total, shown, len(valid), tuple(flags)))
        elif total < call.threshold:
            excluded.append((pid, "below_threshold", total, shown, len(valid), tuple(flags)))
        else:
            admitted[pid] = points
            info[pid] = (len(valid), tuple(flags))
    _rescale(call, admitted)
    figures = {pid: _publish(call, pts) for pid, pts in admitted.items()}
    if "submission_order" in call.cascade:
        missing = sorted(
            pid for pid in admitted if by_id[pid].protocol is None or by_id[pid].submitted is None
        )
        if missing:
            raise MissingSubmissionError(missing)
    rows, lotteries, pending = _order(call, by_id, figures)
    return {
        "rows": [
            (rank, pid, figures[pid][0], figures[pid][1], *info[pid], how)
            for rank, pid, how in rows
        ],
        "excluded": excluded,
        "lotteries": lotteries,
        "pending": pending,
    }


def _order(
    call: RefCall,
    by_id: dict[str, RefProposal],
    figures: dict[str, tuple[Decimal, dict[str, Decimal]]],
) -> tuple[list[tuple[int, str, str]], list[tuple[object, ...]], list[tuple[str, ...]]]:
    def level_key(pid: str, level: str) -> tuple[object, ...]:
        if level == "lower_request":
            return (by_id[pid].request,)
        if level == "submission_order":
            return (by_id[pid].submitted, by_id[pid].protocol)
        return (-figures[pid][1][level],)

    # The funding walk.
    left = call.fund
    stopped = False
    known = True

    def walk(ids: list[str]) -> None:
        nonlocal left, stopped
        for pid in ids:
            if stopped:
                return
            need = _need(call, by_id[pid])
            if need <= left:
                left -= need
            elif call.allocation == "strict_order":
                stopped = True

    def crosses(ids: list[str]) -> bool:
        if not known:
            return True
        if stopped:
            return False
        needs = [_need(call, by_id[pid]) for pid in ids]
        total = Decimal(0)
        for n in needs:
            total += n
        return not (total <= left or min(needs) > left)

    rows: list[tuple[int, str, str]] = []
    lotteries: list[tuple[object, ...]] = []
    pending: list[tuple[str, ...]] = []
    ids = sorted(figures, key=lambda pid: (-figures[pid][0], pid))
    # Split into groups of equal total, then work through a stack of
    # (ids, depth, level that split them) in ranking order.
    groups: list[list[str]] = []
    for pid in ids:
        if groups and figures[groups[-1][0]][0] == figures[pid][0]:
            groups[-1].append(pid)
        else:
            groups.append([pid])
    stack: list[tuple[list[str], int, str]] = [(g, 0, "") for g in reversed(groups)]
    while stack:
        group, depth, how = stack.pop()
        position = len(rows) + 1
        if len(group) == 1:
            rows.append((position, group[0], how))
            walk(group)
            continue
        if call.ties == "ex_aequo" and not crosses(group):
            for pid in sorted(group):
                rows.append((position, pid, "ex_aequo"))
            walk(sorted(group))
            continue
        if depth < len(call.cascade):
            level = call.cascade[depth]
            parts: dict[tuple[object, ...], list[str]] = {}
            for pid in group:
                parts.setdefault(level_key(pid, level), []).append(pid)
            for key in sorted(parts, reverse=True):
                stack.append((sorted(parts[key]), depth + 1, level))
            continue
        tied = sorted(group)
        if call.lottery_number is None:
            pending.append(tuple(tied))
            for pid in tied:
                rows.append((position, pid, "pending"))
            if call.ties == "ex_aequo":
                known = False
            walk(tied)
            continue
        seed = seed_of(call.call_id, call.lottery_number, tied)
        drawn = fisher_yates(seed, tied)
        lotteries.append((call.lottery_number, tuple(tied), seed, tuple(drawn)))
        for n, pid in enumerate(drawn):
            rows.append((position + n, pid, "lottery"))
        walk(drawn)
    return rows, lotteries, pending
