"""The ranking as a JSON document: the contract's ``vaglio ranking --json``,
and the whole view that approval freezes (format ``vaglio-ranking/1``).

Decimals are strings; dispersion flags are ``dispersion:KEY``. The frozen
document is stored in canonical form (sorted keys, no spaces, UTF-8) and its
SHA-256 goes in the audit log and the minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from app.errors import VaglioError
from app.i18n import _
from app.models.rules import FULL_ORDER, TOTAL_OF_UNROUNDED, Criterion, Grid
from app.scoring.college import CollegeRecord, ProposalCollege, Seat
from app.scoring.collegial import decision_document, decision_from
from app.scoring.ties import PENDING
from app.scoring.views import (
    BundleRef,
    ExcludedRow,
    LotteryView,
    RankedRow,
    RankingView,
)

DOCUMENT_FORMAT = "vaglio-ranking/1"


def canonical(document: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8: the form whose SHA-256 is recorded.

    The same text as ``json.dumps(document, sort_keys=True, separators=(",",
    ":"), ensure_ascii=False)``, made a branch at a time: json's encoder
    gathers its whole output as millions of small strings before joining
    them, several times the text itself (the approved document of a regional
    call holds its minutes' facts, 179 MB of JSON; docs/performance.md).
    """
    return "".join(canonical_pieces(document))


def canonical_pieces(value: Any, depth: int = 4) -> list[str]:
    """The canonical text of ``value`` as a few pieces: the containers of its
    first ``depth`` levels written here, what lies below by ``json.dumps``."""
    pieces: list[str] = []
    _write(value, depth, pieces)
    return pieces


def _write(value: Any, depth: int, out: list[str]) -> None:
    if depth > 0 and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        out.append("{")
        for index, key in enumerate(sorted(value)):
            out.append("," if index else "")
            out.append(json.dumps(key, ensure_ascii=False) + ":")
            _write(value[key], depth - 1, out)
        out.append("}")
    elif depth > 0 and isinstance(value, list):
        out.append("[")
        for index, item in enumerate(value):
            out.append("," if index else "")
            _write(item, depth - 1, out)
        out.append("]")
    else:
        out.append(_dumps(value))


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _d(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def contract_document(view: RankingView) -> dict[str, Any]:
    """The ``vaglio ranking --json`` document of the CLI contract."""
    return {
        "call": view.call_id,
        "ranking": [
            {
                "rank": r.rank,
                "proposal": r.proposal,
                "total": f"{r.total:f}",
                "criteria": {k: f"{v:f}" for k, v in r.criteria.items()},
                "evaluators": r.evaluators,
                "flags": [f"dispersion:{key}" for key in r.flags],
                # A tie waiting for the lottery: a shared, provisional rank.
                **({"pending": True} if r.decided_by == PENDING else {}),
            }
            for r in view.rows
        ],
        "excluded": [{"proposal": e.proposal, "reason": e.reason} for e in view.excluded],
    }


def to_document(view: RankingView) -> dict[str, Any]:
    """The whole view as JSON values (decimals as strings): what approval freezes."""
    document = contract_document(view)
    document.update(
        format=DOCUMENT_FORMAT,
        call_title=view.call_title,
        rules=rules_document(view.grid),
        lottery_number=view.lottery_number,
        lotteries=[
            {"number": lo.number, "tied": list(lo.tied), "seed": lo.seed, "order": list(lo.order)}
            for lo in view.lotteries
        ],
        pending_lottery=[list(group) for group in view.pending_lottery],
        bundles=[
            {
                "member": b.member,
                "fingerprint": b.fingerprint,
                "sequence": b.sequence,
                "payload_hash": b.payload_hash,
                "sealed_sha256": b.sealed_sha256,
                "received_at": b.received_at.isoformat() if b.received_at else None,
            }
            for b in view.bundles
        ],
        members_without_bundle=list(view.members_without_bundle),
        approved_at=view.approved_at.isoformat() if view.approved_at else None,
    )
    if view.college is not None:
        document["college"] = college_document(view.college)
    if view.collegial:  # only collegial calls: other documents keep their bytes
        document["collegial"] = [decision_document(d) for d in view.collegial]
    for row, r in zip(document["ranking"], view.rows, strict=True):
        row.update(title=r.title, applicant=r.applicant, decided_by=r.decided_by,
                   total_cost=f"{r.total_cost:f}",
                   requested_contribution=f"{r.requested_contribution:f}")  # fmt: skip
    for row, e in zip(document["excluded"], view.excluded, strict=True):
        row.update(title=e.title, applicant=e.applicant, total=_d(e.total),
                   criteria={k: f"{v:f}" for k, v in e.criteria.items()},
                   evaluators=e.evaluators, flags=[f"dispersion:{k}" for k in e.flags])  # fmt: skip
    return document


def college_document(record: CollegeRecord) -> dict[str, Any]:
    return {
        "college": record.college,
        "required": record.required,
        "shortfalls": [
            {
                "proposal": p.proposal,
                "title": p.title,
                "required": p.required,
                "seats": [
                    {
                        "member": seat.member,
                        "state": seat.state,
                        "substitute": seat.substitute,
                        "substitute_state": seat.substitute_state,
                    }
                    for seat in p.seats
                ],
            }
            for p in record.shortfalls
        ],
        "silent": list(record.silent),
        "reason": record.reason,
    }


def college_from(document: dict[str, Any]) -> CollegeRecord:
    return CollegeRecord(
        college=document["college"],
        required=document["required"],
        shortfalls=tuple(
            ProposalCollege(
                p["proposal"],
                p["title"],
                p["required"],
                tuple(
                    Seat(s["member"], s["state"], s["substitute"], s["substitute_state"])
                    for s in p["seats"]
                ),
            )
            for p in document["shortfalls"]
        ),
        silent=tuple(document["silent"]),
        reason=document["reason"],
    )


def _flags(items: list[str]) -> tuple[str, ...]:
    return tuple(item.removeprefix("dispersion:") for item in items)


class FrozenRulesMismatchError(VaglioError):
    """An approved ranking document whose rules are not the call's."""

    def __init__(self, call_id: str) -> None:
        super().__init__(
            _(
                "The approved ranking of {call_id} was computed with rules that are not the "
                "call's: the workspace is inconsistent, restore it from a backup."
            ).format(call_id=call_id)
        )


def rules_document(grid: Grid) -> dict[str, Any]:
    """The ``rules`` part of a ranking document, as ``grid`` gives it."""
    return {
        "method": grid.method,
        "decimals": grid.decimals,
        "threshold": f"{grid.threshold:f}",
        "rescale": grid.rescale,
        "min_evaluators": grid.min_evaluators,
        "tie_break": list(grid.tie_break),
        # Only when not the default, so documents frozen before them still match.
        **({"rounding": grid.rounding} if grid.rounding != TOTAL_OF_UNROUNDED else {}),
        **({"ties": grid.ties} if grid.ties != FULL_ORDER else {}),
        "criteria": [_criterion(c) for c in grid.criteria],
    }


def _criterion(c: Criterion) -> dict[str, Any]:
    """A criterion in the rules part; ``sub`` only when it has sub-criteria, so
    that documents frozen before them keep reading back."""
    entry: dict[str, Any] = {
        "key": c.key,
        "title": c.title,
        "max_points": f"{c.max_points:f}",
        "min_points": _d(c.min_points),
    }
    if c.sub:
        entry["sub"] = [_criterion(s) for s in c.sub]
    return entry


def from_document(document: dict[str, Any], grid: Grid) -> RankingView:
    """The view frozen in an approved ranking document, for a call whose grid is ``grid``.

    The document states the rules it was computed with; they must be the
    call's (a call's grid is frozen once published), or the document is not
    this call's ranking.
    """

    def when(text: str | None) -> dt.datetime | None:
        return None if text is None else dt.datetime.fromisoformat(text)

    def decimals(mapping: dict[str, str]) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in mapping.items()}

    if document["rules"] != rules_document(grid):
        raise FrozenRulesMismatchError(document["call"])
    return RankingView(
        call_id=document["call"],
        call_title=document["call_title"],
        grid=grid,
        rows=tuple(
            RankedRow(
                rank=r["rank"],
                proposal=r["proposal"],
                title=r["title"],
                applicant=r["applicant"],
                total=Decimal(r["total"]),
                criteria=decimals(r["criteria"]),
                evaluators=r["evaluators"],
                flags=_flags(r["flags"]),
                decided_by=r["decided_by"],
                total_cost=Decimal(r["total_cost"]),
                requested_contribution=Decimal(r["requested_contribution"]),
            )
            for r in document["ranking"]
        ),
        excluded=tuple(
            ExcludedRow(
                proposal=e["proposal"],
                title=e["title"],
                applicant=e["applicant"],
                reason=e["reason"],
                total=None if e["total"] is None else Decimal(e["total"]),
                criteria=decimals(e["criteria"]),
                evaluators=e["evaluators"],
                flags=_flags(e["flags"]),
            )
            for e in document["excluded"]
        ),
        lotteries=tuple(
            LotteryView(lo["number"], tuple(lo["tied"]), lo["seed"], tuple(lo["order"]))
            for lo in document["lotteries"]
        ),
        pending_lottery=tuple(tuple(group) for group in document["pending_lottery"]),
        lottery_number=document["lottery_number"],
        bundles=tuple(
            BundleRef(
                member=b["member"],
                fingerprint=b["fingerprint"],
                sequence=b["sequence"],
                payload_hash=b["payload_hash"],
                sealed_sha256=b["sealed_sha256"],
                received_at=when(b["received_at"]),
            )
            for b in document["bundles"]
        ),
        members_without_bundle=tuple(document["members_without_bundle"]),
        approved_at=when(document["approved_at"]),
        college=None if "college" not in document else college_from(document["college"]),
        collegial=tuple(decision_from(d) for d in document.get("collegial", ())),
        document_sha256=hashlib.sha256(canonical(document).encode("utf-8")).hexdigest(),
    )
